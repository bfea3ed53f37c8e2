"""The merge by table and key (ledger.linemerge.merge_by_table): each side's text kept as it
wrote it where the two changed different keys of one table; None (the keyed merge decides)
wherever it cannot place a piece without doubt."""

from __future__ import annotations

from reformctl.ledger.linemerge import merge_by_table
from tests.conftest import BASE

PILOT = '[points.R26-01.milestones.pilot]\nname = "开展试点"\ndue = 2026-06-30\n'


def test_a_moved_date_and_a_done_record_keep_both_texts_in_either_direction() -> None:
    ours = BASE.replace(PILOT, PILOT.replace("2026-06-30", "2026-12-31"))
    theirs = BASE.replace(PILOT, PILOT + 'done = 2026-11-20  # 单位报送\nevidence = "甲"\n')
    want = BASE.replace(
        PILOT,
        PILOT.replace("2026-06-30", "2026-12-31")
        + 'done = 2026-11-20  # 单位报送\nevidence = "甲"\n',
    )
    assert merge_by_table(BASE, ours, theirs) == want
    assert merge_by_table(BASE, theirs, ours) == want


def test_months_added_by_both_come_ours_first_and_comments_stay_with_their_keys() -> None:
    progress = '[points.R26-01.progress]\n2026-03 = "实施方案已印发"\n'
    ours = BASE.replace(progress, progress + '2026-10 = "十月"\n')
    theirs = BASE.replace(progress, progress + '# 补报\n2026-11 = "十一月"\n').replace(
        'name = "出台实施方案"', 'name = "出台实施方案（修订）"'
    )
    merged = merge_by_table(BASE, ours, theirs)
    assert merged is not None
    assert progress + '2026-10 = "十月"\n# 补报\n2026-11 = "十一月"\n' in merged
    assert 'name = "出台实施方案（修订）"' in merged


def test_what_cannot_be_placed_without_doubt_is_left_to_the_keyed_merge() -> None:
    one = BASE.replace("due = 2026-06-30", "due = 2026-12-30")
    other = BASE.replace("due = 2026-06-30", "due = 2026-12-31")
    assert merge_by_table(BASE, one, other) is None  # the same key, two values
    removed = BASE.replace(PILOT + "\n", "")
    assert merge_by_table(BASE, one, removed) is None  # changed here, removed there
    swap = 'title = "深化集体林权制度改革"\ngroup = "economy"'
    ours = BASE.replace(swap, 'group = "economy"\ntitle = "深化集体林权制度改革"')
    theirs = BASE.replace(
        'title = "深化集体林权制度改革"\ngroup = "economy"\nlead = "lyj"',
        'lead = "lyj"\ntitle = "深化集体林权制度改革"\ngroup = "economy"',
    )
    assert merge_by_table(BASE, ours, theirs) is None  # both reordered one table
    assert merge_by_table(BASE, "\ufeff" + one, other) is None  # one side added a BOM


def test_a_side_that_reordered_gives_the_order_and_takes_the_others_values() -> None:
    order = 'title = "深化集体林权制度改革"\ngroup = "economy"\nlead = "lyj"'
    theirs = BASE.replace(order, 'lead = "lyj"\ngroup = "economy"\ntitle = "深化集体林权制度改革"')
    ours = BASE.replace('lead = "lyj"\nunits', 'lead = "fgw"\nunits')
    merged = merge_by_table(BASE, ours, theirs)
    assert merged == theirs.replace('lead = "lyj"\ngroup', 'lead = "fgw"\ngroup')
