"""A read command imports nothing it does not use: run as a real process under ``-X importtime``,
``overdue``, ``check``, ``progress`` and ``list`` load none of the modules that the output they
print has no use for (each costs tens of milliseconds: tabulate alone about 100 ms, through
``importlib.metadata``, email, zipfile and html)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

DENIED = re.compile(
    r"(tabulate|openpyxl|docx|lxml|pydantic|pydantic_core|importlib\.metadata|email|zipfile"
    r"|html|xml)(\..*)?"
)


def imported(
    *args: str, cache: Path, cwd: Path, sync: bool = False, pinned: bool = True
) -> list[str]:
    """Every module the command imported, in order, as ``-X importtime`` reports them
    (``sync``: the cache entries are written before it exits, in this process; ``pinned``:
    the day pinned, else the real clock read)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REFORMCTL_CACHE_DIR": str(cache),
        "REFORMCTL_TODAY": "2026-11-28",
    }
    env.pop("REFORMCTL_CACHE", None)
    if not pinned:
        del env["REFORMCTL_TODAY"]
    if sync:
        env["REFORMCTL_CACHE"] = "sync"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reformctl", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert proc.stdout  # it did its work (plain text: stdout is a pipe)
    return [
        line.rpartition("|")[2].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    ]


def denied(modules: list[str]) -> list[str]:
    return [m for m in modules if DENIED.fullmatch(m)]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["overdue", "check", "progress", "list"])
def test_a_read_command_imports_nothing_it_does_not_use(tmp_path: Path, command: str) -> None:
    ledger = tmp_path / "ledger.toml"
    ledger.write_bytes((DATA / "golden-ledger.toml").read_bytes())
    cache = tmp_path / "cache"
    args = ("--ledger", str(ledger), command)
    first = imported(*args, cache=cache, cwd=tmp_path, sync=True)  # a new text, parsed, cached
    assert "pytomlpp" in first  # the real read, not an early exit
    assert denied(first) == []
    warm = imported(*args, cache=cache, cwd=tmp_path)
    assert "pytomlpp" not in warm  # the cache's entry, under the code's version
    assert denied(warm) == []
    assert "reformctl.history" not in warm  # another command's module


CLOCK = re.compile(r"(pendulum|dateutil)(\..*)?")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("overdue",),
        ("check",),
        ("done", "R26-01/summary", "--on", "2026-11-20", "--evidence", "闽政〔2026〕1号"),
    ],
    ids=["overdue", "check", "done"],
)
def test_the_real_clock_costs_no_pendulum(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Today is read with the standard library's zones (pendulum's import is ~20 ms of every
    command); pendulum stamps JUnit's timestamp, which only that format shows."""
    ledger = tmp_path / "ledger.toml"
    ledger.write_bytes((DATA / "golden-ledger.toml").read_bytes())
    cache = tmp_path / "cache"
    modules = imported("--ledger", str(ledger), *args, cache=cache, cwd=tmp_path, pinned=False)
    assert "pytomlpp" in modules
    assert [m for m in modules if CLOCK.fullmatch(m)] == []
    junit = imported(
        "--ledger", str(ledger), "check", "-f", "junit", cache=cache, cwd=tmp_path, pinned=False
    )
    assert "pendulum" in junit  # (the check can fail)


