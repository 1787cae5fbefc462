-- DCM's load-balancing tutorial: place virtual machines on physical machines (DCM dialect).
-- Each VM's physical machine is a decision variable; its domain is the machines that exist
-- (the foreign key). No machine may be over-committed, and the least spare CPU of any
-- machine is as large as possible, which spreads the load.

CREATE TABLE physical_machine (
    name            VARCHAR(30) PRIMARY KEY,
    cpu_capacity    INTEGER NOT NULL,
    memory_capacity INTEGER NOT NULL
);

CREATE TABLE virtual_machine (
    name   VARCHAR(30) PRIMARY KEY,
    cpu    INTEGER NOT NULL,
    memory INTEGER NOT NULL,
    controllable__physical_machine VARCHAR(30) REFERENCES physical_machine(name)
);

-- Hard: the VMs on a machine fit in its CPU and memory.
CREATE CONSTRAINT capacity AS
    SELECT * FROM physical_machine
    JOIN virtual_machine
      ON virtual_machine.controllable__physical_machine = physical_machine.name
    GROUP BY physical_machine.name, physical_machine.cpu_capacity,
             physical_machine.memory_capacity
    CHECK sum(virtual_machine.cpu) <= physical_machine.cpu_capacity
      AND sum(virtual_machine.memory) <= physical_machine.memory_capacity;

-- An intermediate (symbolic) view: the spare CPU of every machine, also of empty ones.
CREATE CONSTRAINT spare_cpu AS
    SELECT physical_machine.name,
           physical_machine.cpu_capacity - sum(virtual_machine.cpu) AS cpu_spare
    FROM physical_machine
    JOIN virtual_machine
      ON virtual_machine.controllable__physical_machine = physical_machine.name
    GROUP BY physical_machine.name, physical_machine.cpu_capacity;

-- Soft: balance the load.
CREATE CONSTRAINT balance AS
    SELECT * FROM spare_cpu
    MAXIMIZE min(cpu_spare);
