"""No module of the package imports another that imports it back, counting every ``import``
and ``from`` at any depth (inside functions and ``if TYPE_CHECKING:`` blocks too): the layer
test (tests/test_layering.py) sees only imports between layers, and a cycle inside one layer
(a reader and the workspace reader calling each other through imports inside functions) is
what it cannot see."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = ROOT) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted((root / "reformctl").rglob("*.py"))}


def targets(
    node: ast.Import | ast.ImportFrom, me: str, is_package: bool, known: set[str]
) -> set[str]:
    """The package's modules an import statement names: ``from reformctl.ledger import cache``
    names the module reformctl.ledger.cache; ``from reformctl.render import Table``, the
    package reformctl.render."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in known}
    base = node.module or ""
    if node.level:
        anchor = me.split(".") if is_package else me.split(".")[:-1]
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join([*anchor, *([node.module] if node.module else [])])
    out = set()
    for alias in node.names:
        full = f"{base}.{alias.name}"
        if full in known:
            out.add(full)
        elif base in known:
            out.add(base)
    return out


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package's modules it imports, at any depth."""
    found = modules()
    known = set(found)
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges |= targets(node, name, path.name == "__init__.py", known)
        edges.discard(name)
        graph[name] = edges
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle (a path that comes back to its start) in each strongly connected part of the
    graph that has more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    parts: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.add(member)
                    if member == node:
                        break
                if len(part) > 1:
                    parts.append(part)
    return [_a_cycle(graph, part) for part in parts]


def _a_cycle(graph: Mapping[str, set[str]], part: set[str]) -> list[str]:
    """A shortest path from the part's first module back to itself, inside the part."""
    start = min(part)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & part):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(part)  # a strongly connected part always has one


def test_no_module_imports_one_that_imports_it_back() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" → ".join(c) for c in found)


def test_the_graph_sees_imports_inside_functions_and_type_checking_blocks() -> None:
    graph = import_graph()
    # loader.load picks between the two readers; the readers build on parse
    assert {"reformctl.ledger.read", "reformctl.ledger.workspace"} <= graph[
        "reformctl.ledger.loader"
    ]
    assert "reformctl.ledger.parse" in graph["reformctl.ledger.read"]
    assert "reformctl.ledger.parse" in graph["reformctl.ledger.workspace"]
    # a module imported only inside a function is an edge too
    inner = {
        (name, target)
        for name, path in modules().items()
        for f in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(f, ast.FunctionDef)
        for node in ast.walk(f)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for target in targets(node, name, path.name == "__init__.py", set(graph))
        if target != name
    }
    assert inner
    assert all(target in graph[name] for name, target in inner)


def test_the_cycle_finder_finds_and_prints_a_cycle() -> None:
    graph = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a", "d"},
        "d": set(),
        "e": {"f"},
        "f": {"e"},
        "g": {"g"},  # a module naming itself is no cycle between modules
    }
    assert sorted(cycles(graph)) == [["a", "b", "c", "a"], ["e", "f", "e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def local_imports_without_a_reason(root: Path = ROOT) -> list[str]:
    """Each import of the package's own modules inside a function whose block (the imports
    written one under another) has no ``# start-up:`` comment line above it."""
    missing = []
    known = set(modules(root))
    for name, path in modules(root).items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        spans: dict[int, int] = {}  # an import's last line -> its first
        local = []
        for f in ast.walk(tree):
            if not isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(f):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    spans[node.end_lineno or node.lineno] = node.lineno
                    if targets(node, name, path.name == "__init__.py", known) - {name}:
                        local.append(node)
        for node in local:
            first = node.lineno
            while first - 1 in spans:  # the import written just above, in the same block
                first = spans[first - 1]
            above = lines[first - 2].strip() if first >= 2 else ""
            if not above.startswith("# start-up: "):
                missing.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return sorted(set(missing))


def test_every_import_inside_a_function_says_why_start_up_needs_it() -> None:
    """The package's own modules are imported at the top, except where a command that loads
    this module at start-up does not need the one imported (tests/test_startup_imports.py's
    commands), and the comment above says so."""
    missing = local_imports_without_a_reason()
    assert not missing, "imports inside functions with no `# start-up:` reason:\n" + "\n".join(
        missing
    )


def test_the_reason_check_finds_an_import_without_one(tmp_path: Path) -> None:
    package = tmp_path / "reformctl"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text(
        "def f():\n"
        "    # start-up: `check` does not load b\n"
        "    from reformctl import b\n"
        "    from reformctl.b import x\n"
        "\n"
        "\n"
        "def g():\n"
        "    from reformctl import b\n",
        encoding="utf-8",
    )
    (package / "b.py").write_text("x = 1\n", encoding="utf-8")
    assert local_imports_without_a_reason(tmp_path) == ["reformctl/a.py:8"]
