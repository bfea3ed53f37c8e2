"""`report half|year|quarter --out X.docx --record`: the office's circular register (发文字号
CODE〔YEAR〕N号, apart from the notices' 督 register), through the real CLI, the .docx read
back with python-docx and the ledger read back as text and as a model."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from reformctl.errors import RefusedChange
from reformctl.ledger import registers
from reformctl.ledger.edit import Source
from reformctl.ledger.loader import load
from tests.cli.test_report_docx import OFFICE, paragraphs
from tests.conftest import GOLDEN, record_lines, run

docx = pytest.importorskip("docx")


@pytest.fixture
def sample(sample: Path) -> Path:
    """The sample ledger with its office set (as test_report_docx's)."""
    assert run("office", "set", "--office", OFFICE, "--office-code", "闽改办").code == 0
    return sample


def test_record_numbers_the_circular_and_keeps_the_number(sample: Path, tmp_path: Path) -> None:
    before = sample.read_text(encoding="utf-8")
    result = run("report", "half", "--period", "1", "--out", str(tmp_path / "a.docx"), "--record")
    assert result.code == 0, result.stderr
    assert "闽改办〔2026〕1号" in result.stdout
    texts = paragraphs(tmp_path / "a.docx")
    assert texts[:2] == [OFFICE, "闽改办〔2026〕1号"]  # the 版头 and its 发文字号
    after = sample.read_text(encoding="utf-8")
    assert after.startswith(before)  # only lines added: the rest of the file as it was
    assert after[len(before) :] == (
        '\n[circulars.2026-001]\nnumber = 1\non = 2026-11-28\nreport = "half"\nperiod = "2026-H1"\n'
    )
    (circular,) = load(sample).valid().circulars.values()
    assert (circular.number, circular.on, circular.report, circular.period) == (
        1,
        dt.date(2026, 11, 28),
        "half",
        "2026-H1",
    )


def test_each_run_is_a_new_document_with_the_next_number(sample: Path, tmp_path: Path) -> None:
    """A second --record for the same period is a second document: a new number, never the
    first one again; quarters and the year share the one register."""
    out = [tmp_path / f"{i}.docx" for i in range(4)]
    assert run("report", "half", "-p", "1", "-o", str(out[0]), "--record").code == 0
    assert run("report", "half", "-p", "1", "-o", str(out[1]), "--record").code == 0
    assert run("report", "quarter", "-p", "3", "-o", str(out[2]), "--record").code == 0
    assert run("--today", "2027-01-05", "report", "year", "--year", "2026", "-o", str(out[3]),
               "--record").code == 0  # fmt: skip
    numbers = [paragraphs(p)[1] for p in out]
    assert numbers == [
        "闽改办〔2026〕1号",
        "闽改办〔2026〕2号",
        "闽改办〔2026〕3号",
        "闽改办〔2027〕1号",
    ]
    recorded = load(sample).valid().circulars
    assert [(c.report, c.period, c.number) for c in recorded.values()] == [
        ("half", "2026-H1", 1),
        ("half", "2026-H1", 2),
        ("quarter", "2026-Q3", 3),
        ("year", "2026", 1),
    ]


def test_the_notices_keep_their_own_register(sample: Path, tmp_path: Path) -> None:
    assert run("report", "half", "-p", "1", "-o", str(tmp_path / "a.docx"), "--record").code == 0
    result = run("notice", "--kind", "red", "--out", str(tmp_path / "n"), "--record")
    assert result.code == 0, result.stderr
    assert "闽改办督〔2026〕1号" in result.stdout  # the 督 register starts at 1 on its own
    ledger = load(sample).valid()
    assert len(ledger.circulars) == 1 and min(n.number for n in ledger.notices.values()) == 1


def test_without_record_the_number_is_blank_and_nothing_is_written(
    sample: Path, tmp_path: Path
) -> None:
    before = sample.read_bytes()
    assert run("report", "half", "-p", "1", "-o", str(tmp_path / "a.docx")).code == 0
    assert paragraphs(tmp_path / "a.docx")[1] == "闽改办〔2026〕\u3000号"
    assert sample.read_bytes() == before
    help_text = "".join(run("report", "half", "--help").stdout.split())  # as one line
    assert "--record" in help_text and "不加此项文号留空" in help_text


@pytest.mark.parametrize("out", [None, "a.md", "a.html", "-"])
def test_record_is_for_a_docx_only(sample: Path, tmp_path: Path, out: str | None) -> None:
    before = sample.read_bytes()
    args = [] if out is None else ["--out", out if out == "-" else str(tmp_path / out)]
    result = run("report", "half", *args, "--record")
    assert result.code == 2
    assert "--record" in result.stderr and ".docx" in result.stderr
    assert sample.read_bytes() == before
    assert not list(tmp_path.glob("a.*"))


def test_record_refuses_without_an_office(tmp_path: Path) -> None:
    from tests.conftest import DATA, write_ledger

    path = write_ledger(tmp_path, (DATA / "golden-ledger.toml").read_text(encoding="utf-8"))
    before = path.read_bytes()
    result = run("report", "half", "-o", str(tmp_path / "a.docx"), "--record")
    assert result.code == 2 and "office set" in result.stderr
    assert path.read_bytes() == before


DUPLICATE = """
[circulars.2026-004]
number = 4
on = 2026-07-10
report = "half"
period = "2026-H1"

[circulars.2026-002]
number = 4
on = 2026-08-01
report = "quarter"
period = "2026-Q2"
"""


def test_a_number_is_used_once_a_year(sample: Path, tmp_path: Path) -> None:
    """The rule (rules.one_circular_a_number) in check, and every write refuses the ledger."""
    sample.write_text(sample.read_text(encoding="utf-8") + DUPLICATE, encoding="utf-8")
    result = run("check")
    assert result.code == 2
    line = sample.read_text(encoding="utf-8").splitlines().index("[circulars.2026-002]") + 2
    assert f"ledger.toml:{line}:" in result.stdout + result.stderr
    assert "第 4 号已由 2026-004 使用" in result.stdout + result.stderr
    before = sample.read_bytes()
    refused = run("report", "half", "-o", str(tmp_path / "a.docx"), "--record")
    assert refused.code == 2 and sample.read_bytes() == before
    # the same number in another year is another number
    text = sample.read_text(encoding="utf-8").replace(
        "[circulars.2026-002]\nnumber = 4\non = 2026-08-01",
        "[circulars.2027-004]\nnumber = 4\non = 2027-01-04",
    )
    sample.write_text(text, encoding="utf-8")
    assert run("check").code in (0, 1), run("check").stdout
    assert run("report", "half", "-o", str(tmp_path / "b.docx"), "--record").code == 0
    assert paragraphs(tmp_path / "b.docx")[1] == "闽改办〔2026〕5号"  # one past the highest


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("period", '"2026-H3"', "bad-circular-period"),
        ("report", '"monthly"', "bad-choice"),
        ("number", "0", "bad-notice-number"),
    ],
)
def test_a_bad_entry_is_refused_where_it_stands(
    sample: Path, field: str, value: str, code: str
) -> None:
    entry = DUPLICATE.split("\n\n")[0].replace(
        f"{field} = " + {"period": '"2026-H1"', "report": '"half"', "number": "4"}[field],
        f"{field} = {value}",
    )
    sample.write_text(sample.read_text(encoding="utf-8") + entry + "\n", encoding="utf-8")
    problems = load(sample).problems
    assert [p.code for p in problems] == [code]
    lines = sample.read_text(encoding="utf-8").splitlines()
    assert problems[0].loc.line == lines.index(f"{field} = {value}") + 1


