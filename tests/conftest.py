"""Shared fixtures: an isolated environment (no real date, fixed width, no colour, its own cache
folder, home and git configuration) and helpers to write small inline ledgers and run the CLI
in-process or as a real subprocess; the Hypothesis profiles (dev, ci, deep)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from reformctl.cli import whole_app

app = whole_app()

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = "2026-11-28"

# -- Hypothesis profiles -----------------------------------------------------------------------
# ``REFORMCTL_HYPOTHESIS=dev|ci|deep`` chooses; CI (``CI=true``) gets ``ci``, anything else ``dev``.
# A profile's ``max_examples`` is what a test that sets none runs; a test that sets its own
# count writes it through :func:`examples`, as its weight against Hypothesis's default of 100,
# so that every count scales with the profile. No deadlines and no "too slow" health check: how
# long an example takes depends on the machine's load, which is not the code's fault.
PROFILES = {
    "dev": 10,  # the default: a quick look while working
    "ci": 25,  # every pull request: enough to mean something, within CI's time
    "deep": 1000,  # on demand, before a release or after touching a parser: ten times the default
}
for _name, _count in PROFILES.items():
    settings.register_profile(
        _name,
        # from Hypothesis's own defaults, not from whatever profile it loaded by itself (it
        # loads its own "ci" where CI is set)
        parent=settings.get_profile("default"),
        max_examples=_count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        # CI: the same examples every run (a red build is the code's, not the draw's), no
        # database (a fresh checkout: it would only write into the tree) and the blob that
        # replays a failure (@reproduce_failure) on a developer's machine
        **({"derandomize": True, "database": None, "print_blob": True} if _name == "ci" else {}),
    )
HYPOTHESIS_PROFILE = os.environ.get("REFORMCTL_HYPOTHESIS") or (
    "ci" if os.environ.get("CI", "").lower() in ("true", "1") else "dev"
)
settings.load_profile(HYPOTHESIS_PROFILE)


# -- running in parallel (pytest-xdist) ----------------------------------------------------------
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than the CPUs. Many tests wait on processes they start
    (git, the merge driver, LibreOffice, Chromium) and on fsync; a third worker on two CPUs
    keeps them busy (the suite beside a CPU-bound process: 360 s with two workers, 332 s with
    three)."""
    return (os.cpu_count() or 1) + 1


def pytest_configure(config: pytest.Config) -> None:
    """Workers steal tests from each other at the end (``--dist worksteal``) unless told
    otherwise: a few tests take seconds, and the default split leaves one worker alone with
    them while the others idle. The package is byte-compiled first (by the controller, before
    any worker starts): where ``PYTHONDONTWRITEBYTECODE`` is set, as on the CI machines of this
    kind, no process writes a .pyc, and every reformctl process the tests start (hundreds)
    would compile each module it imports from source again, ~90 ms a process."""
    if not hasattr(config, "workerinput"):
        import compileall

        compileall.compile_dir(ROOT / "reformctl", quiet=1)
    given = config.invocation_params.args
    if getattr(config.option, "dist", "no") == "load" and not any(
        str(a).startswith("--dist") or str(a) == "-d" for a in given
    ):
        config.option.dist = "worksteal"


