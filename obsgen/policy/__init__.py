"""Policy as data, each table with its citation."""
