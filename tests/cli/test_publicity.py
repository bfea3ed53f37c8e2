"""`publicity add|list`: the register of reform publicity (改革宣传), with the guarantees of the
other registers (refusals leave the ledger as it was; check names file:line), counted by the
year-end reckoning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.conftest import run


def test_add_list_and_count(ledger: Path) -> None:
    added = run(
        "publicity", "add", "PR-01", "--outlet", "人民日报", "--level", "national",
        "--kind", "interview", "--title", "林改再出发", "--about", "R26-01", "--on", "2026-05-03",
    )  # fmt: skip
    assert added.code == 0, added.stderr
    assert run(
        "publicity", "add", "PR-02", "--outlet", "福建改革微信公众号", "--level", "own",
        "--kind", "wechat", "--title", "一图读懂林票",
    ).code == 0  # fmt: skip
    entry = load(ledger).valid().publicity["PR-01"]
    assert (entry.outlet, entry.level, entry.kind, entry.about) == (
        "人民日报", "national", "interview", "R26-01",
    )  # fmt: skip
    listed = run("publicity", "list", "--format", "json")
    assert [r["id"] for r in json.loads(listed.stdout)] == ["PR-01", "PR-02"]
    table = run("publicity", "list", "--format", "plain").stdout
    assert "中央媒体" in table and "专题访谈" in table and "深化集体林权制度改革" in table
    assert "微信公众号" in table and "自有平台" in table
    assert run("report", "year", "--out", "y.json").code == 0
    data = json.loads(Path("y.json").read_text(encoding="utf-8"))
    figures = data["sections"]["headline"]
    assert figures["publicity"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "world"], "--level"),
        (["--kind", "tv"], "--kind"),
        (["--about", "R99"], "R99"),
        (["--on", "2026-12-30"], "2026-12-30"),
        (["--title", " "], "--title"),
    ],
)
def test_refusals_leave_the_ledger_as_it_was(ledger: Path, args: list[str], message: str) -> None:
    before = ledger.read_bytes()
    base = {"--outlet": "人民日报", "--level": "national", "--kind": "release", "--title": "标题"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    flat = [x for pair in base.items() for x in pair]
    result = run("publicity", "add", "PR-09", *flat)
    assert result.code == 2 and message in result.stderr
    assert ledger.read_bytes() == before


def test_check_names_a_bad_entry(ledger: Path) -> None:
    ledger.write_text(
        ledger.read_text(encoding="utf-8")
        + '\n[publicity.PR-01]\noutlet = "人民日报"\nlevel = "world"\nkind = "release"\n'
        'on = 2026-05-01\ntitle = "x"\nabout = "C9"\n',
        encoding="utf-8",
    )
    result = run("check")
    assert result.code == 2
    assert "宣传报道 PR-01" in result.stdout and "world" in result.stdout
    assert "C9 既不是工作要点也不是典型案例" in result.stdout
