"""Import either reproduces a ledger's facts exactly or refuses by row, never anything else:
a random ledger written as a sheet of random layout (title rows, header synonyms, column order,
the group as a column or as group rows, blank rows, milestones on rows of their own with the
point's cells repeated, blank or merged, or numbered in one cell), then imported through the
real CLI into a ledger that declares the same units and groups."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reformctl.ledger.loader import load
from tests.conftest import examples, run

openpyxl = pytest.importorskip("openpyxl")

UNITS = {"fgw": "省发改委", "lyj": "省林业局", "czt": "省财政厅", "ybj": "省医保局"}
GROUPS = {"economy": "经济体制改革专项小组", "society": "社会体制改革专项小组"}
HEAD = """\
schema = 1

[ledger]
title = "随机台账"
year = 2026
timezone = "Asia/Shanghai"
"""
# no numerals, no date words, no 合计/备注 words: text a clerk types as a title or a step
WORDS = "甲乙丙丁戊己庚辛壬癸改革推进方案试点深化完善机制制度建设"
SYNONYMS = {
    "title": ["工作要点", "改革任务", "重点任务", "改革事项", "工作\n要点"],
    "lead": ["牵头单位", "牵头部门"],
    "units": ["配合单位", "参与单位"],
    "ms_name": ["节点", "节点任务", "阶段任务"],
    "due": ["完成时限", "计划完成时间", "时间节点", "完成\u3000时限"],
    "group": ["专项小组", "专项工作小组"],
}
text = st.text(alphabet=WORDS, min_size=2, max_size=8)


@st.composite
def ledgers(draw: Any) -> list[dict[str, Any]]:
    titles = draw(st.lists(text, min_size=1, max_size=4, unique=True))
    points = []
    for title in titles:
        lead = draw(st.sampled_from(list(UNITS)))
        others = draw(
            st.lists(st.sampled_from([u for u in UNITS if u != lead]), unique=True, max_size=2)
        )
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True))
        names = draw(st.lists(text, min_size=len(months), max_size=len(months), unique=True))
        steps = [
            (name, dt.date(2026, m, calendar.monthrange(2026, m)[1]))
            for name, m in zip(names, sorted(months), strict=True)
        ]
        group = draw(st.sampled_from(list(GROUPS)))
        points.append(
            {"title": title, "group": group, "lead": lead, "units": others, "steps": steps}
        )
    return points


@st.composite
def layouts(draw: Any) -> dict[str, Any]:
    return {
        "titles": draw(st.integers(0, 2)),
        "names": {f: draw(st.sampled_from(n)) for f, n in SYNONYMS.items()},
        "order": draw(st.permutations(["title", "lead", "units", "ms_name", "due", "group"])),
        "group_rows": draw(st.booleans()),
        "blank_rows": draw(st.booleans()),
        "modes": draw(
            st.lists(st.sampled_from(["repeat", "blank", "merged", "cell"]), min_size=4, max_size=4)
        ),
        "due_form": draw(st.sampled_from(["date", "iso", "month", "phrase"])),
        # 牵头单位 + 配合单位 columns, or one 责任单位 column with the lead marked or worded
        "units_style": draw(st.sampled_from(["columns", "marked", "worded"])),
        "csv": draw(st.booleans()),  # saved as CSV: merges become blank cells, dates text
    }


def due_cell(day: dt.date, form: str) -> Any:
    if form == "date":
        return dt.datetime(day.year, day.month, day.day)
    if form == "iso":
        return day.isoformat()
    if form == "phrase":
        return f"{day.month}月底前"  # the ledger's year
    return f"{day.year}年{day.month}月底"


def unit_cells(p: dict[str, Any], style: str) -> dict[str, str]:
    lead, others = UNITS[p["lead"]], [UNITS[u] for u in p["units"]]
    if style == "columns":
        return {"lead": lead, "units": "、".join(others)}
    if style == "marked":
        return {"lead": "、".join([f"{lead}（牵头）", *others])}
    return {"lead": f"{lead}牵头" + (f"，{'、'.join(others)}配合" if others else "")}


def write(points: list[dict[str, Any]], layout: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """The sheet; returns the points in the order the sheet holds them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    columns = [f for f in layout["order"] if f != "group" or not layout["group_rows"]]
    if layout["units_style"] != "columns":
        columns.remove("units")
    width = len(columns)
    for n in range(layout["titles"]):
        ws.append(["2026年改革工作台账" if n == 0 else "填报单位：省委改革办"])
        ws.merge_cells(
            start_row=ws._current_row, start_column=1, end_row=ws._current_row, end_column=width
        )
    names = dict(layout["names"])
    if layout["units_style"] != "columns":
        names["lead"] = "责任单位"
    ws.append([names[f] for f in columns])
    order = (
        sorted(points, key=lambda p: list(GROUPS).index(p["group"]))
        if layout["group_rows"]
        else points
    )
    group = None
    for i, p in enumerate(order):
        if layout["group_rows"] and p["group"] != group:
            group = p["group"]
            numeral = "一二"[list(GROUPS).index(group)]
            ws.append([f"{numeral}、{GROUPS[group]}"])
            ws.merge_cells(
                start_row=ws._current_row, start_column=1, end_row=ws._current_row, end_column=width
            )
        if layout["blank_rows"] and i:
            ws.append([])
        mode = layout["modes"][i % 4]
        base = {
            "title": p["title"],
            **unit_cells(p, layout["units_style"]),
            "group": GROUPS[p["group"]],
        }
        if mode == "cell":
            cell = "\n".join(
                f"{n}.{d.year}年{d.month}月底 {name}" for n, (name, d) in enumerate(p["steps"], 1)
            )
            ws.append([{**base, "ms_name": cell, "due": None}.get(f) for f in columns])
            continue
        first = ws._current_row + 1
        for k, (name, day) in enumerate(p["steps"]):
            cells = {**base, "ms_name": name, "due": due_cell(day, layout["due_form"])}
            if k and mode != "repeat":
                cells = {"ms_name": name, "due": cells["due"]}
            ws.append([cells.get(f) for f in columns])
        if mode == "merged" and len(p["steps"]) > 1:
            for f in base:
                if f in columns:
                    c = columns.index(f) + 1
                    ws.merge_cells(
                        start_row=first, start_column=c, end_row=ws._current_row, end_column=c
                    )
    if layout["csv"]:
        import csv

        with path.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            for row in ws.iter_rows(values_only=True):
                out.writerow(
                    ["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else v
                     for v in row]
                )  # fmt: skip
    else:
        wb.save(path)
    return order


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(points=ledgers(), layout=layouts())
def test_import_reproduces_the_ledger_or_refuses_by_row(
    tmp_path: Path, points: list[dict[str, Any]], layout: dict[str, Any]
) -> None:
    work = tmp_path / "h"
    work.mkdir(exist_ok=True)
    ledger = work / "ledger.toml"
    units = "".join(f'\n[units.{k}]\nname = "{n}"\n' for k, n in UNITS.items())
    groups = "".join(f'\n[groups.{k}]\nname = "{n}"\nlead = "fgw"\n' for k, n in GROUPS.items())
    ledger.write_text(HEAD + units + groups, encoding="utf-8")
    path = work / ("t.csv" if layout["csv"] else "t.xlsx")
    order = write(points, layout, path)
    result = run("import", str(path), env={"REFORMCTL_LEDGER": str(ledger)})
    event(f"exit {result.code}")
    if result.code == 2:  # a refusal: every line names the file and a row, nothing written
        lines = result.stderr.splitlines()
        assert all(re.match(rf"{path.name}:\d+: ", line) for line in lines[:-1]), lines
        assert lines[-1].startswith(f"{path.name}: ")
        assert "[points." not in ledger.read_text(encoding="utf-8")
        return
    assert result.code == 0, result.stderr
    led = load(ledger).valid()
    assert set(led.units) == set(UNITS) and set(led.groups) == set(GROUPS)
    got = [
        (p.title, p.group, p.lead, list(p.units), [(m.name, m.due) for m in p.milestones])
        for p in led.points.values()
    ]
    want = [(p["title"], p["group"], p["lead"], p["units"], p["steps"]) for p in order]
    assert got == want


