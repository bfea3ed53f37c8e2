"""Help, usage errors and click's own words in the interface language; examples that are never
broken mid-command at 80 columns; `reformctl help [COMMAND]`."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from wcwidth import wcswidth

from reformctl.cli.catalogue import HELP_COMMANDS, HELP_OPTIONS
from tests.cli.test_help import command_paths
from tests.conftest import click_command, run, run_process

ENGLISH_WORDS = ("Usage:", "Options", "Arguments", "Commands", "Show this message", "[required]")


def all_paths() -> list[tuple[str, ...]]:
    """Every command and every group, the root included."""
    paths = {()}
    for path in command_paths():
        paths.update(path[:i] for i in range(1, len(path) + 1))
    return sorted(paths)


def test_every_command_and_option_has_its_chinese() -> None:
    root = click_command()
    missing = []

    def walk(cmd: object, path: tuple[str, ...]) -> None:
        if " ".join(path) not in HELP_COMMANDS:
            missing.append(" ".join(path) or "(root)")
        for param in getattr(cmd, "params", []):
            text = getattr(param, "help", None)
            if text and text not in HELP_OPTIONS:
                missing.append(f"{' '.join(path)} {param.name}: {text}")
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, (*path, name))

    walk(root, ())
    assert missing == []


@pytest.mark.parametrize("path", all_paths(), ids=lambda p: " ".join(p) or "reformctl")
def test_help_is_chinese_by_default_and_english_on_request(path: tuple[str, ...]) -> None:
    zh = run(*path, "--help")
    assert zh.code == 0
    assert zh.stdout.startswith("用法：reformctl")
    assert "显示此帮助并退出。" in zh.stdout and "选项：" in zh.stdout
    for english in ENGLISH_WORDS:
        assert english not in zh.stdout, english
    docstring_start = (click_command().commands[path[0]] if path else click_command()).help
    assert docstring_start
    en = run("--lang", "en", *path, "--help")
    assert en.stdout.startswith("Usage: reformctl")
    assert "Show this message and exit." in en.stdout
    assert run(*path, "--help", env={"REFORMCTL_LANG": "en"}).stdout == en.stdout


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_examples_are_whole_commands_at_80_columns(path: tuple[str, ...], lang: str) -> None:
    os.environ["COLUMNS"] = "80"
    out = run("--lang", lang, *path, "--help").stdout
    assert max(wcswidth(line) for line in out.splitlines()) <= 80
    lines = out.splitlines()
    start = lines.index("  示例：" if lang == "zh" else "  Example:") + 1
    example = lines[start].strip()
    while example.endswith(" \\"):  # a continued line breaks only before an option
        start += 1
        assert re.match(r"^ {8}--?[A-Za-z]", lines[start]), lines[start]
        example = example[:-1] + lines[start].strip()
    assert example.startswith("reformctl " + " ".join(path))
    cmd = click_command()
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    assert example in " ".join((cmd.help or "").split())  # the docstring's own example


def test_chinese_text_wraps_by_display_width() -> None:
    out = run_process("import", "--help", env={"COLUMNS": "60"}).stdout  # CliRunner pins 80
    assert max(wcswidth(line) for line in out.splitlines()) <= 60
    assert not any(line.lstrip().startswith(("，", "。", "、")) for line in out.splitlines())


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["milestone", "add", "R26-01/x", "--name", "y"], "缺少选项 '--due'", "Missing option '--due'."),
        (["list", "--nope"], "没有选项 --nope", "No such option: --nope"),
        (["overdue", "--soon", "abc"], "'--soon' 的值无效：应为整数", "Invalid value for '--soon'"),
        (["list", "extra"], "多余的参数：extra", "Got unexpected extra argument"),
        (["nocmd"], "没有命令 'nocmd'", "No such command 'nocmd'."),
        (["show"], "缺少参数 '工作要点编号'", "Missing argument 'point'."),
    ],
)  # fmt: skip
def test_usage_errors_in_the_interface_language(
    ledger: Path, args: list[str], zh: str, en: str
) -> None:
    result = run(*args)
    assert result.code == 2
    assert zh in result.stderr and "用法错误：" in result.stderr
    assert not re.search(r"Missing|No such|Invalid|unexpected", result.stderr), result.stderr
    result = run("--lang", "en", *args)
    assert result.code == 2 and en in result.stderr and "usage error:" in result.stderr


def test_help_command_finds_every_command() -> None:
    assert run("help").stdout == run("--help").stdout
    assert run("help", "list").stdout == run("list", "--help").stdout
    assert run("help", "unit", "add").stdout == run("unit", "add", "--help").stdout
    assert (
        run("--lang", "en", "help", "show").stdout == run("--lang", "en", "show", "--help").stdout
    )
    bad = run("help", "nosuch")
    assert bad.code == 2 and "没有命令 'nosuch'" in bad.stderr
    bare = run()  # no arguments: the help (on stderr, as click does), which names `help`
    listing = bare.stdout + bare.stderr
    assert re.search(r"^  help +显示 reformctl 或某个命令的帮助", listing, re.M)


def test_help_in_a_real_process() -> None:
    zh = run_process("help", "list")
    assert zh.code == 0 and "用法：reformctl list" in zh.stdout and "示例：" in zh.stdout
    en = run_process("--lang", "en", "--help")
    assert en.code == 0 and "Usage: reformctl" in en.stdout and "Commands:" in en.stdout
