"""A report as one self-contained HTML page, styled for printing on A4: tables with the warning
lights, and bar charts of completion against expected progress (序时进度)."""

from __future__ import annotations

import re
from html import escape

from reformctl.render.circular import Shown, ShownSection
from reformctl.render.table import Table, percent

STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8.5pt; color: #555; }
}
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "PingFang SC",
       "Microsoft YaHei", "WenQuanYi Micro Hei", "SimSun", sans-serif;
       font-size: 10pt; color: #1a1a1a; margin: 0 auto; max-width: 190mm; }
.nb { white-space: nowrap; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 2mm; }
p.subtitle { text-align: center; color: #555; margin: 0 0 6mm; }
h2 { font-size: 12pt; border-bottom: 1.5px solid #444; padding-bottom: 1mm; margin: 7mm 0 2mm;
     break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6px solid #999; padding: 1.2mm 1.6mm; vertical-align: top; }
th { background: #e8e8e8; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
tr.red td { color: #b00020; background: #fde7ea; }
tr.yellow td { background: #fff6d6; }
tr.dim td { color: #888; }
p.note { color: #555; font-size: 8.5pt; margin: 1mm 0; }
.chart { margin: 2mm 0 4mm; }
.chart .row { display: flex; align-items: center; margin: 0.8mm 0; break-inside: avoid; }
.chart .name { width: 32%; padding-right: 2mm; text-align: right; }
.chart .track { position: relative; flex: 1; height: 3.2mm; background: #eee; }
.chart .done { height: 100%; background: #2e7d32; }
.chart .done.behind { background: #e0a100; }
.chart .done.overdue { background: #c62828; }
.chart .expected { position: absolute; top: -0.8mm; bottom: -0.8mm; border-left: 0.6mm solid #222; }
.chart .value { width: 16%; padding-left: 2mm; font-size: 8.5pt; white-space: nowrap; }
.legend { font-size: 8.5pt; color: #555; }
"""


# What must never break across lines: dates and months (2026-08-31), IDs and milestone refs
# (R26-08/network), figures with their unit (逾期9天, 67%, 3个, 9 days).
UNBREAKABLE = re.compile(
    r"(?:逾期|延期)?[0-9A-Za-z](?:[0-9A-Za-z_./%-]*[0-9A-Za-z%])?"
    r"(?:天|个|项|次|号|条|×| days?\b| times?\b)?"
)


def _cell(text: str) -> str:
    """Escaped text with every unbreakable token held together (a nowrap span)."""
    out = []
    last = 0
    for match in UNBREAKABLE.finditer(text):
        token = match.group()
        if len(token) < 2 or not any(c.isdigit() or c in "-/_" for c in token):
            continue  # a plain word breaks only at spaces anyway
        out.append(escape(text[last : match.start()]))
        out.append(f'<span class="nb">{escape(token)}</span>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _table(table: Table) -> str:
    rows = [
        "<thead><tr>"
        + "".join(f"<th>{escape(c.header)}</th>" for c in table.columns)
        + "</tr></thead>"
    ]
    body = []
    for cells, light in zip(table.rows, table.lights, strict=True):
        tds = []
        for value, col in zip(cells, table.columns, strict=True):
            text = percent(value) if col.bar else ("" if value is None else str(value))
            cls = ' class="num"' if col.align == "right" else ""
            tds.append(f"<td{cls}>{_cell(text)}</td>")
        attr = f' class="{light}"' if light else ""
        body.append(f"<tr{attr}>" + "".join(tds) + "</tr>")
    rows.append("<tbody>" + "".join(body) + "</tbody>")
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in table.notes)
    return "<table>" + "".join(rows) + "</table>" + notes


def _chart(section: ShownSection, lang: str) -> str:
    if not section.chart:
        return ""
    rows = []
    for name, done, expected, light in section.chart:
        state = {"red": "overdue", "yellow": "behind"}.get(light or "", "")
        rows.append(
            f'<div class="row"><div class="name">{escape(name)}</div><div class="track">'
            f'<div class="done {state}" style="width:{done * 100:.1f}%"></div>'
            f'<div class="expected" style="left:{expected * 100:.1f}%"></div></div>'
            f'<div class="value">{percent(done)} / {percent(expected)}</div></div>'
        )
    legend = (
        "条形：完成率；竖线：序时进度"
        if lang == "zh"
        else "bar: completion; line: expected progress"
    )
    return f'<div class="chart">{"".join(rows)}<p class="legend">{legend}</p></div>'


def page(report: Shown, lang: str) -> str:
    sections = "".join(
        f"<section><h2>{escape(s.title)}</h2>{_chart(s, lang)}{_table(s.table)}</section>"
        for s in report.sections
    )
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!doctype html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<h1>{escape(report.title)}</h1>\n<p class="subtitle">{_cell(report.subtitle)}</p>\n'
        f"{sections}\n</body>\n</html>\n"
    )
