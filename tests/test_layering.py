"""Dependencies point one way (read from every `import` in the source, against the table in
docs/architecture.md), and start-up stays light (checked in a fresh interpreter)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("typer", "rich", "tomlkit", "pendulum", "tabulate", "openpyxl")


def layer_table() -> list[tuple[str, list[str], set[str]]]:
    """(layer, module prefixes, forbidden third-party packages) from docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("<!-- layers: the test reads this table -->")[1].split("<!-- /layers -->")[0]
    rows = []
    for line in block.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        modules = re.findall(r"`([\w.]+)`", cells[1])
        forbidden = {w.strip() for w in cells[3].split(",") if w.strip()}
        rows.append((cells[0], modules, forbidden))
    return rows


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement names, at any depth (inside functions too)."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                # `from reformctl import schema` imports the module reformctl.schema
                out.append(
                    (
                        node.lineno,
                        full
                        if (ROOT / (full.replace(".", "/") + ".py")).exists()
                        or (ROOT / full.replace(".", "/")).is_dir()
                        else base,
                    )
                )
    return out


def layer_of(module: str, table: list[tuple[str, list[str], set[str]]]) -> int | None:
    best: tuple[int, int] | None = None
    for i, (_, prefixes, _) in enumerate(table):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[1]):
                best = (i, len(prefix))
    return best[0] if best else None


def test_every_module_has_a_layer() -> None:
    table = layer_table()
    assert [name for name, _, _ in table] == ["model", "ledger", "computations", "rendering", "cli"]
    missing = [
        module_name(p)
        for p in (ROOT / "reformctl").rglob("*.py")
        if layer_of(module_name(p), table) is None
    ]
    assert missing == []


def test_imports_point_one_way() -> None:
    table = layer_table()
    wrong = []
    for path in sorted((ROOT / "reformctl").rglob("*.py")):
        me = module_name(path)
        mine = layer_of(me, table)
        assert mine is not None
        for line, name in imports(path):
            if name.startswith("reformctl"):
                theirs = layer_of(name, table)
                if theirs is not None and theirs > mine:
                    wrong.append(f"{me}:{line} imports {name} ({table[theirs][0]})")
            elif name.split(".")[0] in table[mine][2]:
                wrong.append(f"{me}:{line} imports {name}")
    assert wrong == []


def test_the_checker_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from reformctl.cli import app\n    import rich\n")
    names = [n for _, n in imports_of_text(source)]
    assert "reformctl.cli.app" in names or "reformctl.cli" in names
    assert "rich" in names


def imports_of_text(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split(".")[0] for line in out.splitlines()}


def test_cli_start_up_imports_nothing_heavy() -> None:
    loaded = modules_after("from reformctl.cli import whole_app\nwhole_app()")
    assert not loaded & set(HEAVY[1:]), loaded & set(HEAVY)
    assert "pytomlpp" not in loaded


def test_help_does_not_import_rich() -> None:
    loaded = modules_after(
        "import sys, contextlib, io\n"
        "from reformctl.cli import whole_app\n"
        "app = whole_app()\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    app(['--help'], prog_name='reformctl')"
    )
    assert "rich" not in loaded


def test_spreadsheet_io_loads_its_readers_only_when_used() -> None:
    """Import limits and the CSV rule: openpyxl and defusedxml load only when a workbook is
    read or written."""
    loaded = modules_after("import reformctl.spreadsheets")
    assert not loaded & {"typer", "rich", "click", "openpyxl", "defusedxml", "tomlkit"}


def _imports_of_package(package: str) -> list[tuple[str, int, str]]:
    """(module, line, imported module) for every import in a package of reformctl."""
    folder = ROOT / "reformctl" / package
    paths = sorted(folder.rglob("*.py")) if folder.is_dir() else [folder.with_suffix(".py")]
    return [(module_name(p), line, name) for p in paths for line, name in imports(p)]


def test_reports_are_data_and_render_reads_them_without_the_builders() -> None:
    """Reports return records (no language, no display form); the rendering turns records into
    words and tables and imports nothing of the builders."""
    wrong = [
        f"{me}:{line} imports {name}"
        for me, line, name in _imports_of_package("reports") + _imports_of_package("reportdata")
        if name.startswith(("reformctl.render", "reformctl.i18n"))
    ]
    wrong += [
        f"{me}:{line} imports {name}"
        for me, line, name in _imports_of_package("render")
        if name == "reformctl.reports" or name.startswith("reformctl.reports.")
    ]
    assert wrong == []