def test_a_number_taken_meanwhile_is_refused(sample: Path) -> None:
    """The number is drawn before the lock: a writer that took it since makes the write refuse
    (run again), never a second document with the same number."""
    sample.write_text(sample.read_text(encoding="utf-8") + DUPLICATE.split("\n\n")[0] + "\n")
    src = Source.read(sample)
    entry = registers.CircularEntry("2026-004", 4, dt.date(2026, 11, 28), "half", "2026-H1", "x")
    with pytest.raises(RefusedChange) as refused:
        registers.circular_record(src, entry)
    assert refused.value.problem.code == "r-stale"


def test_golden_recorded_circular(sample: Path, tmp_path: Path) -> None:
    """The recorded half-year circular's paragraphs and its 版记, whole (regenerate with
    UPDATE_GOLDEN=1)."""
    out = tmp_path / "a.docx"
    assert run("report", "half", "-p", "1", "-o", str(out), "--record").code == 0
    document = docx.Document(str(out))
    lines = [p.text for p in document.paragraphs] + ["版记："] + record_lines(document)
    text = "\n".join(lines) + "\n"
    golden = GOLDEN / "report-half-recorded.zh.docx.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "taken"])
def test_a_document_that_cannot_be_written_records_no_number(
    sample: Path, tmp_path: Path, where: str
) -> None:
    """An adversary's finding: the number was recorded before the file was written, so a
    folder that did not exist left 闽改办〔2026〕1号 in the register with no document. Now the
    document is written beside its place first: any refusal leaves the ledger as it was."""
    before = sample.read_bytes()
    out = tmp_path / "missing" / "h.docx"
    extra: list[str] = []
    if where == "a-folder":
        out = tmp_path / "h.docx"
        out.mkdir()
        extra = ["--force"]
    elif where == "taken":
        out = tmp_path / "h.docx"
        out.write_bytes(b"mine")
    result = run("report", "half", "--period", "1", "--out", str(out), "--record", *extra)
    assert result.code == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert sample.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert where != "taken" or out.read_bytes() == b"mine"
    # the same run to a place that can be written takes number 1: nothing was used up
    ok = run("report", "half", "--period", "1", "--out", str(tmp_path / "ok.docx"), "--record")
    assert ok.code == 0 and "〔2026〕1号" in ok.stdout, ok.stderr


