"""typer's private names are used in one module, which says by name when a typer release moves
one; typer is the pinned 0.28.x; its usage errors are still Chinese (and English with --lang en)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import ROOT, run_process

COMPAT = ROOT / "reformctl" / "cli" / "typer_compat.py"
# typer's public API is the package itself (``typer.Option``, ``typer.Exit``...), ``typer.testing``
# and ``typer.colors``; every other module of typer, and click (which typer vendors), is private.
PUBLIC_TYPER = {"typer", "typer.testing", "typer.colors"}


def typer_modules() -> set[str]:
    """The names of typer's own modules (``core``, ``main``, ``models``, ``_click``...)."""
    import typer

    return {m.name for m in pkgutil.iter_modules(typer.__path__)}


def required() -> list[tuple[str, str]]:
    """The compat module's REQUIRED, read from its source (not imported: on a typer that moved
    a name, importing it fails before anything could say which)."""
    for node in ast.parse(COMPAT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "REQUIRED":
            assert node.value is not None
            value: list[tuple[str, str]] = ast.literal_eval(node.value)
            return value
    raise AssertionError("typer_compat.py has no REQUIRED")


def instance(cls: type) -> Any:
    """An instance of a click class, to read the attributes it sets in __init__."""
    if cls.__name__ == "Context":  # click's Command is abstract: what Context reads of one
        command = SimpleNamespace(
            allow_extra_args=False, allow_interspersed_args=True, ignore_unknown_options=False
        )
        return cls(command)
    return cls()


def missing(names: list[tuple[str, str]]) -> list[str]:
    """Each (module, path) that the installed typer does not have, named with typer's version."""
    import typer

    version = getattr(typer, "__version__", "?")
    out = []
    for module_name, path in names:
        try:
            obj: Any = importlib.import_module(module_name)
        except ImportError as exc:
            out.append(f"typer {version}: no module {module_name} ({exc})")
            continue
        done = [module_name]
        for part in path.split("."):
            make = part.endswith("()")
            part = part.removesuffix("()")
            if not hasattr(obj, part):
                out.append(f"typer {version}: {'.'.join(done)} has no attribute {part!r}")
                break
            obj = getattr(obj, part)
            done.append(part)
            if make:
                obj = instance(obj)
    return out


def test_every_private_name_reformctl_uses_is_in_the_installed_typer() -> None:
    names = required()
    assert ("typer.core", "_") in names and len(names) > 20
    problems = missing(names)
    assert not problems, (
        "typer changed a private name reformctl.cli.typer_compat uses:\n  " + "\n  ".join(problems)
    )


def test_the_check_names_what_is_missing_and_the_version() -> None:
    import typer

    assert missing([("typer.core", "no_such_name")]) == [
        f"typer {typer.__version__}: typer.core has no attribute 'no_such_name'"
    ]
    assert missing([("typer._click.formatting", "HelpFormatter().no_such_width")]) == [
        f"typer {typer.__version__}: typer._click.formatting.HelpFormatter "
        "has no attribute 'no_such_width'"
    ]
    assert missing([("typer._no_such_module", "x")])[0].startswith(
        f"typer {typer.__version__}: no module typer._no_such_module"
    )


def test_every_name_compat_imports_from_typer_is_required() -> None:
    """REQUIRED lists at least each name the module imports (so none escapes the check)."""
    names = set(required())
    imported = set()
    for node in ast.walk(ast.parse(COMPAT.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("typer"):
            imported |= {(node.module, a.name) for a in node.names}
    assert imported and imported <= names, imported - names


def test_typer_is_the_pinned_line() -> None:
    """0.28.x: the last line that does not import pydantic at start (the floor in
    benchmarks/run.py); a newer one is a decision, with the compat test above run on it."""
    import typer

    assert typer.__version__.startswith("0.28."), typer.__version__
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"typer>=0.28,<0.29"' in text


def private_uses(source: str, name: str) -> list[str]:
    """Each import of, or attribute read through, a private module of typer or click."""
    tree = ast.parse(source)

    def private(module: str) -> bool:
        top = module.split(".")[0]
        if top == "click":
            return True
        return top == "typer" and module not in PUBLIC_TYPER

    modules = typer_modules() - {name.removeprefix("typer.") for name in PUBLIC_TYPER}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [f"{node.lineno}: import {a.name}" for a in node.names if private(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if private(node.module):
                out.append(f"{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            # typer.core._, typer.main.get_command, typer._click...: a module through typer
            dunder = node.attr.startswith("__") and node.attr.endswith("__")  # __version__
            if node.value.id == "typer" and (
                (node.attr.startswith("_") and not dunder) or node.attr in modules
            ):
                out.append(f"{node.lineno}: typer.{node.attr}")
            elif node.value.id == "click":
                out.append(f"{node.lineno}: click.{node.attr}")
    return [f"{name}:{use}" for use in out]


def test_nothing_else_touches_typers_private_modules() -> None:
    files = sorted((ROOT / "reformctl").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    files += sorted((ROOT / "benchmarks").glob("*.py"))
    uses = [
        use
        for f in files
        if f != COMPAT
        for use in private_uses(f.read_text(encoding="utf-8"), str(f.relative_to(ROOT)))
    ]
    assert uses == []


@pytest.mark.parametrize(
    "source",
    [
        "import typer.core\n",
        "from typer._click.core import Context\n",
        "from typer.main import get_command\n",
        "import click\n",
        "import typer\ntyper.core._ = str\n",
        "import typer\nx = typer.models.ParamMeta\n",
        "def f():\n    from click.exceptions import UsageError\n",
    ],
)
def test_the_reader_sees_each_kind_of_private_use(source: str) -> None:
    assert private_uses(source, "x.py")
    public = (
        "import typer\nfrom typer.testing import CliRunner\n"
        "typer.Option, typer.Exit, typer.colors.RED, typer.__version__\n"
    )
    assert private_uses(public, "x.py") == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["overdue", "--soon", "abc"], "'--soon' 的值无效：应为整数", "Invalid value for '--soon'"),
        (["overdue", "--soon", "-1"], "'--soon' 的值无效：应在 0 到 3660 之间", "-1 is not in the range 0<=x<=3660"),
        (["lits"], "没有命令 'lits'（是否应为 'list'？）", "No such command 'lits'. Did you mean 'list'?"),
        (["show"], "缺少参数 '工作要点编号'", "Missing argument 'point'."),
        (["list", "--nope"], "没有选项 --nope", "No such option: --nope"),
        (["init", "--year", "abc"], "'--year' 的值无效：应为整数", "'abc' is not a valid int range"),
        (["report", "year", "--year", "abc"], "'--year' 的值无效：应为整数", "'abc' is not a valid int."),
    ],
)  # fmt: skip
def test_usage_errors_of_the_pinned_typer_in_a_real_process(
    ledger: Path, args: list[str], zh: str, en: str
) -> None:
    result = run_process(*args)
    assert result.code == 2, result.stderr
    assert zh in result.stderr and "用法错误：" in result.stderr, result.stderr
    # not one English word of click's left in the Chinese line
    assert not re.search(r"[A-Za-z]{3,} (?:is|a|of|mean|such|valid)\b", result.stderr)
    result = run_process("--lang", "en", *args)
    assert result.code == 2 and en in result.stderr and "usage error:" in result.stderr


def test_help_imports_no_pydantic() -> None:
    """What the pin is for: no pydantic at start, even for help."""
    code = (
        "import sys, contextlib, io\n"
        "from reformctl.cli import whole_app\n"
        "app = whole_app()\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    app(['overdue', '--help'], prog_name='reformctl')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"
