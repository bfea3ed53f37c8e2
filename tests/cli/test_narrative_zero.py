"""The circulars' and the quarterly review's opening paragraphs leave out every clause whose
figure is 0 (逾期0项 is never printed: 逾期完成0个, 逾期未完成0个, 已销号0项, 0项进度滞后, 缺报0条,
尚未到期0个), and what they print still adds up to the headline's figures; read back from the
real .docx beside the report's JSON, in Chinese and in English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run

docx = pytest.importorskip("docx")

ZERO_ZH = re.compile(r"(?<![\d.])0[个项条]")
ZERO_EN = re.compile(r"(?<![\d.,])0 [a-z]")
REPORTS = [("half", "--period", "1"), ("half", "--period", "2"), ("quarter", "--period", "3")]
DAYS = ["2026-08-10", "2026-09-30", "2026-11-28"]


@pytest.fixture
def sample(sample: Path) -> Path:
    """The sample ledger with its office set (a .docx is refused without one)."""
    result = run(
        "office", "set", "--office", "福建省委全面深化改革委员会办公室", "--office-code", "闽改办"
    )
    assert result.code == 0, result.stderr
    return sample


def story(path: Path, lang: str) -> list[str]:
    """The narrative's paragraphs: from 截至/As of up to the first heading."""
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    start = "截至" if lang == "zh" else "As of"
    first = next(i for i, t in enumerate(texts) if t.startswith(start) and len(t) > 40)
    out = [texts[first]]
    if texts[first + 1].startswith(("按月推进方面", "Monthly progress")):
        out.append(texts[first + 1])
    return out


@pytest.mark.parametrize("today", DAYS)
@pytest.mark.parametrize("args", REPORTS, ids=["-".join(a) for a in REPORTS])
def test_no_clause_prints_a_zero(sample: Path, today: str, args: tuple[str, ...]) -> None:
    common = ("--today", today, "report", *args)
    assert run(*common, "--out", "r.docx").code == 0
    assert run(*common, "--out", "r.json").code == 0
    text = "".join(story(Path("r.docx"), "zh"))
    assert not ZERO_ZH.findall(text), text
    f = json.loads(Path("r.json").read_text("utf-8"))["sections"]["headline"]
    words = {
        "done_on_time": "按时完成",
        "done_late": "逾期完成",
        "overdue": "逾期未完成",
        # 当日 while the period runs, the day itself once it is past (截至6月30日…6月30日到期)
        "due_today_open": r"(?:当日|\d{4}年\d{1,2}月\d{1,2}日)到期未完成",
        "points_closed": "已销号",
    }
    for key, word in words.items():
        shown = re.search(rf"{word}(\d+)", text)
        assert (shown is not None) == bool(f[key]), (key, f[key], text)
        assert shown is None or int(shown.group(1)) == f[key]
    if f["due_to_date"]:
        assert re.search(rf"应完成{f['due_to_date']}个，其中", text), text
    else:
        assert "应完成" not in text


@pytest.mark.parametrize("args", REPORTS, ids=["-".join(a) for a in REPORTS])
def test_english_prints_no_zero_either(sample: Path, args: tuple[str, ...]) -> None:
    common = ("--lang", "en", "--today", "2026-08-10", "report", *args)
    assert run(*common, "--out", "r.docx").code == 0
    text = " ".join(story(Path("r.docx"), "en"))
    assert not ZERO_EN.findall(text), text