def test_a_number_taken_meanwhile_leaves_no_document(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The register's write refused (another writer took the number while this one rendered):
    the document staged beside its place goes too."""

    def taken(*args: object, **kwargs: object) -> None:
        raise RefusedChange("r-stale", number="闽改办〔2026〕1号")

    monkeypatch.setattr(registers, "circular_record", taken)
    before = sample.read_bytes()
    result = run("report", "half", "--period", "1", "--out", str(tmp_path / "h.docx"), "--record")
    assert result.code == 2
    assert sample.read_bytes() == before
    assert not (tmp_path / "h.docx").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".h.docx")] == []


def test_check_names_a_key_that_is_not_its_number_and_a_period_not_its_report(
    sample: Path,
) -> None:
    """An adversary's finding: a hand-written [circulars.2026-002] holding number 1 passed
    check and then refused every --record ("number taken, run again") for good; a huge number
    passed check and failed the write with the parser's words."""
    text = sample.read_text(encoding="utf-8")
    bad = '\n[circulars.2026-002]\nnumber = 1\non = 2026-01-05\nreport = "half"\nperiod = "2026"\n'
    sample.write_text(text + bad, encoding="utf-8")
    line = len(text.splitlines()) + 2  # the table's header
    result = run("check")
    assert result.code == 2
    lines = [ln for ln in result.stdout.splitlines() if "2026-002" in ln]
    assert lines == [
        f"ledger.toml:{line + 1}:1: 通报 2026-002 的编号是 2026 年第 1 号，键应为 2026-001",
        f"ledger.toml:{line + 4}:1: 通报 2026-002 的期别 2026 与其类别（report = half）不符："
        "半年（half）为 2026-H1，季度（quarter）为 2026-Q3，年度（year）为 2026",
    ], result.stdout
    huge = bad.replace("2026-002", "2026-001").replace("number = 1", "number = 99999")
    sample.write_text(text + huge.replace('"2026"', '"2026-H1"'), encoding="utf-8")
    result = run("check")
    assert result.code == 2 and f"ledger.toml:{line + 1}:" in result.stdout, result.stdout


def test_two_branches_recording_the_same_circular_do_not_merge_clean(tmp_path: Path) -> None:
    """An adversary's finding: two clerks on two branches each numbered the same half-year
    circular on the same day; the lines were identical, git's merge took them as one, and two
    documents went out as 闽改办〔2026〕1号. A register entry both sides added is a conflict,
    named; one that only one side added merges as ever. (Where the two files are identical
    byte for byte, git takes them without asking the driver: not caught here.)"""
    import shutil

    from tests.conftest import ROOT
    from tests.test_git import branch, git, merged
    from tests.test_merge import setup_repo

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    setup_repo(tmp_path, (ROOT / "ledger.toml").read_text(encoding="utf-8"))
    (tmp_path / "out").mkdir()
    record = ("--today", "2026-12-31", "report", "half", "--period", "2", "--record", "--out")
    log = ("--today", "2026-12-31", "log")
    branch(tmp_path, "a", (*record, "out/a.docx"), (*log, "R26-02", "甲", "--month", "2026-12"))
    branch(tmp_path, "b", (*record, "out/b.docx"), (*log, "R26-03", "乙", "--month", "2026-12"))
    branch(tmp_path, "c", ("--today", "2026-12-31", "log", "R26-01", "进展", "--month", "2026-12"))
    proc = merged(tmp_path, "a", "b")
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "两边都记入了 circulars.2026-001" in proc.stdout + proc.stderr
    git(tmp_path, "merge", "--abort")
    clean = merged(tmp_path, "a", "c")  # one side's entry and another change: clean
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "[circulars.2026-001]" in (tmp_path / "ledger.toml").read_text(encoding="utf-8")
