"""The remit rules, pure: over a model and `facts.compare`'s differences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reformctl.facts import compare
from reformctl.ledger.read import load_text, loads
from reformctl.model import Ledger, is_valid_member, member_email
from reformctl.remit import Party, judge, merge_own, units_of
from tests.conftest import BASE

TEXT = BASE.replace(
    'timezone = "Asia/Shanghai"\n', 'timezone = "Asia/Shanghai"\noffice_unit = "fgw"\n'
).replace('name = "省林业局"\n', 'name = "省林业局"\nmembers = ["郑涛 <ZT@lyj.example>"]\n')
TEXT = TEXT.replace('name = "省发改委"\n', 'name = "省发改委"\nmembers = ["wl@fgw.example"]\n')


def model(text: str) -> Ledger:
    loaded = load_text(text, "ledger.toml")
    assert loaded.problems == []
    assert loaded.ledger is not None
    return loaded.ledger


def verdicts(new_text: str, email: str) -> list[tuple[str, str, bool]]:
    before: Any = loads(TEXT)
    after: Any = loads(new_text)
    members = model(TEXT)
    by = [Party("author", "", email, units_of(members, email))]
    out = judge(members, members, model(new_text), by, compare(before, after))
    return [(v.change.kind, v.reason, v.ok) for v in out]


def test_members_and_their_emails() -> None:
    assert is_valid_member("郑涛 <zt@lyj.example>")
    assert is_valid_member("zt@lyj.example")
    assert not is_valid_member("郑涛")
    assert not is_valid_member("郑涛 <zt>")
    assert not is_valid_member("<zt@lyj.example>")
    assert member_email("郑涛 <ZT@Lyj.example>") == "zt@lyj.example"
    assert units_of(model(TEXT), "zt@LYJ.example") == ("lyj",)


def test_the_lead_records_done_and_the_office_moves_dates() -> None:
    done = TEXT.replace("due = 2026-06-30\n", "due = 2026-06-30\ndone = 2026-06-20\n")
    assert verdicts(done, "zt@lyj.example") == [("done", "lead", True)]
    moved = TEXT.replace("due = 2026-06-30\n", "due = 2026-07-30\n")
    assert verdicts(moved, "zt@lyj.example") == [("milestone-changed", "office-only", False)]
    assert verdicts(moved, "wl@fgw.example") == [("milestone-changed", "office", True)]
    assert verdicts(moved, "x@example.com") == [("milestone-changed", "not-member", False)]


def test_co_operating_units_log_progress_only() -> None:
    # lyj leads and is the office here; fgw co-operates, an ordinary unit
    text = TEXT.replace('office_unit = "fgw"', 'office_unit = "lyj"')
    before: Any = loads(text)
    logged = text.replace(
        '2026-03 = "实施方案已印发"\n', '2026-03 = "实施方案已印发"\n2026-04 = "推进"\n'
    )
    m = model(text)
    by = [Party("author", "", "wl@fgw.example", units_of(m, "wl@fgw.example"))]
    out = judge(m, m, model(logged), by, compare(before, loads(logged)))
    assert [(v.reason, v.ok) for v in out] == [("co-operating", True)]
    done = text.replace("due = 2026-06-30\n", "due = 2026-06-30\ndone = 2026-06-20\n")
    out = judge(m, m, model(done), by, compare(before, loads(done)))
    assert [(v.reason, v.ok) for v in out] == [("lead-only", False)]


def test_a_merge_owns_only_what_no_side_brought() -> None:
    base: Any = loads(TEXT)
    done = TEXT.replace("due = 2026-06-30\n", "due = 2026-06-30\ndone = 2026-06-20\n")
    moved = TEXT.replace("due = 2026-06-30\n", "due = 2026-08-30\n")
    both = moved.replace("due = 2026-08-30\n", "due = 2026-08-30\ndone = 2026-06-20\n")
    # each side's change kept: none of the merger's own, in either order of the parents
    assert merge_own(base, [loads(done), loads(moved)], loads(both)) == []
    assert merge_own(base, [loads(moved), loads(done)], loads(both)) == []
    # one side's change undone: the merger's, shown from the side it undoes
    own = merge_own(base, [loads(done), loads(moved)], loads(done))
    assert [(d.kind, d.field, d.before, d.after) for d in own] == [
        ("milestone-changed", "due", dt.date(2026, 8, 30), dt.date(2026, 6, 30))
    ]
    # a value neither side had: the merger's
    evil = both.replace("due = 2026-08-30\n", "due = 2026-09-30\n")
    own = merge_own(base, [loads(done), loads(moved)], loads(evil))
    assert [(d.kind, d.field, d.after) for d in own] == [
        ("milestone-changed", "due", dt.date(2026, 9, 30))
    ]
    # both sides changed it alike: theirs
    assert merge_own(base, [loads(moved), loads(moved)], loads(moved)) == []
