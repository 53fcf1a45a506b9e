"""The gate's outputs: each a pure function of an Evaluation (obsgen/gate/result.py) to text.

terminal.table (colour only when asked: the CLI asks on a TTY), terminal.progress_* (lines the
CLI writes to stderr while regions are queried), json_report.render (schema:
gate-result.schema.json, documented in docs/gate-json.md), junit.render, markdown.render,
html.render (one self-contained page with inline SVG burn-down charts).
"""
