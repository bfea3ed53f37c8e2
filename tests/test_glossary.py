"""One term per thing (docs/glossary.md): every Chinese text of the message catalogue calls each
thing by the glossary's word, never by a word the glossary lists under "not", outside the few
entries that name another thing on purpose (an office workbook's column, a TOML key)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from reformctl import i18n
from reformctl.cli import catalogue

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"

# (the glossary's word, a pattern of the words it replaces)
REFUSED: list[tuple[str, str]] = [
    ("工作要点编号", r"(?<!工作)要点编号"),
    ("节点", r"里程碑"),
    ("单位 / 配合单位", r"责任单位|协办单位"),
    ("牵头单位", r"主办单位"),
    ("专项小组", r"专项工作小组|(?<!专项)小组"),
    ("代码", r"单位键|键或名称|小组键"),
    ("完成时限", r"截止日期|期限"),
    ("完成日期", r"完成时间"),
    ("佐证材料", r"证明材料"),
    ("延期", r"展期"),
    ("逾期", r"超期"),
    ("序时进度", r"时间进度"),
]

# Entries that name another thing with such a word, on purpose (docs/glossary.md says why).
ELSEWHERE = {
    "field-responsible",  # 责任单位: the column of an office's workbook that import reads
}


def chinese_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every Chinese text of the catalogue."""
    for key, (zh, _) in i18n.LABELS.items():
        yield f"LABELS[{key}]", zh
    for key, (zh, _) in i18n.MESSAGES.items():
        yield f"MESSAGES[{key}]", zh
    for key, text in catalogue.HELP_COMMANDS.items():
        yield f"HELP_COMMANDS[{key}]", text
    for key, text in catalogue.HELP_OPTIONS.items():
        yield f"HELP_OPTIONS[{key!r}]", text
    for key, (zh, _) in catalogue.CLICK_WORDS.items():
        yield f"CLICK_WORDS[{key}]", zh
    for key, text in catalogue.CLICK_METAVARS.items():
        yield f"CLICK_METAVARS[{key}]", text
    for pattern, text in catalogue.CLICK_ERRORS:
        yield f"CLICK_ERRORS[{pattern}]", text


def misused(texts: Iterator[tuple[str, str]]) -> list[str]:
    found = []
    for where, text in texts:
        key = where[where.index("[") + 1 : -1]
        if key in ELSEWHERE:
            continue
        for word, pattern in REFUSED:
            for m in re.finditer(pattern, text):
                found.append(f"{where}: {m.group(0)} (glossary: {word})")
    return found


def test_every_text_uses_the_glossarys_word() -> None:
    assert misused(chinese_texts()) == []


def test_the_check_finds_a_second_word() -> None:
    """The scan is not blind: a second word for a thing is found, the glossary's is not."""
    texts = [
        ("MESSAGES[a]", "要点编号 R26-01 的截止日期"),
        ("MESSAGES[b]", "专项工作小组、本小组"),
        ("MESSAGES[c]", "工作要点编号 R26-01 的完成时限；专项小组"),
        ("LABELS[field-responsible]", "责任单位"),
        ("LABELS[x]", "责任单位"),
    ]
    assert misused(iter(texts)) == [
        "MESSAGES[a]: 要点编号 (glossary: 工作要点编号)",
        "MESSAGES[a]: 截止日期 (glossary: 完成时限)",
        "MESSAGES[b]: 专项工作小组 (glossary: 专项小组)",
        "MESSAGES[b]: 小组 (glossary: 专项小组)",
        "LABELS[x]: 责任单位 (glossary: 单位 / 配合单位)",
    ]


def test_the_glossary_page_lists_every_word_checked() -> None:
    page = GLOSSARY.read_text(encoding="utf-8")
    for word, _ in REFUSED:
        for one in word.split(" / "):
            assert f"| {one}" in page or f"· {one}" in page, one


def _header(text: str, first: str) -> list[str]:
    """The words of the header line that starts with ``first`` (a table as the CLI prints it)."""
    for line in text.splitlines():
        words = line.split()
        if words and words[0] == first:
            return words
    raise AssertionError(f"no header starting {first!r} in:\n{text}")


def test_one_column_one_name_across_commands(sample: Path) -> None:
    """The milestone's reference or key is 节点编号 in show, overdue and check's tables, its name
    节点 (as in the export); a unit's key is 代码."""
    from tests.conftest import run

    env = {"COLUMNS": "200"}
    show = run("show", "R26-02", env=env)
    assert show.code == 0
    assert _header(show.stdout, "节点编号")[:2] == ["节点编号", "节点"]
    assert "代码" not in show.stdout
    overdue = run("overdue", env=env)
    assert _header(overdue.stdout, "节点编号")[:2] == ["节点编号", "名称"]
    units = run("unit", "list", env=env)
    assert _header(units.stdout, "代码")[:2] == ["代码", "名称"]
    export = run("export", "--format", "csv", "--out", "-", env=env)
    headers = export.stdout.lstrip("\ufeff").splitlines()[0].split(",")
    assert headers[headers.index("节点编号") + 1] == "节点" and "编号" in headers
