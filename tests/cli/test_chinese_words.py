"""Every word a person reads in Chinese mode is Chinese: every command's help and a set of usage
errors for every command carry no ASCII word besides command and option names, values (examples,
defaults, choices, IDs, file names) and the few proper names listed here (formats, products, git's
words), each of which is a name a clerk sees on the screen as it is."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_help import command_paths
from tests.conftest import click_command, run

# Names that stay as they are in Chinese text: file formats and products, git's own words and
# environment variables, and values shown as typed (defaults, time zones, languages).
PROPER_NAMES = frozenset(
    [
        "git",
        "merge",
        "pre-merge-commit",
        "verify-commit",
        "pre-commit",
        "bash",
        "zsh",
        "fish",
        "Excel",
        "WPS",
        "CSV",
        "JSON",
        "OA",
        "IANA",
        "GitLab",
        "CODEOWNERS",
        "HEAD",
        "TOML",
        "UTF",
        "GBK",
        "csv",
        "json",
        "xlsx",
        "xlsm",
        "xls",
        "ods",
        "docx",
        "md",
        "txt",
        "html",
        "toml",
        "markdown",
        "plain",
        "table",
        "text",
        "github",
        "gitlab",
        "junit",
        "sarif",
        "pre",
        "commit",
        "hooksPath",
        "core",
        "gitattributes",
        "verify",
        "NO_COLOR",
        "FORCE_COLOR",
        "PAGER",
        "LANG",
        "zh",
        "en",
        "auto",
        "always",
        "never",
        "Asia",
        "Shanghai",
        "reformctl",
        "ledger",
        "soon_days",
        "office_code",
        "platform_committers",
        "allowed_signers",
        "carried_from",
    ]
)


def _commands() -> set[str]:
    names: set[str] = set()

    def walk(cmd: object) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            names.add(name)
            walk(sub)

    walk(click_command())
    return names


def _english_words(text: str) -> list[str]:
    """ASCII words of ``text`` that are none of: an example line, an option (``--soon``,
    ``-f``), a value in brackets after ``默认：`` or ``环境变量：``, a choice list ``<a|b>``, an ID
    or a file name (a word with a digit, a dot or a slash), a command, a proper name."""
    words = []
    lines = text.splitlines()
    commands = _commands()
    joined = []
    in_example = False
    for line in lines:
        stripped = line.strip()
        if stripped in ("示例：",):
            in_example = True
            continue
        if in_example and (line.startswith("    ") or not stripped):
            continue
        in_example = False
        joined.append(stripped)
    body = " ".join(joined)
    body = re.sub(r"\[(?:默认|环境变量)：[^\]]*\]", " ", body)
    body = re.sub(r"<[^<>]*\|[^<>]*>", " ", body)  # <table|plain|…>
    body = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*(?:=\S+)?", " ", body)  # options
    body = re.sub(r"\S*[\w][./\\]\S*|\S*\d\S*", " ", body)  # IDs, files, dates
    body = re.sub(r"%[A-Z]|例如 [\w-]+", " ", body)  # git's placeholders; examples of values
    for word in re.findall(r"[A-Za-z][\w-]*", body):
        if word not in commands and word not in PROPER_NAMES:
            words.append(word)
    return words


def _all_paths() -> list[tuple[str, ...]]:
    paths = {()}
    for path in command_paths():
        paths.update(path[:i] for i in range(1, len(path) + 1))
    return sorted(paths)


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def test_every_help_page_is_chinese() -> None:
    found = {}
    for path in _all_paths():
        result = run(*path, "--help")
        assert result.code == 0
        words = _english_words(result.stdout)
        if words:
            found[" ".join(path) or "reformctl"] = sorted(set(words))
    assert found == {}


def _usage_errors(path: tuple[str, ...]) -> Iterator[list[str]]:
    """A set of usage errors for one command: an unknown option, a missing value for each option
    that takes one, a word where a number is wanted, a missing argument, an extra argument."""
    cmd = click_command()
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    yield [*path, "--nope"]
    yield [*path, "--stauts", "x"]
    params = getattr(cmd, "params", [])
    for param in params:
        if param.param_type_name == "option" and not param.is_flag and param.opts[0] != "--help":
            yield [*path, param.opts[0]]
            if "int" in param.type.name:
                yield [*path, param.opts[0], "abc"]
                yield [*path, param.opts[0], "-99999"]
        if param.param_type_name == "option" and param.is_flag:
            yield [*path, f"{param.opts[0]}=1"]
    if any(p.param_type_name == "argument" and p.required for p in params):
        yield list(path)
    if not any(p.param_type_name == "argument" and p.nargs == -1 for p in params):
        yield [*path, *("x" for p in params if p.param_type_name == "argument"), "extra1", "extra2"]


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p))
def test_usage_errors_are_chinese(ledger: Path, path: tuple[str, ...]) -> None:
    os.chdir(ledger.parent)
    found = {}
    for args in _usage_errors(path):
        result = run(*args)
        if result.code != 2 or "用法错误" not in result.stderr:
            continue  # not a usage error (e.g. an option that was not required)
        words = _english_words(result.stderr)
        if words:
            found[" ".join(args)] = (words, result.stderr)
    assert found == {}


def test_the_scan_finds_english() -> None:
    """The filter is not blind: English words in running text are found."""
    assert _english_words("用法：reformctl list [OPTIONS]\n  --soon <int>  Also list") == [
        "OPTIONS",
        "int",
        "Also",
    ]
    assert _english_words("选项 '--status' 需要一个值 Missing argument") == ["Missing", "argument"]
    assert _english_words("  -s, --status <str>  未开始") == ["str"]
    assert _english_words("示例：\n    reformctl list --status overdue\n") == []
