"""The parts of the static site's pages (`site`): the frame every page shares (head, navigation,
search, footer), its tables and links, and the tables several pages show (rankings, due lists,
points, milestones, a unit's or group's trend). :mod:`reformctl.render.site` builds the pages
from them.

Every value from the ledger goes through :func:`h` (control characters made visible as
render/escape.py does, then HTML-escaped).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from html import escape
from typing import TYPE_CHECKING

from reformctl.i18n import label, tr
from reformctl.render import percent
from reformctl.render.escape import visible, visible_but_lines
from reformctl.render.standing import rank_light
from reformctl.render.views import humane_days
from reformctl.schedule import milestone_state

if TYPE_CHECKING:
    from reformctl.model import Ledger, Point
    from reformctl.ranking import RankRow
    from reformctl.schedule import DueItem, PointView
    from reformctl.sitedata import Site

LIGHT_OF_STATUS = {
    "overdue": "red",
    "behind": "yellow",
    "ahead": "green",
    "on_track": "green",
    "done": "green",
    "closed": "dim",
    "not_started": "dim",
}
LIGHT_OF_MS = {
    "overdue": "red",
    "due_today": "yellow",
    "due_soon": "yellow",
    "open": "dim",
    "done_late": "green",
    "done": "green",
}


def h(text: object) -> str:
    """Text from the ledger in HTML: control characters shown as escapes, then escaped."""
    return escape(visible("" if text is None else str(text)))


def h_lines(text: object) -> str:
    """:func:`h`, keeping line breaks as ``<br>``."""
    lines = visible_but_lines("" if text is None else str(text)).replace("\r\n", "\n")
    return "<br>".join(escape(visible(line)) for line in lines.replace("\r", "\n").split("\n"))


def frac(value: Fraction) -> str:
    """A fraction as `progress --format json` writes it."""
    return str(round(float(value), 4))


def _td_class(i: int, nums: Sequence[int], nowrap: Sequence[int]) -> str:
    if i in nums:
        return ' class="num"'
    return ' class="nb"' if i in nowrap else ""


class Parts:
    """The frame every page of one site in one language shares, and the tables several
    pages show."""

    def __init__(self, site: Site, lang: str) -> None:
        self.site = site
        self.lang = lang
        self.ledger: Ledger = site.ledger

    def t(self, code: str) -> str:
        return escape(label(code, self.lang))

    def light(self, light: str | None, words: str = "") -> str:
        if light is None:
            return ""
        word = label(f"light-{light}", self.lang)
        text = f"{word} {words}".strip() if words else word
        return f'<span class="light {light}">{escape(text)}</span>'

    # -- the frame ----------------------------------------------------------------------------
    def page(self, path: str, title: str, body: str) -> str:
        root = "../" * path.count("/")
        html_lang = "zh-CN" if self.lang == "zh" else "en"
        nav = "".join(
            f'<li><a href="{root}{href}">{self.t(code)}</a></li>'
            for href, code in (
                ("index.html", "site-overview"),
                ("points.html", "site-points"),
                ("due.html", "site-due"),
                ("mechanisms.html", "site-mechanisms"),
            )
        )
        commits = self.site.history.commits
        footer = escape(
            tr(
                "site-generated",
                self.lang,
                file=visible(self.ledger.file),
                today=self.site.today.isoformat(),
            )
            + (tr("site-commits", self.lang, n=commits) if commits else "")
        )
        return (
            f'<!doctype html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{h(title)} · {h(self.ledger.settings.title)}</title>\n"
            f'<link rel="stylesheet" href="{root}style.css">\n</head>\n<body>\n'
            f'<a class="skip" href="#main">{self.t("site-skip")}</a>\n'
            f'<header class="site"><p class="brand">{h(self.ledger.settings.title)}</p>\n'
            f'<nav aria-label="{self.t("site-overview")}"><ul>{nav}</ul></nav>\n'
            f'<form id="search" role="search" hidden data-root="{root}">'
            f'<label for="q" class="skip">{self.t("site-search")}</label>'
            f'<input id="q" type="search" placeholder="{self.t("site-search")}" autocomplete="off">'
            f'<button type="submit">{self.t("site-search-button")}</button></form>\n'
            '<ul id="search-results" aria-live="polite"></ul>\n</header>\n'
            f'<main id="main">\n<h1>{h(title)}</h1>\n{body}\n</main>\n'
            f"<footer>{footer}</footer>\n"
            f'<script src="{root}search.js"></script>\n</body>\n</html>\n'
        )

    def table(
        self,
        caption: str,
        headers: Sequence[str],
        rows: Iterable[tuple[Sequence[str], str]],
        nums: Sequence[int] = (),
        cls: str = "",
        nowrap: Sequence[int] = (),
    ) -> str:
        """A table of already escaped cells; each row with its ``<tr>`` attributes."""
        head = "".join(f'<th scope="col">{escape(x)}</th>' for x in headers)
        # each column's opening tag, made once (10,000 point pages: millions of cells)
        opens = [
            f'<td data-label="{escape(x)}"{_td_class(i, nums, nowrap)}>'
            for i, x in enumerate(headers)
        ]
        body = []
        for cells, attrs in rows:
            tds = "".join(f"{o}{cell}</td>" for o, cell in zip(opens, cells, strict=True))
            body.append(f"<tr{attrs}>{tds}</tr>")
        if not body:
            return f'<p class="note">{escape(caption)}：{self.t("site-none")}</p>'
        return (
            f'<table class="rows {cls}"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )

    def link_point(self, point_id: str, root: str) -> str:
        return f'<a href="{root}points/{h(point_id)}.html">{h(point_id)}</a>'

    def link_unit(self, key: str, root: str) -> str:
        if key not in self.ledger.units:
            return h(key)
        return f'<a href="{root}units/{h(key)}.html">{h(self.ledger.unit_name(key))}</a>'

    def link_group(self, key: str, root: str) -> str:
        if key not in self.ledger.groups:
            return h(key)
        return f'<a href="{root}groups/{h(key)}.html">{h(self.ledger.group_name(key))}</a>'

    # -- tables shared by pages ---------------------------------------------------------------
    def ranking(self, rows: Sequence[RankRow], scope: str, caption: str, root: str) -> str:
        headers = [
            label("col-rank", self.lang),
            label("site-change", self.lang),
            label(f"by-{scope}", self.lang),
            label("col-light", self.lang),
            label("col-milestones", self.lang),
            label("col-due_to_date", self.lang),
            label("col-done", self.lang),
            label("col-done_late", self.lang),
            label("col-overdue", self.lang),
            label("col-completion", self.lang),
            label("col-expected", self.lang),
        ]
        link = self.link_unit if scope == "unit" else self.link_group
        out = []
        for r in rows:
            c = r.counts
            before = self.site.history.previous_rank(scope, r.key)
            attrs = (
                f' data-key="{h(r.key)}" data-rank="{r.rank}" data-milestones="{c.milestones}"'
                f' data-due-to-date="{c.due_to_date}" data-done="{c.done}"'
                f' data-done-late="{c.done_late}" data-overdue="{c.overdue}"'
                f' data-completion="{frac(c.completion)}" data-expected="{frac(c.expected)}"'
                f' data-previous-rank="{"" if before is None else before}"'
            )
            cells = [
                str(r.rank),
                self.change(scope, before, r.rank),
                link(r.key, root),
                self.light(rank_light(r)),
                str(c.milestones),
                str(c.due_to_date),
                str(c.done),
                str(c.done_late),
                str(c.overdue),
                percent(c.completion),
                percent(c.expected),
            ]
            out.append((cells, attrs))
        return self.table(caption, headers, out, nums=(0, 4, 5, 6, 7, 8, 9, 10), cls=scope)

    def change(self, scope: str, before: int | None, now: int) -> str:
        hist = self.site.history
        if not hist.months or not hist.ranks.get(scope, {}).get(hist.months[-1]):
            return self.t("site-no-history")  # no ranking at the end of last month
        if before is None:
            return self.t("site-new")
        if before == now:
            return self.t("site-steady")
        arrow = "↑" if before > now else "↓"
        return f"{arrow}{abs(before - now)}"

    def due_list(self, items: Sequence[DueItem], caption: str, root: str) -> str:
        headers = [
            label("col-milestone", self.lang),
            label("col-name", self.lang),
            label("col-title", self.lang),
            label("col-lead", self.lang),
            label("col-due", self.lang),
            label("col-state", self.lang),
        ]
        rows = []
        for i in items:
            ms = i.milestone
            attrs = (
                f' data-point="{h(i.point.id)}" data-milestone="{h(ms.key)}"'
                f' data-due="{ms.due_now.isoformat()}" data-days-overdue="{i.days_overdue}"'
            )
            light = "red" if i.days_overdue > 0 else "yellow"
            rows.append(
                (
                    [
                        f"{self.link_point(i.point.id, root)}/{h(ms.key)}",
                        h(ms.name),
                        h(i.point.title),
                        self.link_unit(i.point.lead, root),
                        ms.due_now.isoformat(),
                        self.light(light, humane_days(i.days_overdue, self.lang)),
                    ],
                    attrs,
                )
            )
        return self.table(caption, headers, rows, cls="due", nowrap=(0, 4))

    def points_table(self, views: Sequence[PointView], caption: str, root: str) -> str:
        headers = [
            label("col-id", self.lang),
            label("col-title", self.lang),
            label("col-group", self.lang),
            label("col-lead", self.lang),
            label("col-status", self.lang),
            label("col-progress", self.lang),
            label("col-expected", self.lang),
        ]
        rows = []
        for v in views:
            p = v.point
            attrs = f' data-id="{h(p.id)}" data-status="{v.status}"'
            rows.append(
                (
                    [
                        self.link_point(p.id, root),
                        h(p.title),
                        self.link_group(p.group, root),
                        self.link_unit(p.lead, root),
                        self.light(
                            LIGHT_OF_STATUS.get(v.status),
                            label(f"status-{v.status}", self.lang),
                        ),
                        percent(v.counts.completion),
                        percent(v.counts.expected),
                    ],
                    attrs,
                )
            )
        return self.table(caption, headers, rows, nums=(5, 6), cls="points", nowrap=(0,))

    def milestones_table(self, points: Sequence[Point], caption: str, root: str) -> str:
        soon = self.ledger.settings.soon_days
        headers = [
            label("col-milestone", self.lang),
            label("col-name", self.lang),
            label("col-baseline", self.lang),
            label("col-due", self.lang),
            label("col-done_on", self.lang),
            label("col-evidence", self.lang),
            label("col-state", self.lang),
        ]
        rows = []
        for p in points:
            for ms in p.milestones:
                state = milestone_state(ms, self.site.today, soon)
                rows.append(
                    (
                        [
                            f"{self.link_point(p.id, root)}/{h(ms.key)}",
                            h(ms.name),
                            ms.due.isoformat(),
                            ms.due_now.isoformat(),
                            ms.done.isoformat() if ms.done else "",
                            h(ms.evidence or ""),
                            self.light(LIGHT_OF_MS[state], label(f"ms-{state}", self.lang)),
                        ],
                        f' data-ref="{h(ms.ref)}" data-state="{state}"',
                    )
                )
        return self.table(caption, headers, rows, cls="milestones", nowrap=(0, 2, 3, 4))

    def figures(self, pairs: Sequence[tuple[str, str, str]]) -> str:
        items = "".join(
            f'<div data-figure="{key}"><dt>{escape(name)}</dt><dd>{escape(value)}</dd></div>'
            for key, name, value in pairs
        )
        return f'<dl class="figures">{items}</dl>'

    def trend(self, scope: str, key: str, now: RankRow | None) -> str:
        hist = self.site.history
        headers = [
            label("col-month", self.lang),
            label("col-rank", self.lang),
            label("col-completion", self.lang),
            label("col-expected", self.lang),
            label("col-overdue", self.lang),
        ]
        rows = []
        for end in hist.months:
            tally = hist.trend.get(scope, {}).get(key, {}).get(end)
            rank = hist.ranks.get(scope, {}).get(end, {}).get(key)
            if tally is None:
                continue
            rows.append(
                (
                    [
                        end.isoformat(),
                        "" if rank is None else str(rank),
                        percent(tally.completion),
                        percent(tally.expected),
                        str(tally.overdue),
                    ],
                    "",
                )
            )
        if now is not None:
            rows.append(
                (
                    [
                        f"{self.site.today.isoformat()}（{label('site-now', self.lang)}）",
                        str(now.rank),
                        percent(now.counts.completion),
                        percent(now.counts.expected),
                        str(now.counts.overdue),
                    ],
                    "",
                )
            )
        note = ""
        if hist.unavailable or not hist.commits:
            note = f'<p class="note">{self.t("site-timeline-none")}</p>'
        return (
            self.table(label("site-rank-history", self.lang), headers, rows, nums=(1, 2, 3, 4))
            + note
        )
