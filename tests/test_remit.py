"""The remit rules, pure: over a model and `facts.compare`'s differences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reformctl.facts import compare
from reformctl.ledger.parse import loads
from reformctl.ledger.read import load_text
from reformctl.model import Ledger, is_valid_member, member_email
from reformctl.remit import Party, judge, merge_own, units_of
from tests.conftest import BASE, examples

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


# -- merge_own as a property: what a merge brings from its sides is never its own ---------------
import copy  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MERGE_BASE: Any = loads(TEXT)
# leaf facts an edit may set (None: remove it), with values no other edit uses
SPOTS: list[tuple[tuple[str, ...], list[Any]]] = [
    (("points", "R26-01", "milestones", "pilot", "due"), [dt.date(2026, 7, d) for d in (1, 2)]),
    (("points", "R26-01", "milestones", "pilot", "done"), [dt.date(2026, 6, 1), None]),
    (("points", "R26-01", "milestones", "plan", "evidence"), ["闽林〔2026〕4号", None]),
    (("points", "R26-01", "progress", "2026-04"), ["推进", "完成"]),
    (("points", "R26-01", "title"), ["甲", "乙"]),
    (("points", "R26-01", "units"), [["fgw", "lyj"], []]),
    (("units", "lyj", "members"), [["a@lyj.example"], ["b@lyj.example"]]),
    (("ledger", "title"), ["新标题", "另一标题"]),
]


def applied(data: Any, edits: dict[int, Any]) -> Any:
    out = copy.deepcopy(data)
    for spot, value in edits.items():
        *table, key = SPOTS[spot][0]
        node = out
        for part in table:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(key, None)
        else:
            node[key] = value
    return out


def at_base(spot: int) -> Any:
    node: Any = MERGE_BASE
    for part in SPOTS[spot][0]:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def edits_on(spots: list[int]) -> st.SearchStrategy[dict[int, Any]]:
    return st.fixed_dictionaries({s: st.sampled_from(SPOTS[s][1]) for s in spots})


@st.composite
def two_sides(draw: st.DrawFn) -> tuple[dict[int, Any], dict[int, Any]]:
    """Edits of two sides on facts of their own (disjoint spots)."""
    spots = list(range(len(SPOTS)))
    owner = draw(st.lists(st.sampled_from([0, 1, 2]), min_size=len(spots), max_size=len(spots)))
    one = draw(edits_on([s for s in spots if owner[s] == 1]))
    two = draw(edits_on([s for s in spots if owner[s] == 2]))
    return one, two


def facts_of(diffs: list[Any]) -> set[tuple[str, Any, Any]]:
    return {(d.ref, d.field, repr(d.after)) for d in diffs}


@settings(max_examples=examples(60), deadline=None)
@given(two_sides())
def test_a_clean_merge_owns_nothing_in_either_order(sides: tuple[Any, Any]) -> None:
    one, two = applied(MERGE_BASE, sides[0]), applied(MERGE_BASE, sides[1])
    merged = applied(MERGE_BASE, {**sides[0], **sides[1]})
    assert merge_own(MERGE_BASE, [one, two], merged) == []
    assert merge_own(MERGE_BASE, [two, one], merged) == []


@settings(max_examples=examples(60), deadline=None)
@given(two_sides())
def test_dropping_a_side_is_the_mergers_own_change(sides: tuple[Any, Any]) -> None:
    one, two = applied(MERGE_BASE, sides[0]), applied(MERGE_BASE, sides[1])
    own = merge_own(MERGE_BASE, [one, two], one)  # `merge -s ours`: side two's changes undone
    # exactly what side two had changed, shown from side two to the base's value
    undone = applied(two, {spot: at_base(spot) for spot in sides[1]})
    assert facts_of(own) == facts_of(compare(two, undone))
    assert (own == []) == (compare(MERGE_BASE, two) == [])


@settings(max_examples=examples(60), deadline=None)
@given(two_sides(), st.sampled_from(range(len(SPOTS))))
def test_a_value_no_side_had_is_the_mergers_own(sides: tuple[Any, Any], spot: int) -> None:
    one, two = applied(MERGE_BASE, sides[0]), applied(MERGE_BASE, sides[1])
    clean = applied(MERGE_BASE, {**sides[0], **sides[1]})
    fresh = (
        {
            "due": dt.date(2026, 12, 1),
            "done": dt.date(2026, 12, 2),
            "evidence": "自拟",
            "2026-04": "自拟",
            "title": "自拟",
            "units": ["ybj"],
            "members": ["x@example.com"],
        }[SPOTS[spot][0][-1]]
        if SPOTS[spot][0] != ("ledger", "title")
        else "自拟标题"
    )
    merged = applied(clean, {spot: fresh})
    own = merge_own(MERGE_BASE, [one, two], merged)
    assert facts_of(own) == facts_of(compare(clean, merged))


# -- whose remit: author, committer, platform, signer --------------------------------------------
def test_who_vouches_for_a_commit() -> None:
    from reformctl.ledger.gitio import Commit, Signature
    from reformctl.remit import parties

    text = TEXT.replace(
        'office_unit = "fgw"\n',
        'office_unit = "fgw"\nplatform_committers = ["GitHub <NoReply@github.com>"]\n',
    )
    members = model(text)
    by_lyj = Commit("c1", ("p",), "郑涛", "zt@lyj.example", "s", "王磊", "WL@fgw.example")

    def roles(commit: Commit, trust: str = "both", sig: Signature | None = None) -> list[Any]:
        return [(p.role, p.email, p.units, p.refused) for p in parties(commit, members, trust, sig)]

    assert roles(by_lyj) == [
        ("author", "zt@lyj.example", ("lyj",), None),
        ("committer", "WL@fgw.example", ("fgw",), None),
    ]
    assert roles(by_lyj, "author") == [("author", "zt@lyj.example", ("lyj",), None)]
    assert roles(by_lyj, "committer") == [("committer", "WL@fgw.example", ("fgw",), None)]
    # one person in both roles is judged once; the platform's committer not at all
    own = Commit("c2", ("p",), "郑涛", "zt@lyj.example", "s", "郑涛", "ZT@lyj.example")
    assert [r[0] for r in roles(own)] == ["author"]
    web = Commit("c3", ("p",), "郑涛", "zt@lyj.example", "s", "GitHub", "noreply@github.com")
    assert [r[0] for r in roles(web)] == ["author"]
    assert [r[0] for r in roles(web, "committer")] == ["author"]
    # the signer: the key's principal, or refused
    good = Signature("good", "wl@fgw.example", "SHA256:x")
    signed = parties(by_lyj, members, "both", good)[-1]
    assert (signed.role, signed.units, signed.refused) == ("signer", ("fgw",), None)
    assert roles(by_lyj, "author", Signature("unsigned"))[-1] == ("signer", "", (), "unsigned")


# -- every net change vouched for by a commit of the range ---------------------------------------
def test_a_net_change_no_commit_of_the_range_made_is_the_mergers() -> None:
    """A merge takes a value from a commit outside the range that the merge base it is given
    makes look like that side's change: no commit in the range made the net change BASE..HEAD,
    so it is the merge's own, its merger's, out of remit (``unvouched``); the same merge by the
    office is in remit."""
    from reformctl.ledger.gitio import Commit
    from reformctl.remit import Snapshot, review

    moved = TEXT.replace("due = 2026-06-30\n", "due = 2026-12-31\n")
    texts = {"base": TEXT, "outside": moved, "merge": moved}

    def at(rev: str) -> Snapshot:
        return Snapshot(loads(texts[rev]), model(texts[rev]), ("ledger.toml",))

    def reviewed(email: str) -> list[tuple[str, str, str, bool]]:
        merge = Commit("merge", ("base", "outside"), "郑涛", email, "合并", "郑涛", email)
        found = review([merge], at, "base", lambda parents: ["base"], head="merge")
        return [(r.commit.sha, v.change.kind, v.reason, v.ok) for r in found for v in r.verdicts]

    assert reviewed("zt@lyj.example") == [("merge", "milestone-changed", "unvouched", False)]
    assert reviewed("wl@fgw.example") == [("merge", "milestone-changed", "office", True)]
    # without HEAD's net change asked for, the merge has no change of its own
    merge = Commit("merge", ("base", "outside"), "郑涛", "zt@lyj.example", "合并")
    assert list(review([merge], at, "base", lambda parents: ["base"])) == []


def test_two_sides_filling_an_empty_table_vouch_for_the_merge() -> None:
    """Two sides each log a month's progress in a table empty at BASE and a unit's clerk
    merges them: each month is vouched for by its side's commit; nothing is the merger's."""
    from reformctl.ledger.gitio import Commit
    from reformctl.remit import Snapshot, review

    empty = TEXT.replace('2026-03 = "实施方案已印发"\n', "")
    april = empty.replace("[points.R26-01.progress]\n", '[points.R26-01.progress]\n2026-04 = "a"\n')
    may = empty.replace("[points.R26-01.progress]\n", '[points.R26-01.progress]\n2026-05 = "b"\n')
    both = april.replace('2026-04 = "a"\n', '2026-04 = "a"\n2026-05 = "b"\n')
    texts = {"base": empty, "april": april, "may": may, "merge": both}

    def at(rev: str) -> Snapshot:
        return Snapshot(loads(texts[rev]), model(texts[rev]), ("ledger.toml",))

    email = "zt@lyj.example"
    commits = [
        Commit("april", ("base",), "郑涛", email, "四月", "郑涛", email),
        Commit("may", ("base",), "郑涛", email, "五月", "郑涛", email),
        Commit("merge", ("april", "may"), "郑涛", email, "合并", "郑涛", email),
    ]
    found = list(review(commits, at, "base", lambda parents: ["base"], head="merge"))
    assert [(r.commit.sha, v.reason, v.ok) for r in found for v in r.verdicts] == [
        ("april", "lead", True),
        ("may", "lead", True),
    ]
