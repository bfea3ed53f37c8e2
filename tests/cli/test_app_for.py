"""The console script builds only the command it runs (`reformctl.cli.app_for`): the same
output as the whole app, for every command's help and usage errors and for real commands; the
whole app wherever the others are read (no command, the root's help, an unknown name, `help`,
completion)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reformctl.cli import FLAGS, VALUE_OPTIONS, app, app_for
from tests.cli.test_help import command_paths
from tests.conftest import click_command


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
