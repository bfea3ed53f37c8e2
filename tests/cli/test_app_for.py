"""The console script builds only the command it runs (`reformctl.cli.app_for`): the same
output as the whole app, for every command's help and usage errors and for real commands; the
whole app wherever the others are read (no command, the root's help, an unknown name, `help`,
completion)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reformctl.cli import FLAGS, HOMES, MODULES, VALUE_OPTIONS, app_for, whole_app
from tests.cli.test_help import command_paths
from tests.conftest import ROOT, click_command

app = whole_app()


def test_the_options_it_skips_are_the_roots() -> None:
    root = click_command()
    values, flags = set(), set()
    for param in root.params:
        if param.param_type_name != "option" or param.is_eager or param.name == "version":
            continue
        (flags if param.is_flag else values).update(o for o in param.opts if o.startswith("--"))
    flags -= {"--install-completion", "--show-completion"}
    assert values == set(VALUE_OPTIONS)
    assert flags == set(FLAGS)


@pytest.mark.parametrize(
    ("args", "slim"),
    [
        (["list"], "list"),
        (["--today", "2026-11-28", "--lang=en", "--debug", "overdue", "--soon", "7"], "overdue"),
        (["--ledger", "x.toml", "unit", "add", "a", "b"], "unit"),
        (["git", "merge-driver"], "git"),
        ([], None),
        (["--help"], None),
        (["--version"], None),
        (["lsit"], None),
        (["help", "list"], None),
        (["--nope", "list"], None),
        (["--", "list"], None),
    ],
)
def test_one_command_or_the_whole_app(args: list[str], slim: str | None) -> None:
    chosen = app_for(args)
    if slim is None:
        assert chosen is app
        return
    assert chosen is not app
    names = [c.name or c.callback.__name__ for c in chosen.registered_commands]  # type: ignore[union-attr]
    names += [g.name for g in chosen.registered_groups]
    assert [n.replace("_", "-") for n in names if n] == [slim]
    assert len(app.registered_commands) + len(app.registered_groups) > 30  # (untouched)


def test_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_REFORMCTL_COMPLETE", "complete_bash")
    assert app_for(["list"]) is app


def test_each_command_is_where_homes_says() -> None:
    """Every command and group of the whole app, and the modules whose commands it holds."""
    found: dict[str, set[str]] = {}
    for command in app.registered_commands:
        name = (command.name or command.callback.__name__).replace("_", "-")  # type: ignore[union-attr]
        found[name] = {command.callback.__module__}  # type: ignore[union-attr]
    for group in app.registered_groups:
        assert group.name and group.typer_instance
        sub = group.typer_instance.registered_commands
        found[group.name] = {c.callback.__module__ for c in sub}  # type: ignore[union-attr]
    homes = {name: {f"reformctl.cli.{m}" for m in modules} for name, modules in HOMES.items()}
    assert homes == found
    assert set(MODULES) == {m for modules in HOMES.values() for m in modules}


def test_the_console_script_imports_only_the_commands_module(tmp_path: Path) -> None:
    """A real process: `done` loads cli.write and none of the other commands' modules (their
    imports cost ~10 ms); `overdue` loads cli.read (and cli.write, whose groups it adds to);
    and what it prints is what the whole app prints."""
    import ast
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "whole = sys.argv.pop(1) == 'whole'\n"
        "sys.argv[0] = 'reformctl'\n"
        "from reformctl.cli import main, whole_app\n"
        "try:\n"
        "    whole_app()(prog_name='reformctl') if whole else main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\x00', sorted(m for m in sys.modules if m.startswith('reformctl.cli.')))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REFORMCTL_LANG": "zh"}

    def run(*args: str) -> tuple[str, str, set[str]]:
        proc = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        said, _, listed = proc.stdout.rpartition("\x00 ")
        modules = {m.removeprefix("reformctl.cli.") for m in ast.literal_eval(listed)}
        return said, proc.stderr, modules & set(MODULES)

    for args, loaded in [
        (["done", "--help"], {"write"}),
        (["overdue", "--help"], {"read", "write"}),
        (["unit", "--help"], {"read", "write"}),
        (["git", "--help"], {"git", "review"}),
        (["--lang", "en", "log", "--nope"], {"write"}),
    ]:
        *said, modules = run("one", *args)
        assert modules == loaded, args
        *whole, everything = run("whole", *args)
        assert said == whole, args
        assert everything == set(MODULES)


def _cases() -> list[list[str]]:
    out = []
    for path in command_paths():
        out += [[*path, "--help"], [*path, "--nope"], ["--lang", "en", *path, "--help"]]
    out += [
        ["--today", "2026-11-28", "overdue", "--soon", "30"],
        ["--today", "2026-11-28", "--lang", "en", "progress", "--by", "group"],
        ["--today", "2026-11-28", "list", "--status", "逾期"],
        ["show", "R26-1"],
        ["unit", "ad"],
        ["check", "--format", "json"],
        ["report", "half", "--period", "3"],
    ]
    return out


def test_the_same_output_as_the_whole_app(ledger: Path) -> None:
    """Every command's help and an unknown option of each, and real commands, in both
    languages: exit code, stdout and stderr as the whole app gives them."""
    runner = CliRunner()
    differ = []
    for args in _cases():
        chosen = app_for(args)
        assert chosen is not app or "help" in args[:3], args
        whole = runner.invoke(app, args, catch_exceptions=False)
        one = runner.invoke(chosen, args, catch_exceptions=False)
        said = (one.exit_code, one.stdout, one.stderr)
        if said != (whole.exit_code, whole.stdout, whole.stderr):
            differ.append(args)
    assert differ == []
