"""Reports as documents an office can send: `report … --out X.docx` read back with python-docx;
words fit for a document (第三季度, Chinese dates, names not keys); figures that add up."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from reformctl.ledger.read import load
from reformctl.schedule import due_split
from tests.conftest import DATA, run

docx = pytest.importorskip("docx")


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.mark.parametrize("kind", ["half", "year", "quarter"])
def test_every_report_as_docx(sample: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.docx"
    result = run("report", kind, "--out", str(out))
    assert result.code == 0, result.stderr
    document = docx.Document(str(out))
    section = document.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    texts = paragraphs(out)
    assert texts[-1] == "2026年11月28日" or texts[-1].endswith("日")
    assert texts[-2] == "全面深化改革委员会办公室"  # no office in the ledger: the default
    assert any(t.startswith("一、") for t in texts)
    assert document.tables, "figures come as tables"
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体"):
        assert f'w:eastAsia="{font}"' in body
    assert "PAGE" in footers


def test_half_year_circular_writes_its_figures_as_a_paragraph(sample: Path) -> None:
    assert run("report", "half", "--period", "2", "--out", "h.docx").code == 0
    texts = paragraphs(Path("h.docx"))
    assert texts[0] == "2026年全面深化改革工作要点台账·下半年通报"
    assert texts[1] == "2026年7月1日至12月31日，截至2026年11月28日"
    (story,) = [t for t in texts if t.startswith("截至")]
    assert story.startswith("截至2026年11月28日，22项工作要点中，已销号")
    assert "个节点中，应完成" in story and "序时进度" in story
    assert "应完成节点 = 按时完成 + 逾期完成 + 逾期未完成 + 当日到期未完成" in "".join(texts)


def test_quarter_title_says_third_quarter(sample: Path) -> None:
    assert run("report", "quarter", "--period", "3", "--out", "q.md").code == 0
    text = Path("q.md").read_text(encoding="utf-8")
    assert "第三季度盘点" in text and "第3季度" not in text
    assert "2026年第三季度（2026年7月1日至9月30日），截至2026年9月30日" in text


def test_year_end_carry_over_names_not_keys(sample: Path) -> None:
    assert run("report", "year", "--out", "y.json").code == 0
    assert run("report", "year", "--out", "y.md").code == 0
    data = json.loads(Path("y.json").read_text(encoding="utf-8"))
    text = Path("y.md").read_text(encoding="utf-8")
    for record in data["sections"]["carry_over"]:
        for key in record["open_milestones"]:
            assert f"{key} " not in text  # "salary 出台公立医院…" was a key before a name


@pytest.mark.parametrize("month", range(1, 13))
def test_the_figures_add_up_every_month(month: int) -> None:
    """The identity the headline table states, over the sample ledger, on any day."""
    ledger = load(DATA / "golden-ledger.toml").valid()
    milestones = ledger.milestones()
    for day in (dt.date(2026, month, 1), dt.date(2026, month, 15), dt.date(2026, month, 28)):
        s = due_split(milestones, day)
        assert s.due == s.on_time + s.late + s.overdue + s.due_today
        assert s.milestones == s.due + s.not_yet_due
        assert s.not_yet_due == s.early + s.open_not_due >= 0
        assert s.due == sum(1 for m in milestones if m.due_now <= day)


def test_headline_records_add_up(sample: Path) -> None:
    assert run("report", "half", "--period", "2", "--out", "h.json").code == 0
    data = json.loads(Path("h.json").read_text(encoding="utf-8"))
    f = {r["item"]: r["value"] for r in data["sections"]["headline"]}
    assert f["due_to_date"] == (
        f["done_on_time"] + f["done_late"] + f["overdue"] + f["due_today_open"]
    )
    assert f["milestones"] == f["due_to_date"] + f["not_yet_due"]
    for unit in data["sections"].get("accounts", []):
        assert unit["due_to_date"] == unit["done_on_time"] + unit["done_late"] + unit["open_due"]


def test_year_end_accounts_add_up(sample: Path) -> None:
    assert run("report", "year", "--out", "y.json").code == 0
    data = json.loads(Path("y.json").read_text(encoding="utf-8"))
    for unit in data["sections"]["accounts"]:
        assert unit["due_to_date"] == unit["done_on_time"] + unit["done_late"] + unit["open_due"]


def test_docx_refused_extension_lists_docx(sample: Path) -> None:
    result = run("report", "half", "--out", "x.pdf")
    assert result.code == 2 and ".docx" in result.stderr