# -- an edited export: every edited cell applied or refused ------------------------------------------
EDITS = st.fixed_dictionaries(
    {},
    optional={
        "done": st.dates(dt.date(2026, 7, 1), dt.date(2026, 11, 28)),
        "evidence": text,
        "name": text,
        "units": st.sampled_from([[], ["fgw"], ["fgw", "czt"], ["czt"]]),
        "progress": st.lists(text, min_size=1, max_size=2),
        "due": st.dates(dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        "title": text,
    },
)


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_every_edited_cell_is_applied_or_the_file_refused(
    tmp_path: Path, base_text: str, edits: dict[str, Any]
) -> None:
    """The base ledger exported, cells of its open milestone (pilot) and of its point edited;
    import --update either makes exactly those changes or, for a moved deadline, refuses naming
    the row and column and writes nothing."""
    work = tmp_path / "u"
    work.mkdir(exist_ok=True)
    ledger = work / "ledger.toml"
    ledger.write_text(base_text + '\n[units.czt]\nname = "省财政厅"\n', encoding="utf-8")
    env = {"REFORMCTL_LEDGER": str(ledger)}
    out = work / "t.xlsx"
    assert run("export", "--out", str(out), "--force", env=env).code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["台账"]
    col = {c.value: c.column for c in ws[3] if c.value}
    rows = {ws.cell(r, col["节点编号"]).value: r for r in range(4, ws.max_row + 1)}
    pilot = rows["pilot"]
    if "done" in edits:
        ws.cell(pilot, col["完成日期"]).value = dt.datetime.combine(edits["done"], dt.time())
    if "evidence" in edits:
        ws.cell(pilot, col["佐证材料"]).value = edits["evidence"]
    if "name" in edits:
        ws.cell(pilot, col["节点"]).value = edits["name"]
    if "due" in edits:
        ws.cell(pilot, col["完成时限"]).value = dt.datetime.combine(edits["due"], dt.time())
    for r in rows.values():
        if "units" in edits:
            ws.cell(r, col["配合单位"]).value = "、".join(UNITS[u] for u in edits["units"])
        if "title" in edits:
            ws.cell(r, col["工作要点"]).value = edits["title"]
    ws.cell(3, ws.max_column + 1).value = "本月进展"
    for text_, r in zip(edits.get("progress", []), sorted(rows.values()), strict=False):
        ws.cell(r, ws.max_column).value = text_
    wb.save(out)
    before = ledger.read_bytes()
    result = run("import", str(out), "--update", env=env)
    moved = "due" in edits and edits["due"] != dt.date(2026, 6, 30)
    evidence_alone = "evidence" in edits and "done" not in edits
    if moved or evidence_alone:  # refused by row and column, nothing written
        assert result.code == 2
        column = "L: “完成时限”" if moved else "N: “佐证材料”"
        assert re.search(rf"t\.xlsx:台账:{pilot}:{column}：", result.stderr), result.stderr
        assert ledger.read_bytes() == before
        return
    assert result.code == 0, result.stderr
    point = load(ledger).valid().points["R26-01"]
    ms = point.milestone("pilot")
    assert ms is not None
    assert ms.done == edits.get("done")
    assert ms.evidence == (edits.get("evidence") if "done" in edits else None)
    assert ms.name == edits.get("name", "开展试点")
    # a cell emptied on every row of the point (each carries its ID) clears it, as edit does
    assert list(point.units) == edits.get("units", ["fgw"])
    assert point.title == edits.get("title", "深化集体林权制度改革")
    entries = {e.month: e.text for e in point.progress}
    if edits.get("progress"):
        assert entries["2026-11"] == "；".join(dict.fromkeys(edits["progress"]))
    else:
        assert "2026-11" not in entries
