"""Options with fixed choices take the clerk's words: ``list --status 逾期``, ``notice --kind 红``,
``progress --by 专项小组`` as well as the English keys; a wrong one is refused naming the choices
in the reader's language; completion offers the names; help lists them in the reader's language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reformctl.cli import choices
from reformctl.i18n import LABELS
from reformctl.model import NOTICE_KINDS, OUTPOST_KINDS, PUBLICITY_KINDS, PUBLICITY_LEVELS
from reformctl.ranking import BY_CHOICES
from reformctl.schedule import POINT_STATUSES
from tests.cli.test_completion import complete
from tests.conftest import run, run_process


def test_the_keys_are_the_domains() -> None:
    assert choices.STATUS.keys == POINT_STATUSES
    assert choices.NOTICE_KIND.keys == (*NOTICE_KINDS, "all")
    assert choices.PROGRESS_BY.keys == BY_CHOICES
    assert choices.OUTPOST_KIND.keys == OUTPOST_KINDS
    assert choices.PUBLICITY_LEVEL.keys == PUBLICITY_LEVELS
    assert choices.PUBLICITY_KIND.keys == PUBLICITY_KINDS


@pytest.mark.parametrize("spec", choices.ALL, ids=lambda c: f"{c.option}:{c.prefix}")
def test_every_name_and_key_means_its_key_and_names_are_one_each(
    spec: choices.Choices,
) -> None:
    for key in spec.keys:
        zh, en = LABELS[spec.prefix + key]
        assert spec.key_of(zh) == key and spec.key_of(en) == key
        assert spec.key_of(key) == key and spec.key_of(key.upper()) == key
    for alias, key in spec.aliases:
        assert spec.key_of(alias) == key
    for lang in ("zh", "en"):  # no two keys share a name
        assert len(set(spec.names(lang))) == len(spec.keys)
    assert spec.key_of("没有这个") is None


def _ids(*args: str) -> list[str]:
    result = run("list", "--format", "json", *args)
    assert result.code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


def test_status_in_chinese_is_the_status(sample: Path) -> None:
    overdue = _ids("--status", "overdue")
    assert overdue and _ids("--status", "逾期") == overdue
    assert _ids("-s", "已完成") == _ids("-s", "done")
    assert _ids("-s", "欠进度") == _ids("-s", "behind") == _ids("-s", "滞后")


def test_a_wrong_choice_names_the_choices_in_the_readers_language(sample: Path) -> None:
    before = sample.read_bytes()
    zh = run_process("list", "--status", "晚了")
    assert zh.code == 2 and zh.stdout == ""
    assert (
        zh.stderr
        == "--status 为“晚了”，应为：未开始、超进度、达进度、欠进度、逾期、已完成、已销号\n"
    )
    en = run_process("--lang", "en", "notice", "--kind", "pink", "--out", "x")
    assert en.code == 2
    assert en.stderr == '--kind is "pink"; choose from red, yellow, blue, all\n'
    assert not Path("x").exists() and sample.read_bytes() == before


def test_colour_names_pick_the_notices(sample: Path) -> None:
    result = run_process(
        "--today", "2026-10-15", "notice", "--kind", "红", "--out", "n", "-f", "md"
    )
    assert result.code == 0, result.stderr
    files = sorted(p.name for p in Path("n").iterdir())
    assert files and all("红色督办" in name for name in files)
    assert (
        run("--today", "2026-10-15", "notice", "--kind", "红色", "--out", "m", "-f", "md").code == 0
    )
    assert sorted(p.name for p in Path("m").iterdir()) == files


def test_ranking_and_registers_by_chinese_names(sample: Path) -> None:
    by_group = run("progress", "--by", "group", "--format", "json").stdout
    assert run("progress", "--by", "专项小组", "--format", "json").stdout == by_group
    assert (
        run("progress", "-b", "配合单位", "-f", "json").stdout
        == run("progress", "-b", "coop", "-f", "json").stdout
    )
    added = run("outpost", "add", "O-xx", "--name", "晋江市", "--kind", "县")
    assert added.code == 0, added.stderr
    added = run(
        "publicity", "add", "PR-09", "--outlet", "人民日报", "--level", "中央媒体",
        "--kind", "微信公众号", "--title", "标题", "--on", "2026-05-03",
    )  # fmt: skip
    assert added.code == 0, added.stderr
    text = sample.read_text(encoding="utf-8")  # the ledger keeps the keys
    assert 'kind = "county"' in text and 'level = "national"' in text and 'kind = "wechat"' in text


def test_completion_offers_the_names_in_the_readers_language(sample: Path) -> None:
    assert complete("bash", "reformctl list --status 逾") == ["逾期"]
    assert complete("bash", "reformctl list --status o") == ["on_track", "overdue"]
    offered = complete("bash", "reformctl notice --kind ")
    assert {"红色", "黄色", "蓝色", "全部", "red"} <= set(offered)
    english = complete("bash", "reformctl notice --kind ", REFORMCTL_LANG="en")
    assert english == ["red", "yellow", "blue", "all"]


WIRED = [
    ("list", "--status", choices.STATUS),
    ("notice", "--kind", choices.NOTICE_KIND),
    ("progress", "--by", choices.PROGRESS_BY),
    ("history", "--by", choices.HISTORY_BY),
    ("history", "--per", choices.HISTORY_PER),
    ("workspace split", "--by", choices.SPLIT_BY),
    ("outpost add", "--kind", choices.OUTPOST_KIND),
    ("publicity add", "--level", choices.PUBLICITY_LEVEL),
    ("publicity add", "--kind", choices.PUBLICITY_KIND),
    ("check", "--fail-on", choices.FAIL_ON),
    ("review", "--trust", choices.TRUST),
]


def test_help_lists_the_choices_in_the_readers_language() -> None:
    assert {spec for _, _, spec in WIRED} == set(choices.ALL)
    for path, option, spec in WIRED:
        zh = run(*path.split(), "--help").stdout
        options = zh.split("选项：", 1)[1]
        block = "".join(options.split(option + " ", 1)[1].split("\n  -", 1)[0].split())
        for name in spec.names("zh"):
            assert name in block, (path, option, name)
        typed = [k for k in spec.keys if re.search(rf"(?<![\w-]){k}(?![\w-])", block)]
        assert typed == [], (path, option, block)
        en = run("--lang", "en", *path.split(), "--help").stdout
        assert all(key in en for key in spec.keys), (path, option)


@pytest.mark.parametrize(("path", "option", "spec"), WIRED, ids=lambda v: str(v))
def test_every_wired_option_takes_a_chinese_name(
    sample: Path, path: str, option: str, spec: choices.Choices
) -> None:
    """The parser turns the Chinese name into the key before the command runs: a wrong word is
    refused by the option's own message, a Chinese name never is."""
    wrong = run(*path.split(), option, "没有这个")
    assert wrong.code == 2 and wrong.stderr.startswith(f"{option} 为“没有这个”，应为："), (
        wrong.stderr
    )
    right = run(*path.split(), option, spec.names("zh")[-1])
    assert f"{option} 为“" not in right.stderr
