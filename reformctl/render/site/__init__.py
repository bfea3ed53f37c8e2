"""The ledger as a static site (`site`): every page as text, by its path in the site.

Pages are built as strings, from the frame and the shared tables of
:mod:`reformctl.render.site.parts`; every value from the ledger goes through its :func:`h`
(control characters made visible as render/escape.py does, then HTML-escaped). No template
engine: the pages are a handful of tables and lists, and a string builder keeps start-up light
and the escaping in one visible place. Figures are written twice: as the words a person reads and as
``data-*`` attributes (the numbers `progress --format json` gives) that tests compare.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from fractions import Fraction
from html import escape
from typing import TYPE_CHECKING

from reformctl.i18n import label, tr
from reformctl.render import Table, percent
from reformctl.render.diffview import describe, named
from reformctl.render.site.assets import SCRIPT, STYLE
from reformctl.render.site.parts import LIGHT_OF_STATUS, Parts, h, h_lines
from reformctl.render.views import (
    cases_view,
    feedback_view,
    meetings_view,
    outposts_view,
    pilots_view,
    publicity_view,
    topics_view,
)

if TYPE_CHECKING:
    from reformctl.model import Milestone, Point
    from reformctl.schedule import PointView
    from reformctl.sitedata import Site

INDEX_ROWS = 30  # the overdue and due-this-week lists on the index: the rest on due.html


class Pages(Parts):
    """Builds every page of one site in one language."""

    # -- pages --------------------------------------------------------------------------------
    def index(self) -> str:
        s = self.site
        total = s.total
        title = self.ledger.settings.title
        statuses: dict[str, int] = {}
        for v in s.views:
            statuses[v.status] = statuses.get(v.status, 0) + 1
        figures = self.figures(
            [
                ("points", label("site-points-n", self.lang), str(len(s.views))),
                ("milestones", label("site-milestones-n", self.lang), str(total.milestones)),
                ("due_to_date", label("col-due_to_date", self.lang), str(total.due_to_date)),
                ("done", label("col-done", self.lang), str(total.done)),
                ("overdue", label("col-overdue", self.lang), str(total.overdue)),
                ("due_week", label("site-week-n", self.lang), str(len(s.due_week))),
                ("completion", label("col-completion", self.lang), percent(total.completion)),
                ("expected", label("col-expected", self.lang), percent(total.expected)),
                ("closed", label("site-closed-n", self.lang), str(statuses.get("closed", 0))),
            ]
        )
        status_line = "、".join(
            f"{label(f'status-{k}', self.lang)} {statuses[k]}"
            for k in ("overdue", "behind", "on_track", "ahead", "done", "closed", "not_started")
            if statuses.get(k)
        )
        body = [
            f'<p class="sub">{h(tr("titled", self.lang, title=title, today=s.today))}</p>',
            f"<h2>{self.t('site-figures')}</h2>",
            figures,
            f'<p class="note">{self.t("site-status-count")}：{escape(status_line)}</p>',
            f"<h2>{self.t('site-board-unit')}</h2>",
            self.ranking(s.by_unit, "unit", label("site-board-unit", self.lang), ""),
            f"<h2>{self.t('site-board-group')}</h2>",
            self.ranking(s.by_group, "group", label("site-board-group", self.lang), ""),
            f'<p class="note">{escape(tr("ranking-rule", self.lang))}</p>',
            f"<h2>{self.t('site-overdue')}</h2>",
            self.due_list(s.overdue[:INDEX_ROWS], label("site-overdue", self.lang), ""),
            self.more(len(s.overdue)),
            f"<h2>{self.t('site-week')}</h2>",
            self.due_list(s.due_week[:INDEX_ROWS], label("site-week", self.lang), ""),
            self.more(len(s.due_week)),
            f"<h2>{self.t('site-chart')}</h2>",
            self.chart(),
        ]
        return self.page("index.html", label("site-overview", self.lang), "\n".join(body))

    def more(self, n: int) -> str:
        if n <= INDEX_ROWS:
            return ""
        text = tr("site-more", self.lang, n=INDEX_ROWS)
        return (
            f'<p class="note">{escape(text)} <a href="due.html">{self.t("site-due")}</a>（{n}）</p>'
        )

    def chart(self) -> str:
        months = self.site.months
        if not months:
            return f'<p class="note">{self.t("site-none")}</p>'
        w, ht, left, right, top, bottom = 640, 260, 44, 16, 12, 40
        span = max(len(months) - 1, 1)

        def x(i: int) -> float:
            return left + (w - left - right) * (i / span if len(months) > 1 else 0.5)

        def y(value: float) -> float:
            return top + (ht - top - bottom) * (1 - value)

        def share(n: int, of: int) -> float:
            return n / of if of else 0.0

        done = " ".join(
            f"{x(i):.1f},{y(share(m.done, m.milestones)):.1f}" for i, m in enumerate(months)
        )
        due = " ".join(
            f"{x(i):.1f},{y(share(m.due, m.milestones)):.1f}" for i, m in enumerate(months)
        )
        grid = "".join(
            f'<line class="grid" x1="{left}" x2="{w - right}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{round(v * 100)}%</text>'
            for v in (0, 0.25, 0.5, 0.75, 1)
        )
        ticks = "".join(
            f'<text x="{x(i):.1f}" y="{ht - bottom + 18}" text-anchor="middle">'
            f"{m.day.month}{'月' if self.lang == 'zh' else ''}</text>"
            for i, m in enumerate(months)
        )
        marks = "".join(
            f'<circle cx="{x(i):.1f}" cy="{y(share(m.done, m.milestones)):.1f}" r="3.5" '
            'fill="#1b5e20"/>'
            for i, m in enumerate(months)
        )
        legend_done = self.t("site-chart-done")
        legend_due = self.t("site-chart-expected")
        svg = (
            f'<svg viewBox="0 0 {w} {ht}" role="img" aria-labelledby="chart-title">'
            f'<title id="chart-title">{self.t("site-chart")}</title>{grid}'
            f'<line class="axis" x1="{left}" x2="{w - right}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>'
            f'<polyline class="expected" points="{due}"/>'
            f'<polyline class="done" points="{done}"/>{marks}{ticks}'
            f'<line class="done" x1="{left}" x2="{left + 28}" y1="{ht - 8}" y2="{ht - 8}"/>'
            f'<text x="{left + 34}" y="{ht - 4}">{legend_done}</text>'
            f'<line class="expected" x1="{left + 230}" x2="{left + 258}" y1="{ht - 8}" '
            f'y2="{ht - 8}"/><text x="{left + 264}" y="{ht - 4}">{legend_due}</text></svg>'
        )
        headers = [
            label("col-month", self.lang),
            label("col-done", self.lang),
            label("col-due_to_date", self.lang),
            label("col-completion", self.lang),
            label("col-expected", self.lang),
        ]
        rows = [
            (
                [
                    m.day.isoformat(),
                    str(m.done),
                    str(m.due),
                    percent(Fraction(m.done, m.milestones) if m.milestones else 0),
                    percent(Fraction(m.due, m.milestones) if m.milestones else 0),
                ],
                f' data-month="{m.month}" data-done="{m.done}" data-due="{m.due}"',
            )
            for m in months
        ]
        return f'<div class="chart">{svg}</div>' + self.table(
            label("site-chart", self.lang), headers, rows, nums=(1, 2, 3, 4), cls="months"
        )

    def all_points(self) -> str:
        body = self.points_table(self.site.views, label("site-points", self.lang), "")
        return self.page("points.html", label("site-points", self.lang), body)

    def due(self) -> str:
        body = self.due_list(self.site.overdue, label("site-overdue", self.lang), "")
        body += self.due_list(self.site.due_week, label("site-week", self.lang), "")
        return self.page("due.html", label("site-due", self.lang), body)

    def unit(self, key: str) -> str:
        path = f"units/{key}.html"
        root = "../"
        led = [v for v in self.site.views if v.point.lead == key]
        coop = [v for v in self.site.views if key in v.point.units]
        now = next((r for r in self.site.by_unit if r.key == key), None)
        body = [
            self.ranking([now], "unit", label("site-board-unit", self.lang), root) if now else "",
            f"<h2>{self.t('site-rank-history')}</h2>",
            self.trend("unit", key, now),
            f"<h2>{self.t('site-led')}</h2>",
            self.points_table(led, label("site-led", self.lang), root),
            self.milestones_table(
                [v.point for v in led], label("site-milestones", self.lang), root
            ),
            f"<h2>{self.t('site-coop')}</h2>",
            self.points_table(coop, label("site-coop", self.lang), root),
        ]
        return self.page(path, self.ledger.unit_name(key), "\n".join(body))

    def group(self, key: str) -> str:
        path = f"groups/{key}.html"
        root = "../"
        views = [v for v in self.site.views if v.point.group == key]
        now = next((r for r in self.site.by_group if r.key == key), None)
        lead = self.ledger.groups[key].lead
        body = [
            f'<p class="sub">{self.t("col-lead")}：{self.link_unit(lead, root)}</p>',
            self.ranking([now], "group", label("site-board-group", self.lang), root) if now else "",
            f"<h2>{self.t('site-rank-history')}</h2>",
            self.trend("group", key, now),
            f"<h2>{self.t('site-group-points')}</h2>",
            self.points_table(views, label("site-group-points", self.lang), root),
            self.milestones_table(
                [v.point for v in views], label("site-milestones", self.lang), root
            ),
        ]
        return self.page(path, self.ledger.group_name(key), "\n".join(body))

    def point(self, view: PointView) -> str:
        p = view.point
        root = "../"
        path = f"points/{p.id}.html"
        units = "、".join(self.link_unit(u, root) for u in p.units) or self.t("none")
        facts = [
            (label("col-status", self.lang), self.status(view)),
            (label("col-group", self.lang), self.link_group(p.group, root)),
            (label("col-lead", self.lang), self.link_unit(p.lead, root)),
            (label("col-units", self.lang), units),
            (label("col-progress", self.lang), percent(view.counts.completion)),
            (label("col-expected", self.lang), percent(view.counts.expected)),
        ]
        if p.path:
            facts.append((label("f-path", self.lang), h_lines(p.path)))
        if p.outcome:
            facts.append((label("f-outcome", self.lang), h_lines(p.outcome)))
        if p.major:
            facts.append((label("site-major", self.lang), self.t("yes")))
        for name, value in (
            ("topic", p.topic),
            ("city", p.city),
            ("carried_from", p.carried_from),
        ):
            if value:
                facts.append((label(f"f-{name}", self.lang), h(value)))
        dl = "".join(f"<div><dt>{escape(k)}</dt><dd>{v}</dd></div>" for k, v in facts)
        body = [
            f"<h2>{self.t('site-facts')}</h2>",
            f'<dl class="facts">{dl}</dl>',
            f"<h2>{self.t('site-milestones')}</h2>",
            self.milestones_table([p], label("site-milestones", self.lang), root),
            f"<h2>{self.t('site-extensions')}</h2>",
            self.extensions(p.milestones),
            f"<h2>{self.t('site-progress')}</h2>",
            self.table(
                label("site-progress", self.lang),
                [label("col-month", self.lang), label("col-entry", self.lang)],
                [([h(e.month), h_lines(e.text)], "") for e in p.progress],
            ),
            f"<h2>{self.t('site-closing')}</h2>",
            self.closing(p),
            f"<h2>{self.t('site-timeline')}</h2>",
            self.timeline(p.id),
        ]
        return self.page(path, f"{p.id} {p.title}", "\n".join(body))

    def status(self, view: PointView) -> str:
        return self.light(
            LIGHT_OF_STATUS.get(view.status), label(f"status-{view.status}", self.lang)
        )

    def extensions(self, milestones: Sequence[Milestone]) -> str:
        headers = [
            label("col-milestone", self.lang),
            label("col-from", self.lang),
            label("col-to", self.lang),
            label("col-reason", self.lang),
            label("col-approved_by", self.lang),
            label("col-granted", self.lang),
        ]
        rows = []
        for ms in milestones:
            before = ms.due
            for e in ms.extensions:
                rows.append(
                    (
                        [
                            h(ms.key),
                            before.isoformat(),
                            e.to.isoformat(),
                            h_lines(e.reason),
                            self.link_unit(e.approved_by, "../") if e.approved_by else "",
                            e.approved.isoformat() if e.approved else "",
                        ],
                        "",
                    )
                )
                before = e.to
        return self.table(label("site-extensions", self.lang), headers, rows)

    def closing(self, p: Point) -> str:
        if p.closed is None:
            return f"<p>{self.t('site-not-closed')}</p>"
        return (
            f'<dl class="facts"><div><dt>{self.t("f-closed")}</dt>'
            f"<dd>{p.closed.isoformat()}</dd></div><div><dt>{self.t('f-closing_evidence')}</dt>"
            f"<dd>{h_lines(p.closing_evidence or '')}</dd></div></dl>"
        )

    def timeline(self, point_id: str) -> str:
        changes = self.site.history.changes.get(point_id, [])
        if not changes:
            return f'<p class="note">{self.t("site-timeline-none")}</p>'
        headers = [
            label("col-when", self.lang),
            label("site-who", self.lang),
            label("site-commit", self.lang),
            label("site-change-col", self.lang),
        ]
        rows = [
            (
                [
                    c.day.isoformat(),
                    h(c.author),
                    h(c.commit),
                    describe(named(c.difference, self.ledger.unit_name), self.lang, h),
                ],
                f' data-commit="{h(c.commit)}"',
            )
            for c in changes
        ]
        return self.table(
            label("site-timeline", self.lang), headers, rows, cls="timeline", nowrap=(0, 2)
        )

    def mechanisms(self) -> str:
        led = self.ledger
        today = self.site.today
        parts = [
            ("site-topics", topics_view(led, today, self.lang)[0]),
            ("site-meetings", meetings_view(led, today, self.lang)[0]),
            ("site-pilots", pilots_view(led, today, self.lang)[0]),
            ("site-cases", cases_view(led, self.lang, None, None)[0]),
            ("site-outposts", outposts_view(led, self.lang)[0]),
            ("site-feedback", feedback_view(led, self.lang, None, None)[0]),
            ("site-publicity", publicity_view(led, self.lang)[0]),
        ]
        body = []
        for code, table in parts:
            body.append(f"<h2>{self.t(code)}</h2>")
            body.append(self.generic(label(code, self.lang), table))
        body.append(f"<h2>{self.t('site-notices')}</h2>")
        body.append(self.notices())
        return self.page("mechanisms.html", label("site-mechanisms", self.lang), "\n".join(body))

    def generic(self, caption: str, table: Table) -> str:
        headers = [c.header for c in table.columns]
        rows = [
            (
                [
                    h(percent(x) if col.bar else ("" if x is None else x))
                    for x, col in zip(row, table.columns, strict=True)
                ],
                "",
            )
            for row in table.rows
        ]
        return self.table(caption, headers, rows)

    def notices(self) -> str:
        headers = [
            label("site-number", self.lang),
            label("h-on", self.lang),
            label("col-lead", self.lang),
            label("site-kind", self.lang),
            label("site-items", self.lang),
        ]
        rows = []
        for n in sorted(self.ledger.notices.values(), key=lambda n: (n.on, n.number)):
            items = "、".join(
                f"{self.link_point(ref.partition('/')[0], '')}/{h(ref.partition('/')[2])}"
                if ref.partition("/")[0] in self.ledger.points
                else h(ref)
                for ref in n.items
            )
            rows.append(
                (
                    [
                        h(n.number),
                        n.on.isoformat(),
                        self.link_unit(n.unit, ""),
                        self.light(n.kind if n.kind != "blue" else "dim", n.kind),
                        items,
                    ],
                    "",
                )
            )
        return self.table(label("site-notices", self.lang), headers, rows)


def search_index(site: Site) -> str:
    """The search's index as a script: [path, ID or key, title or name] of every page."""
    led = site.ledger
    entries: list[list[str]] = [[f"points/{p.id}.html", p.id, p.title] for p in led.points.values()]
    entries += [[f"units/{k}.html", k, u.name] for k, u in led.units.items()]
    entries += [[f"groups/{k}.html", k, g.name] for k, g in led.groups.items()]
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    # inside a script: no "</script", no HTML comment opener, no line separators
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.reformctlIndex = {text};\n"


def pages(site: Site, lang: str) -> Iterable[tuple[str, str]]:
    """Every file of the site: (path in the site, text), one at a time (10,000 point pages
    are written as they are made, never held together)."""
    p = Pages(site, lang)
    yield "style.css", STYLE
    yield "search.js", SCRIPT
    yield "search-index.js", search_index(site)
    yield "index.html", p.index()
    yield "points.html", p.all_points()
    yield "due.html", p.due()
    yield "mechanisms.html", p.mechanisms()
    for key in site.ledger.units:
        yield f"units/{key}.html", p.unit(key)
    for key in site.ledger.groups:
        yield f"groups/{key}.html", p.group(key)
    for view in site.views:
        yield f"points/{view.point.id}.html", p.point(view)
