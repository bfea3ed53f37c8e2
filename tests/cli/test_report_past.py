"""Reports speak of past dates in the past (issue 24): the milestones due on the report's day
are 当日到期 while the period runs (and 今日到期 on the day itself), but a Q3 report printed
in December says 2026年9月30日到期, never 今日到期 for 30 September; in zh and en, in the
document's sentences (.docx) and in the tables (.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run

docx = pytest.importorskip("docx")

OFFICE = "福建省委全面深化改革委员会办公室"


@pytest.fixture
def sample(sample: Path) -> Path:
    assert run("office", "set", "--office", OFFICE, "--office-code", "闽改办").code == 0
    return sample


def outputs(today: str, lang: str, kind: str, period: str, tmp_path: Path) -> tuple[str, str]:
    """The .docx's paragraphs and the .md's text of one report printed on ``today``."""
    texts = []
    for ext in ("docx", "md"):
        out = tmp_path / f"{kind}-{today}-{lang}.{ext}"
        args = ("--lang", lang, "--today", today, "report", kind, "-p", period, "-o", str(out))
        result = run(*args)
        assert result.code == 0, result.stderr
        if ext == "docx":
            texts.append("\n".join(p.text for p in docx.Document(str(out)).paragraphs))
        else:
            texts.append(out.read_text(encoding="utf-8"))
    return texts[0], texts[1]


CASES = [
    # during the period: the half-year on 31 August, a milestone due that day still open
    ("2026-08-31", "half", "2", "zh", "当日到期未完成1个", "| 当日到期未完成 "),
    ("2026-08-31", "half", "2", "en", "1 due today", "| Due today, open "),
    # at its end: Q3 printed on 30 September
    ("2026-09-30", "quarter", "3", "zh", "当日到期未完成1个", "| 今日到期 |"),
    ("2026-09-30", "quarter", "3", "en", "1 due today", "| due today "),
    # after it: the first half-year printed in December, Q3 printed in December
    ("2026-12-07", "half", "1", "zh", "2026年6月30日到期未完成1个", "| 2026年6月30日到期未完成 "),
    ("2026-12-07", "half", "1", "en", "1 due on 30 June 2026", "| Due on 30 June 2026, open "),
    ("2026-12-07", "quarter", "3", "zh", "2026年9月30日到期未完成1个", "| 2026年9月30日到期 |"),
    (
        "2026-12-07",
        "quarter",
        "3",
        "en",
        "1 due on 30 September 2026",
        "| due on 30 September 2026 ",
    ),
]


@pytest.mark.parametrize(("today", "kind", "period", "lang", "sentence", "cell"), CASES)
def test_due_on_the_day_as_the_report_speaks_of_it(
    sample: Path,
    tmp_path: Path,
    today: str,
    kind: str,
    period: str,
    lang: str,
    sentence: str,
    cell: str,
) -> None:
    words, table = outputs(today, lang, kind, period, tmp_path)
    assert sentence in words
    assert cell in table
    if today == "2026-12-07":  # a past period: no word of today anywhere
        for text in (words, table):
            assert not any(w in text for w in ("今日", "当日", "today", "Today")), text


# -- extensions counted by the day they were approved ---------------------------------------------
def half_year(period: str) -> tuple[int, list[str], str]:
    """Extensions granted in the half-year, the extended milestones listed, and R26-02/salary's
    due date in force as the report saw it (printed on 28 November)."""
    result = run("--today", "2026-11-28", "report", "half", "-p", period, "--format", "json")
    assert result.code == 0, result.stderr
    import json

    data = json.loads(result.stdout)["sections"]
    listed = [f"{e['point']}/{e['milestone']}" for e in data["extensions"]]
    return data["headline"]["extensions_granted"], listed, result.stdout


def test_an_extension_counts_in_the_period_it_was_approved(sample: Path) -> None:
    """Approved on 28 June, recorded on 3 July: the first half-year's extension (its 延期 and
    its new deadline as of 30 June), not the second's."""
    before = (half_year("1")[0], half_year("2")[0])
    result = run(
        "--today", "2026-07-03", "extend", "R26-02/salary", "--to", "2026-10-31",
        "--reason", "待核定", "--approved-on", "2026-06-28",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "granted = 2026-07-03, approved_on = 2026-06-28" in sample.read_text(encoding="utf-8")
    first, listed, _ = half_year("1")
    second, _, _ = half_year("2")
    assert (first, second) == (before[0] + 1, before[1])
    assert "R26-02/salary" in listed  # 五、延期情况 of the first half-year names it


def test_an_extension_without_approval_day_counts_when_recorded(sample: Path) -> None:
    before = (half_year("1")[0], half_year("2")[0])
    args = ("extend", "R26-02/salary", "--to", "2026-10-31", "--reason", "待核定")
    assert run("--today", "2026-07-03", *args).code == 0
    # an older ledger's line: no approved_on, the day it was recorded stands for it
    text = sample.read_text(encoding="utf-8").replace(", approved_on = 2026-07-03", "")
    sample.write_text(text, encoding="utf-8")
    assert "approved_on" not in text.split("R26-02.milestones.salary]")[1].split("[")[0]
    assert (half_year("1")[0], half_year("2")[0]) == (before[0], before[1] + 1)