# what start-up was cut by in issue 25's last round: no class made by dataclasses (records,
# reformctl.records), no OpenSSL for the cache's digests, no socket for the lock's host name, the
# import plans, calendar and glob only where used (~15 ms of every command); and this round,
# fractions (with decimal and numbers, ~1.6 ms) only where a share is worked out
LIGHT = re.compile(
    r"(dataclasses|_hashlib|hashlib|hmac|socket|calendar|glob|reformctl\.plans|fractions)(\..*)?"
)
# zoneinfo (with sysconfig, ~1.5 ms) only where the system's zone folder does not know the
# ledger's zone (clock.known_zone): where there is one
ZONES = re.compile(r"(zoneinfo|sysconfig)(\..*)?")
SYSTEM_ZONES = Path("/usr/share/zoneinfo/Asia/Shanghai").is_file()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("overdue",),
        ("done", "R26-01/summary", "--on", "2026-11-20", "--evidence", "闽政〔2026〕1号"),
        ("log", "R26-01", "推进会召开", "--month", "2026-11", "--replace"),
    ],
    ids=["overdue", "done", "log"],
)
def test_start_up_makes_no_dataclass_and_loads_no_openssl(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    ledger = tmp_path / "ledger.toml"
    ledger.write_bytes((DATA / "golden-ledger.toml").read_bytes())
    modules = imported("--ledger", str(ledger), *args, cache=tmp_path / "c", cwd=tmp_path)
    assert "pytomlpp" in modules and "reformctl.model" in modules  # the real command
    assert [m for m in modules if LIGHT.fullmatch(m)] == []
    if SYSTEM_ZONES:
        assert [m for m in modules if ZONES.fullmatch(m)] == []
    # (the check can fail: the pattern takes the modules, and their submodules, it names)
    assert LIGHT.fullmatch("reformctl.plans") and LIGHT.fullmatch("hashlib")
    assert not LIGHT.fullmatch("reformctl.plansx")


def test_the_reader_of_importtime_sees_a_denied_module(tmp_path: Path) -> None:
    """The check can fail: markdown is tabulate's to lay out, so it is imported then."""
    ledger = tmp_path / "ledger.toml"
    ledger.write_bytes((DATA / "golden-ledger.toml").read_bytes())
    modules = imported(
        "--ledger", str(ledger), "list", "-f", "markdown", cache=tmp_path / "c", cwd=tmp_path
    )
    assert "tabulate" in denied(modules)


# -- each `# start-up:` reason is true ------------------------------------------------------------
# An import stays inside a function under "# start-up: `check` does not load lookup"
# (tests/test_import_graph.py asks for the comment); the reason holds only while `check` really
# does not load lookup. Once another module imports it at the top, the import inside the
# function saves nothing and belongs at the top.
REASON = re.compile(r"# start-up: ((?:`\w+`\s*)+)(?:does|do) not load (.+)")


def reasons(root: Path = ROOT) -> list[tuple[str, str, str]]:
    """(where, command, module) for each module a `# start-up:` comment says a command does
    not load (a word in parentheses after a module says why: it is not a module)."""
    found = []
    for path in sorted((root / "reformctl").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = REASON.search(line)
            if not m:
                continue
            where = f"{path.relative_to(root).as_posix()}:{n}"
            for command in re.findall(r"`(\w+)`", m.group(1)):
                for module in re.sub(r"\([^)]*\)", "", m.group(2)).split(","):
                    found.append((where, command, f"reformctl.{module.strip()}"))
    return found


def false_reasons(loaded: dict[str, set[str]], root: Path = ROOT) -> list[str]:
    return [
        f"{where}: `{command}` loads {module}"
        for where, command, module in reasons(root)
        if module in loaded[command]
    ]


@pytest.mark.slow
def test_every_start_up_reason_is_true(tmp_path: Path) -> None:
    found = reasons()
    commands = sorted({command for _, command, _ in found})
    assert commands and set(commands) <= {"overdue", "check", "progress", "list"}
    ledger = tmp_path / "ledger.toml"
    ledger.write_bytes((DATA / "golden-ledger.toml").read_bytes())
    loaded = {}
    for command in commands:
        cache = tmp_path / f"cache-{command}"
        args = ("--ledger", str(ledger), command)
        cold = imported(*args, cache=cache, cwd=tmp_path, sync=True)
        warm = imported(*args, cache=cache, cwd=tmp_path)
        loaded[command] = set(cold) | set(warm)
    assert not false_reasons(loaded), "\n".join(false_reasons(loaded))


def test_a_reason_a_command_belies_is_found(tmp_path: Path) -> None:
    package = tmp_path / "reformctl"
    package.mkdir()
    (package / "a.py").write_text(
        "def f():\n"
        "    # start-up: `check` does not load lookup, render.site (html)\n"
        "    from reformctl.lookup import resolve\n"
        "    # start-up: `list` `check` do not load render.json\n"
        "    from reformctl.render.json import dumps\n",
        encoding="utf-8",
    )
    loaded = {"check": {"reformctl.lookup", "reformctl.render.json"}, "list": set()}
    assert false_reasons(loaded, tmp_path) == [
        "reformctl/a.py:2: `check` loads reformctl.lookup",
        "reformctl/a.py:4: `check` loads reformctl.render.json",
    ]
