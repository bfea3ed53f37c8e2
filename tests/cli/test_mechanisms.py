"""Topics and meetings, pilots, model cases, outposts and feedback: commands, refusals,
checks with file:line, derived status, and their place in the reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.conftest import BASE, ROOT, run, write_ledger


@pytest.fixture
def full(tmp_path: Path) -> Path:
    """The bundled sample, with its topics, pilots, cases and outposts."""
    path = tmp_path / "ledger.toml"
    shutil.copy(ROOT / "ledger.toml", path)
    return path


def js(*args: str) -> object:
    result = run(*args, "--format", "json")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def test_topics_and_meetings(full: Path) -> None:
    states = {t["id"]: (t["status"], t["meeting"]) for t in js("topic", "list")}  # type: ignore[union-attr]
    assert states == {
        "T26-01": ("discussed", "M26-01"),
        "T26-02": ("discussed", "M26-02"),
        "T26-03": ("reserved", None),
        "T26-04": ("scheduled", "M26-03"),
    }
    assert run("topic", "add", "T26-05", "--title", "标准地", "--group", "economy").code == 0
    assert run("meeting", "add", "M26-04", "--on", "2026-12-25", "--theme", "T26-05").code == 0
    assert js("meeting", "list")[-1] == {  # type: ignore[index]
        "id": "M26-04",
        "on": "2026-12-25",
        "theme": "T26-05",
        "title": "标准地",
        "held": False,
    }
    assert load(full).valid().points["R26-01"].topic == "T26-01"


def test_pilots_due_for_review_first_and_reviews(full: Path) -> None:
    rows = js("pilot", "list")
    assert [(p["id"], p["status"]) for p in rows] == [  # type: ignore[union-attr]
        ("P-np", "due_review"),
        ("P-fz", "due_review"),
        ("P-fq", "active"),
        ("P-jm", "active"),
        ("P-sx", "promoted"),
        ("P-zz", "dropped"),
    ]
    assert run("pilot", "review", "P-np", "--rating", "良好", "--note", "扩面").code == 0
    assert [p["id"] for p in js("pilot", "list")][:1] == ["P-fz"]  # type: ignore[union-attr]
    assert run("pilot", "review", "P-fz", "--rating", "退出").code == 0
    dropped = [p for p in js("pilot", "list") if p["status"] == "dropped"]  # type: ignore[union-attr]
    assert {p["id"] for p in dropped} == {"P-fz", "P-zz"}
    assert len(load(full).valid().pilots["P-fz"].reviews) == 2  # the history stays


def test_cases_and_outposts(full: Path) -> None:
    assert (
        run(
            "case",
            "add",
            "C26-05",
            "--title",
            "标准地出让",
            "--from",
            "R26-03",
            "--theme",
            "营商环境",
            "--quarter",
            "2026-Q4",
            "--selection",
            "改革品牌",
            "--selection",
            "十佳案例",
        ).code
        == 0
    )
    assert (
        run("case", "promote", "C26-05", "--to", "漳州市复制推广", "--on", "2026-11-20").code == 0
    )
    q4 = js("case", "list", "--quarter", "2026-Q4")
    assert [c["id"] for c in q4] == ["C26-04", "C26-05"]  # type: ignore[union-attr]
    assert q4[1]["promotions"] == [{"to": "漳州市复制推广", "on": "2026-11-20"}]  # type: ignore[index]
    assert [c["id"] for c in js("case", "list", "--theme", "林改")] == ["C26-01"]  # type: ignore[union-attr]
    assert (
        run("outpost", "add", "O-e02", "--name", "泉州某纺织企业", "--kind", "enterprise").code == 0
    )
    assert run("feedback", "add", "--outpost", "O-e02", "--point", "R26-03", "开工提速").stdout == (
        "已添加反馈 FB-20261128-ea07eaf9（O-e02）\n"
    )
    assert [f["id"] for f in js("feedback", "list", "--point", "R26-03")] == [
        "FB-20261128-ea07eaf9"
    ]  # type: ignore[union-attr]
    assert {o["id"]: o["feedback"] for o in js("outpost", "list")}["O-e02"] == 1  # type: ignore[union-attr]
    show = js("show", "R26-03")
    assert [f["text"] for f in show["feedback"]] == ["开工提速"]  # type: ignore[index]
    assert "开工提速" in run("show", "R26-03").stdout
    assert run("fmt", "--check").code == 0
    assert load(full).problems == []


REFUSALS = [
    (
        ["meeting", "add", "M26-09", "--on", "2026-12-01", "--theme", "T26-01"],
        "议题 T26-01 已是会议 M26-01 的主题，会议 M26-09 不能再以它为主题",
    ),
    (["meeting", "add", "M26-09", "--on", "2026-12-01", "--theme", "T99"], "未知的议题 T99"),
    (["meeting", "add", "M26-01", "--on", "2026-12-01", "--theme", "T26-03"], "会议 M26-01 已存在"),
    (["topic", "add", "T26-09", "--title", "x", "--group", "nope"], "未知的专项小组 nope"),
    (
        ["pilot", "review", "P-sx", "--rating", "优秀", "--on", "2021-01-01"],
        "P-sx 的评估日期 2021-01-01 早于入库日期 2021-03-01",
    ),
    (
        ["pilot", "review", "P-sx", "--rating", "很好"],
        "--rating 为“很好”，应为：优秀、良好、一般、退出",
    ),
    (
        ["pilot", "review", "P-sx", "--rating", "优秀", "--on", "2026-01-15"],
        "P-sx 在 2026-01-15 已有评估记录",
    ),
    (["pilot", "review", "P-nope", "--rating", "优秀"], "未知的基层创新项目 P-nope"),
    (
        [
            "pilot",
            "add",
            "P-x",
            "--name",
            "n",
            "--place",
            "p",
            "--kind",
            "试点",
            "--unit",
            "ggb",
            "--since",
            "2026-01-01",
        ],
        "--kind 为“试点”",
    ),
    (
        [
            "pilot",
            "add",
            "P-x",
            "--name",
            "n",
            "--place",
            "p",
            "--kind",
            "一县一特色",
            "--unit",
            "ggb",
            "--since",
            "2027-01-01",
        ],
        "--since 的日期 2027-01-01 晚于今天",
    ),
    (
        [
            "case",
            "add",
            "C-x",
            "--title",
            "t",
            "--from",
            "Q-1",
            "--theme",
            "x",
            "--quarter",
            "2026-Q1",
        ],
        "Q-1 既不是基层创新项目也不是工作要点",
    ),
    (
        [
            "case",
            "add",
            "C-x",
            "--title",
            "t",
            "--from",
            "P-sx",
            "--theme",
            "x",
            "--quarter",
            "2026Q1",
        ],
        "季度 2026Q1 应为 YYYY-Qn 形式",
    ),
    (
        ["case", "promote", "C26-01", "--to", "x", "--on", "2026-12-01"],
        "--on 的日期 2026-12-01 晚于今天",
    ),
    (
        ["outpost", "add", "O-x", "--name", "n", "--kind", "city"],
        "--kind 为“city”，应为：county、enterprise",
    ),
    (["feedback", "add", "--outpost", "O-nope", "x"], "未知的前哨站 O-nope"),
    (["feedback", "add", "--outpost", "O-jj", "--point", "R26-99", "x"], "未知的工作要点 R26-99"),
]


@pytest.mark.parametrize(
    ("args", "message"), REFUSALS, ids=[" ".join(a[:2]) + " " + m[:12] for a, m in REFUSALS]
)
def test_refusals(full: Path, args: list[str], message: str) -> None:
    before = full.read_bytes()
    result = run(*args)
    assert result.code == 2, result.stdout
    assert message in result.stderr
    assert full.read_bytes() == before


def test_check_names_file_and_line(tmp_path: Path) -> None:
    text = BASE.replace("major = true", 'major = true\ntopic = "T9"') + (
        '\n[topics.T1]\ntitle = "t"\n\n[meetings.M1]\non = 2026-03-01\ntheme = "T1"\n\n'
        '[meetings.M2]\non = 2026-04-01\ntheme = "T1"\n\n'
        '[pilots.P1]\nname = "n"\nplace = "p"\nkind = "一县一特色"\nunit = "fgw"\nsince = 2026-01-01\n\n'
        '[pilots.P1.reviews]\n2025-12-01 = { rating = "优秀" }\n2026-02-01 = { rating = "超好" }\n\n'
        '[cases.C1]\ntitle = "c"\nfrom = "X"\ntheme = "t"\nquarter = "2026-Q5"\n\n'
        '[outposts.O1]\nname = "o"\nkind = "town"\n\n'
        '[feedback.FB-0001]\noutpost = "O9"\non = 2026-05-01\ntext = "x"\n'
    )
    write_ledger(tmp_path, text)
    result = run("--lang", "en", "check")
    assert result.code == 2
    lines = [line for line in result.stdout.splitlines() if line.startswith("ledger.toml")]
    assert lines == [  # each at the line of the key at fault (checked against the text)
        "ledger.toml:26:1: work point R26-01 refers to an unknown agenda topic T9",
        "ledger.toml:50:1: topic T1 is already the theme of meeting M1; meeting M2 cannot take it too",
        "ledger.toml:60:1: pilot P1: reviewed on 2025-12-01, before it started on 2026-01-01",
        """ledger.toml:61:1: pilot P1: rating is "超好"; choose from 优秀, 良好, 一般, 退出""",
        "ledger.toml:65:1: model case C1: X is neither a pilot nor a work point",
        "ledger.toml:67:1: model case C1: quarter 2026-Q5 must be YYYY-Qn",
        """ledger.toml:71:1: outpost O1: kind is "town"; choose from county, enterprise""",
        "ledger.toml:74:1: feedback FB-0001 refers to an unknown outpost O9",
        "ledger.toml: 8 problems found",
    ]
    text_lines = text.splitlines()
    assert text_lines[65 - 1] == 'from = "X"' and text_lines[74 - 1] == 'outpost = "O9"'


def test_reports_count_the_mechanisms(full: Path) -> None:
    run("report", "half", "--period", "1", "--out", "h.json")
    figures = json.loads(Path("h.json").read_text(encoding="utf-8"))["sections"]["headline"]
    # meetings in March and June; reviews of 沙县 (Jan), 福州 (Mar), 福清 (Jun); cases of Q1 and
    # Q2; one case promoted (twice) within the half-year
    assert (
        figures["meetings_held"],
        figures["pilots_reviewed"],
        figures["cases_selected"],
        figures["cases_promoted"],
    ) == (2, 3, 2, 1)
    # on 30 June: 南平 (reviewed October 2025, due April) and 集美 (first reviewed only in July)
    assert figures["pilots_due_for_review"] == 2
    run("report", "quarter", "--period", "3", "--out", "q.json")
    quarter = json.loads(Path("q.json").read_text(encoding="utf-8"))["sections"]["headline"]
    assert quarter["case_themes"] == ["平安建设"]
