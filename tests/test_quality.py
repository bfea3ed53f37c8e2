"""ruff and mypy are configured and clean: part of the test run, so CI enforces them."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def tool(name: str) -> list[str]:
    """The tool installed beside the tests (the test extras), else one on PATH."""
    import importlib.util

    if importlib.util.find_spec(name) is not None:
        return [sys.executable, "-m", name]
    exe = shutil.which(name)
    return [exe] if exe else [sys.executable, "-m", name]


@pytest.mark.parametrize(
    "args", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff(args: list[str]) -> None:
    # no cache: nothing written into the tree (tests may run in parallel); ruff is quick anyway
    proc = subprocess.run(
        [*tool("ruff"), *args, "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict() -> None:
    proc = subprocess.run([*tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- asserts that cannot fail ------------------------------------------------------------------
ADDS = ("add", "append", "insert")


def _filled(name: str, stmt: ast.stmt) -> bool:
    """``stmt`` leaves ``name`` non-empty whatever happens: it binds it to a non-empty display,
    adds to it, or is a loop over a non-empty range or display that adds to it every turn."""
    if isinstance(stmt, ast.Assign | ast.AnnAssign):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        named = any(isinstance(t, ast.Name) and t.id == name for t in targets)
        return named and stmt.value is not None and _always_true(stmt.value)
    if isinstance(stmt, ast.Expr):
        call = stmt.value
        return (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in ADDS
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == name
        )
    if isinstance(stmt, ast.For) and not stmt.orelse:
        over = stmt.iter
        turns = _always_true(over) or (
            isinstance(over, ast.Call)
            and isinstance(over.func, ast.Name)
            and over.func.id == "range"
            and len(over.args) == 1
            and isinstance(over.args[0], ast.Constant)
            and isinstance(over.args[0].value, int)
            and over.args[0].value > 0
        )
        leaves = any(isinstance(s, ast.Break | ast.Continue | ast.Return) for s in ast.walk(stmt))
        return turns and not leaves and any(_filled(name, s) for s in stmt.body)
    return False


def _always_true(node: ast.expr) -> bool:
    """A literal that is true: a non-empty string, number, tuple, list, set or dict display."""
    if isinstance(node, ast.Constant):
        return bool(node.value) and node.value is not Ellipsis
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and v.value for v in node.values)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return bool(node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.keys)
    return False


def trivial_asserts(source: str) -> list[int]:
    """The lines of the asserts in ``source`` that cannot fail: of a true literal (``assert
    "x"``, ``assert (a, "message")``, ``assert [..]``), or of a name the statement just before
    filled (bound to a non-empty display, added to, or added to in every turn of a loop over a
    non-empty range)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for before, stmt in zip([None, *block], block, strict=False):
                if not isinstance(stmt, ast.Assert):
                    continue
                test = stmt.test
                if _always_true(test) or (
                    isinstance(test, ast.Name)
                    and isinstance(before, ast.stmt)
                    and _filled(test.id, before)
                ):
                    found.append(stmt.lineno)
    return sorted(found)


@pytest.mark.parametrize(
    "source",
    [
        'assert "x"',
        "assert (a, 'message')",
        "assert [x == 1]",
        "assert {'k': v}",
        "assert f'{x} is set'",
        "assert 1",
        "seen = {a}\nassert seen",
        "seen = set()\nseen.add(x)\nassert seen",
        "seen = set()\nfor _ in range(16):\n    y = f()\n    seen.add(y == 1)\nassert seen",
        "out = []\nfor x in (1, 2):\n    out.append(x)\nassert out, 'message'",
        "def t():\n    if c:\n        xs: list[int] = [1]\n        assert xs",
    ],
)
def test_the_trivial_assert_finder_finds(source: str) -> None:
    assert trivial_asserts(source) == [source.count("\n") + 1]


@pytest.mark.parametrize(
    "source",
    [
        "assert x",
        "assert x, 'message'",
        "assert ''",  # false: fails, and says so
        "assert ()",
        "seen = set()\nassert seen",
        "seen = {a}\nseen.clear()\nassert seen",
        "seen = set()\nfor x in xs:\n    seen.add(x)\nassert seen",
        "seen = set()\nfor _ in range(3):\n    if c:\n        seen.add(1)\nassert seen",
        "seen = set()\nfor _ in range(3):\n    if c:\n        break\n    seen.add(1)\nassert seen",
        "seen = {a}\nassert other",
        "assert seen == {True, False}",
    ],
)
def test_the_trivial_assert_finder_passes(source: str) -> None:
    assert trivial_asserts(source) == []


def test_no_test_asserts_what_cannot_be_false() -> None:
    """An assert that is true whatever the code does proves nothing and hides that."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if "golden" not in path.parts
        for line in trivial_asserts(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# -- Hypothesis counts follow the profile --------------------------------------------------------
FIXED_COUNT = re.compile(r"max_examples\s*=\s*\d")


def test_every_example_count_follows_the_profile() -> None:
    """A test that sets its own ``max_examples`` writes it through ``examples()`` (its weight
    at Hypothesis's default), so that ``REFORMCTL_HYPOTHESIS=dev|ci|deep`` scales it; a bare
    number would run as many examples in a quick look as in a deep run."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != "conftest.py" and "golden" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FIXED_COUNT.search(line)
    ]
    assert FIXED_COUNT.search("@settings(max_examples" + "=100)")  # (the pattern finds one)
    assert found == []


# -- runtime dependencies ------------------------------------------------------------------------
def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_runtime_dependency_is_imported_by_the_package() -> None:
    """A runtime dependency that nothing imports is only weight on every install (as tomlkit
    was: it belongs to the test extras, where a test uses it)."""
    import tomllib
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_normal(re.split(r"[<>=!~; \[]", d, maxsplit=1)[0]) for d in project["dependencies"]}
    imported: set[str] = set()
    for path in (ROOT / "reformctl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    used = {_normal(d) for m in imported for d in packages_distributions().get(m, [])}
    assert sorted(wanted - used) == []
