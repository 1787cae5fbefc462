"""The README's main job: solve the bundled example programs on an embedded DuckDB.

`python -m csql.demo [EXAMPLES_DIR]` finds every folder with a `program.sql` (and optional
`data.sql`), solves it with the configured backend, certifies the answer with the SQL oracle,
and prints the filled tables.
"""

from __future__ import annotations

import sys
from pathlib import Path

from csql.cli import main as cli_main

DEFAULT_EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else DEFAULT_EXAMPLES
    programs = sorted(root.glob("*/program.sql"))
    if not programs:
        print(f"no examples found under {root}", file=sys.stderr)
        return 2
    worst = 0
    for program in programs:
        print("=" * 78)
        print(f"example: {program.parent.name}")
        print("=" * 78)
        args = ["solve", str(program), "--time-limit", "20"]
        data = program.parent / "data.sql"
        if data.is_file():
            args += ["--data", str(data)]
        code = cli_main(args)
        print()
        worst = max(worst, code)
    return worst


if __name__ == "__main__":
    sys.exit(main())
