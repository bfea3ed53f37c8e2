"""Hypothesis strategies: random but valid ledgers as model objects."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from reformctl.model import Extension, Group, Ledger, Loc, Milestone, Point, Settings, Unit

LOC = Loc("ledger.toml", 1)
UNITS = ["fgw", "lyj", "wjw", "czt", "ybj"]
YEAR_START = dt.date(2026, 1, 1)


@st.composite
def milestones(draw: st.DrawFn, pid: str, today: dt.date) -> tuple[Milestone, ...]:
    out = []
    for i in range(draw(st.integers(0, 5))):
        due = YEAR_START + dt.timedelta(days=draw(st.integers(0, 400)))
        extensions: tuple[Extension, ...] = ()
        if draw(st.booleans()) and draw(st.booleans()):
            extensions = (Extension(due + dt.timedelta(days=draw(st.integers(1, 60))), "延期"),)
        done = None
        if draw(st.booleans()):
            done = min(today, due + dt.timedelta(days=draw(st.integers(-30, 30))))
        out.append(Milestone(pid, f"m{i}", f"节点{i}", due, LOC, done, None, extensions))
    return tuple(out)


@st.composite
def ledgers(draw: st.DrawFn, today: dt.date) -> Ledger:
    points = {}
    for i in range(draw(st.integers(1, 12))):
        pid = f"R26-{i:02d}"
        lead = draw(st.sampled_from(UNITS))
        coop = tuple(
            draw(
                st.lists(st.sampled_from([u for u in UNITS if u != lead]), unique=True, max_size=2)
            )
        )
        ms = draw(milestones(pid, today))
        points[pid] = Point(
            pid, f"要点{i}", draw(st.sampled_from(["g1", "g2"])), lead, LOC, coop, milestones=ms
        )
    return Ledger(
        "ledger.toml",
        Settings("台账", 2026),
        {u: Unit(u, u, LOC) for u in UNITS},
        {g: Group(g, g, "fgw", LOC) for g in ("g1", "g2")},
        points,
    )


days = st.integers(0, 400).map(lambda n: YEAR_START + dt.timedelta(days=n))
