"""The layers of docs/architecture.md, read from the source: every `import` of obsgen's own
modules, at module level or inside a function, parsed with ast. No arrow points up: the model,
the loader and validation reach nothing of the renderers, the gate or the commands; and no two
modules need each other."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "obsgen"

# Below the renderers: what the definitions are, how they are loaded and checked.
BELOW = ("obsgen.model", "obsgen.load", "obsgen.validate")
# Above them: everything that renders, writes, queries, decides or runs a command.
ABOVE = ("obsgen.render", "obsgen.dashboards", "obsgen.slo", "obsgen.gate", "obsgen.apply", "obsgen.demo",
         "obsgen.interop", "obsgen.synth", "obsgen.localprom", "obsgen.build", "obsgen.writer", "obsgen.cli",
         "obsgen.cli_common", "obsgen.promtool", "obsgen.amtool", "obsgen.tools")


def _modules(root: Path = PACKAGE) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _in(name: str, packages) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the obsgen modules it imports anywhere in its body (a name imported from a
    package counts as its submodule when there is one, else as the package)."""
    def known(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets |= {known(a.name) for a in node.names if _in(a.name, ("obsgen",))}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package
                    for _ in range(node.level - 1):
                        up = up.rpartition(".")[0]
                    base = f"{up}.{base}" if base else up
                if _in(base, ("obsgen",)):
                    targets |= {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else known(base) for a in node.names}
        graph[name] = targets - {name, ""}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def reach(graph: dict[str, set[str]], start: str) -> dict[str, str]:
    """Every module `start` imports, directly or through others: module -> the module importing it."""
    seen, todo = {}, [start]
    while todo:
        v = todo.pop()
        for w in graph.get(v, ()):
            if w not in seen and w != start:
                seen[w] = v
                todo.append(w)
    return seen


GRAPH = import_graph(_modules())


def test_the_graph_is_read_from_every_module_and_function_level_import():
    assert {"obsgen.validate", "obsgen.load.loader", "obsgen.cli", "obsgen.render.grafana"} <= set(GRAPH)
    assert "obsgen.validate" in GRAPH["obsgen.load.loader"]
    assert "obsgen.apply.cli" in GRAPH["obsgen.cli"]   # imported inside _register_commands()


def test_no_two_modules_need_each_other():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("start", sorted(m for m in GRAPH if _in(m, BELOW)))
def test_no_arrow_points_up_from_the_model_the_loader_or_validation(start):
    up = {m: via for m, via in reach(GRAPH, start).items() if _in(m, ABOVE)}
    assert not up, f"{start} reaches " + ", ".join(f"{m} (imported by {via})" for m, via in sorted(up.items()))


FAULTS = [
    ("a check that imports a renderer inside its function",
     {"obsgen/validate/x.py": "def check():\n    from obsgen.render import grafana\n", "obsgen/render/grafana.py": ""},
     "obsgen.validate.x", None),
    ("the model reaching the gate through a helper",
     {"obsgen/model/m.py": "from obsgen import helper\n", "obsgen/helper.py": "from obsgen.gate.http import get\n",
      "obsgen/gate/http.py": ""}, "obsgen.model.m", None),
    ("two modules importing each other, one lazily",
     {"obsgen/a.py": "from obsgen import b\n", "obsgen/b.py": "def f():\n    from obsgen.a import g\n"}, None,
     [["obsgen.a", "obsgen.b"]]),
    ("a relative import", {"obsgen/validate/y.py": "from ..render import grafana\n", "obsgen/render/grafana.py": ""},
     "obsgen.validate.y", None),
]


@pytest.mark.parametrize("files,start,loop", [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_each_fault_is_seen(tmp_path, files, start, loop):
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    graph = import_graph(_modules(tmp_path / "obsgen"))
    if start is not None:
        assert any(_in(m, ABOVE) for m in reach(graph, start))
    assert cycles(graph) == (loop or [])