def examples(weight: int) -> int:
    """The ``max_examples`` of a test that runs ``weight`` examples at Hypothesis's default
    (100), scaled to the profile: ``examples(300)`` is 30 under dev, 75 under ci, 3,000 under
    deep."""
    return max(1, weight * settings.default.max_examples // 100)


BASE = """\
schema = 1

[ledger]
title = "测试台账"
year = 2026
timezone = "Asia/Shanghai"

[units.fgw]
name = "省发改委"

[units.lyj]
name = "省林业局"

[groups.economy]
name = "经济体制改革专项小组"
lead = "fgw"

[points.R26-01]
title = "深化集体林权制度改革"
group = "economy"
lead = "lyj"
units = ["fgw"]
path = "出台政策文件"
outcome = "政策文件"
major = true

[points.R26-01.milestones.plan]
name = "出台实施方案"
due = 2026-03-31
done = 2026-03-28
evidence = "闽林〔2026〕3号"

[points.R26-01.milestones.pilot]
name = "开展试点"
due = 2026-06-30

[points.R26-01.progress]
2026-03 = "实施方案已印发"
"""


@pytest.fixture(scope="session")
def shared_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one cache folder of the tests marked ``shared_cache`` (in one worker's session)."""
    return tmp_path_factory.mktemp("xdg-cache-shared")


@pytest.fixture
def cache_home(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This test's own cache folder (never the user's, never another test's), so that a hit or
    a miss never depends on which tests ran before; the session's shared one for a test marked
    ``shared_cache`` (a test about entries that other runs made)."""
    if request.node.get_closest_marker("shared_cache"):
        return Path(request.getfixturevalue("shared_cache_home"))
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(scope="session")
def git_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The git configuration every test sees instead of the user's ~/.gitconfig: an identity
    to commit with and nothing else (no signing, no hooks, no aliases of the machine)."""
    path = tmp_path_factory.mktemp("git") / "gitconfig"
    path.write_text("[user]\n\tname = reformctl tests\n\temail = tests@example.org\n")
    return path


@pytest.fixture(autouse=True)
def isolated_env(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    cache_home: Path,
    git_config: Path,
) -> Iterator[None]:
    """No test sees the real date, the user's ledger, language, terminal, cache, home or git
    configuration; each works in its own folder (so tests can run in parallel)."""
    for name in list(os.environ):
        if name.startswith("REFORMCTL_") or name in ("NO_COLOR", "LC_ALL", "LC_MESSAGES"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REFORMCTL_TODAY", TODAY)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("REFORMCTL_LOCK_TIMEOUT", "2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(git_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def base_text() -> str:
    return BASE


def write_ledger(folder: Path, text: str, name: str = "ledger.toml") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """The base inline ledger, written as ./ledger.toml."""
    return write_ledger(tmp_path, BASE)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the frozen sample ledger used by the golden files."""
    return write_ledger(tmp_path, (DATA / "golden-ledger.toml").read_text(encoding="utf-8"))


# The click command of a Typer app, built once per app and reused by every in-process run:
# building it (typer reads every command's signature and type hints) is ~90 % of an in-process
# run of a small ledger (about 90 ms a run). A built command keeps no state between runs (each
# run makes its own click context); the real CLI builds it once per process alike.
_real_get_command = typer.testing._get_command
_built: dict[typer.Typer, Any] = {}


def _get_command_once(app: typer.Typer) -> Any:
    command = _built.get(app)
    if command is None:
        command = _built[app] = _real_get_command(app)
    return command


typer.testing._get_command = _get_command_once


def click_command() -> Any:
    """reformctl's click command, built once (what tests walk for every command and option)."""
    return _get_command_once(app)


def record_lines(document: Any) -> list[str]:
    """The 版记's lines (抄送, 印发机关和印发日期) of a python-docx document: the rows of its
    last table when that one floats at the foot of the page (w:tblpPr), else none."""
    from docx.oxml.ns import qn

    tables = document.tables
    if not tables or tables[-1]._tbl.tblPr.find(qn("w:tblpPr")) is None:
        return []
    return [row.cells[0].text for row in tables[-1].rows]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """The CLI in this process (CliRunner), in ``cwd`` if given: what most tests need, at a
    few milliseconds a run; :func:`run_process` where the process itself is tested."""
    before = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(before)
    return Run(result.exit_code, result.stdout, result.stderr)


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run the installed entry point as a real process, on this tree's code (the installed
    package may be another checkout: an editable install of the main tree)."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    full_env = {**os.environ, "PYTHONPATH": path, **(env or {})}
    exe = Path(sys.executable).with_name("reformctl")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "reformctl"]
    proc = subprocess.run(
        [*cmd, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
