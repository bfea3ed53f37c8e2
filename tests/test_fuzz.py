"""Bad input is normal input: every command, driven with random arguments on random (valid and
broken) ledgers, exits 0, 1 or 2, never 3 (an internal error), and a refused write leaves the
file as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reformctl.cli import whole_app
from tests.conftest import BASE, click_command, examples

app = whole_app()


def command_paths() -> list[tuple[list[str], Any]]:
    """Every command of the app (typer carries its own copy of click: read it by shape)."""
    root = click_command()
    out: list[tuple[list[str], Any]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
        else:
            out.append((path, cmd))

    walk(root, [])
    return out


COMMANDS = command_paths()

TOKENS = st.sampled_from(
    [
        "R26-01",
        "R26-01/plan",
        "R26-01/pilot",
        "R26-99",
        "R26-01/nope",
        "fgw",
        "lyj",
        "economy",
        "省发改委",
        "2026-03-31",
        "2026-02-30",
        "2026-13-01",
        "9999-12-31",
        "0001-01-01",
        "2026-11",
        "2026-00",
        "2026-Q4",
        "2027",
        "-1",
        "0",
        "1e9",
        "nan",
        "",
        " ",
        "..",
        "/",
        "/dev/zero",
        "x.xlsx",
        "x.docx",
        "x.csv",
        "out",
        "json",
        "table",
        "csv",
        "markdown",
        "red",
        "all",
        "unit",
        "group",
        "point",
        "overdue",
        "HEAD",
        "HEAD~1",
        "--force",
        '=HYPERLINK("x")',
        "a\nb",
        "\x1b[31m",
        "::warning file=x::y",
        "名称\u2028换行",
    ]
)
TEXT = st.text(max_size=12)

SNIPPETS = [
    'due = "2026-01-01"',
    "due = 2026-01-01T10:00:00",
    "done = 2026-01-01 10:00:00+08:00",
    '[points."R26\\u002D01"]',
    'extensions = "x"',
    "extensions = [{ to = 2026-01-01 }]",
    'units = ["ghost", "ghost"]',
    "closed = 2026-01-01",
    "[points.R26-01.milestones.x]",
    'name = """甲\n#1"""',
    "<<<<<<< ours",
    "[[points]]",
    "schema = 2",
    "year = 99999",
    'a = "\\e"',
    "x = { a = 1, }",
    "[ledger]",
    "progress = 3",
]


@st.composite
def ledgers(draw: st.DrawFn) -> bytes:
    lines = BASE.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        i = draw(st.integers(0, len(lines)))
        if action == "insert":
            lines.insert(i, draw(st.sampled_from(SNIPPETS)))
        elif action == "delete" and i < len(lines):
            del lines[i]
        elif i < len(lines):
            lines[i] = draw(st.sampled_from(SNIPPETS))
    data = "\n".join(lines).encode("utf-8")
    if draw(st.booleans()) and draw(st.booleans()):
        data = data.replace(b"\xe5", b"\xff", 1)  # not UTF-8
    return data


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    path, cmd = draw(st.sampled_from(COMMANDS))
    options = [
        opt
        for p in cmd.params
        if p.param_type_name == "option"
        for opt in p.opts
        if opt.startswith("--")
    ]
    args = list(path)
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.integers(0, 2))
        if kind == 0 and options:
            args.append(draw(st.sampled_from(options)))
        args.append(draw(TOKENS) if kind < 2 else draw(TEXT))
    return args


@settings(
    max_examples=examples(500),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(invocations(), ledgers(), st.sampled_from(["zh", "en"]))
def test_no_input_is_an_internal_error(
    tmp_path: Path, args: list[str], ledger: bytes, lang: str
) -> None:
    folder = tmp_path / "work"
    shutil.rmtree(folder, ignore_errors=True)  # (a split leaves folders)
    folder.mkdir()
    path = folder / "ledger.toml"
    path.write_bytes(ledger)
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, ["--lang", lang, *args], catch_exceptions=True)
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1, 2), (args, result.output, result.exception)
    if result.exit_code == 2 and path.exists():
        assert path.read_bytes() == ledger, args  # a refusal never writes


CONFIGS = [
    '[workspace]\nshared = "shared.toml"\nledgers = ["groups/*.toml"]\n',
    '[workspace]\nshared = "shared.toml"\nledgers = ["groups/*.toml"]\n'
    '[ledgers."groups/a.toml"]\ngroup = "economy"\nlead = "fgw"\n',
    '[workspace]\nshared = "shared.toml"\nledgers = ["groups/a.toml", "**/*.toml"]\n',
    '[workspace]\nshared = "groups/a.toml"\nledgers = ["shared.toml"]\n',
    '[workspace]\nshared = "nope.toml"\nledgers = []\n',
    "[workspace]\nshared = 3\n",
    '[workspace]\nshared = "shared.toml"\nledgers = ["../*.toml"]\n',
    "[workspace\n",
    '[workspace]\nshared = "shared.toml"\nledgers = ["groups/*.toml"]\nextra = 1\n',
]


@settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(invocations(), ledgers(), st.sampled_from(CONFIGS), st.integers(0, 60))
def test_no_input_is_an_internal_error_in_a_workspace(
    tmp_path: Path, args: list[str], ledger: bytes, config: str, cut: int
) -> None:
    """The same, on a workspace: its configuration, the shared file and a ledger file are
    cut from a random ledger at a random line; a refusal writes no file."""
    folder = tmp_path / "ws"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "groups").mkdir(parents=True)
    lines = ledger.split(b"\n")
    at = min(cut, len(lines))
    (folder / "reformctl.toml").write_text(config, encoding="utf-8")
    (folder / "shared.toml").write_bytes(b"\n".join(lines[:at]))
    (folder / "groups" / "a.toml").write_bytes(b"\n".join(lines[at:]))
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, args, catch_exceptions=True)
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1, 2), (args, result.output, result.exception)
    if result.exit_code == 2:
        after = {p: p.read_bytes() for p in before if p.exists()}
        assert after == {p: b for p, b in before.items() if p in after}, args
        assert len(after) == len(before), args


@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31", "0001-01-01"])
def test_today_outside_1900_2100_is_refused(ledger: Path, value: str) -> None:
    from tests.conftest import run

    result = run("--today", value, "overdue")
    assert result.code == 2
    assert "1900-01-01" in result.stderr
