"""placeholder"""
def try_join_paths(gr, stmt, plan):
    return False
