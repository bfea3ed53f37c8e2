"""git's clean line merge taken on its own proof (ledger.lineproof.line_merge_proven): whenever it
is taken, the keyed merge would have given the very same text without a conflict."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl.errors import ReformctlError
from reformctl.ledger.gitio import merge_file_text
from reformctl.ledger.lineproof import line_merge_proven
from reformctl.ledger.merge import merge
from reformctl.ledger.read import load_text
from tests.conftest import BASE, examples

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

POINT = BASE[BASE.index("[points.R26-01]") :]
LEDGER = BASE + "".join("\n" + POINT.replace("R26-01", f"R26-0{n}") for n in (2, 3, 4))

# text edits of one point (n) by one side (who): facts, comments, tables, layout, and texts
# that look like headers inside multi-line strings
EDITS = [
    lambda t, n, w: t.replace(
        f'[points.R26-0{n}]\ntitle = "', f'[points.R26-0{n}]\ntitle = "{w}', 1
    ),
    lambda t, n, w: t.replace(
        f"[points.R26-0{n}.progress]\n", f'[points.R26-0{n}.progress]\n2026-10 = "{w}"\n', 1
    ),
    lambda t, n, w: t.replace(f"[points.R26-0{n}]\n", f"# {w}的注释\n[points.R26-0{n}]\n", 1),
    lambda t, n, w: t.replace(
        f'[points.R26-0{n}.milestones.pilot]\nname = "开展试点"\ndue = 2026-06-30\n', "", 1
    ),
    lambda t, n, w: t.replace(
        f"[points.R26-0{n}.progress]\n",
        f'[points.R26-0{n}.milestones.{w}]\nname = "{w}"\ndue = 2026-12-30\n\n'
        f"[points.R26-0{n}.progress]\n",
        1,
    ),
    lambda t, n, w: t.replace(
        f'[points.R26-0{n}]\ntitle = "深化集体林权制度改革"',
        f'[points.R26-0{n}]\ntitle = """\n[points.R26-0{n}.progress]\n{w}"""',
        1,
    ),
    lambda t, n, w: t.replace(f"[points.R26-0{n}]\n", f"[points.R26-0{n}]  \n", 1),
    lambda t, n, w: (
        t + f'\n[points.R26-1{n}]\ntitle = "{w}"\ngroup = "economy"\nlead = "lyj"\n'
        'units = []\npath = "p"\noutcome = "o"\n\n[points.R26-1'
        + str(n)
        + '.milestones.a]\nname = "a"\n'
        "due = 2026-12-30\n"
    ),
    lambda t, n, w: t.replace(
        'timezone = "Asia/Shanghai"\n', f'timezone = "Asia/Shanghai"\n# {w}\n'
    ),
    lambda t, n, w: t.replace("schema = 1\n", f"schema = 1\n# {w}\n", 1),
    lambda t, n, w: t.replace('name = "省林业局"\n', f'name = "省林业局{w}"\n', 1),
]

EDIT = st.tuples(st.integers(0, len(EDITS) - 1), st.integers(1, 4))


def _edit(text: str, edits: list[tuple[int, int]], who: str) -> str:
    for kind, n in edits:
        text = EDITS[kind](text, n, who)
    return text


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(EDIT, max_size=3), st.lists(EDIT, max_size=3))
def test_a_line_merge_taken_is_what_the_keyed_merge_gives(
    ours_edits: list[tuple[int, int]], theirs_edits: list[tuple[int, int]]
) -> None:
    ours, theirs = _edit(LEDGER, ours_edits, "甲"), _edit(LEDGER, theirs_edits, "乙")
    lined = merge_file_text(LEDGER, ours, theirs)
    if lined is None:
        return
    fast = line_merge_proven(lambda: (LEDGER, ours, theirs), lined, "ledger.toml")
    if fast is None:
        return
    try:
        keyed = merge(
            LEDGER, ours, theirs, "ledger.toml", line_merge=merge_file_text, proven_first=False
        )
    except ReformctlError:  # a side that does not parse: the driver takes a clean, valid line merge
        assert fast.text == lined
        assert load_text(lined, "ledger.toml").problems == []
        return
    assert keyed.conflicts == []
    assert fast.conflicts == []
    assert fast.text == keyed.text


def test_two_branches_that_changed_different_points_take_the_line_merge() -> None:
    ours = EDITS[1](LEDGER, 2, "甲")
    theirs = EDITS[0](EDITS[2](LEDGER, 4, "乙"), 3, "乙")
    lined = merge_file_text(LEDGER, ours, theirs)
    assert lined is not None
    fast = line_merge_proven(lambda: (LEDGER, ours, theirs), lined, "ledger.toml")
    assert fast is not None and fast.text == lined


@pytest.mark.parametrize(
    "ours_edit, theirs_edit",
    [
        ((1, 2), (0, 2)),  # both changed one point: key by key, on the keyed path
        ((2, 3), (2, 4)),  # only comments: no fact changed on either side
        ((9, 1), (0, 2)),  # the lines before the first table
    ],
)
def test_what_the_line_merge_cannot_prove_goes_to_the_keyed_merge(
    ours_edit: tuple[int, int], theirs_edit: tuple[int, int]
) -> None:
    ours, theirs = _edit(LEDGER, [ours_edit], "甲"), _edit(LEDGER, [theirs_edit], "乙")
    lined = merge_file_text(LEDGER, ours, theirs)
    assert lined is not None
    assert line_merge_proven(lambda: (LEDGER, ours, theirs), lined, "ledger.toml") is None


@pytest.mark.parametrize(
    "ours_edits, theirs_edits",
    [
        ([(1, 2)], [(0, 3)]),
        ([(3, 2), (1, 1)], [(7, 4)]),  # a table removed, a key added; a new point
        ([(5, 1)], [(1, 3), (10, 4)]),  # a header-like line inside a multi-line string; a unit
        ([(7, 2)], [(0, 1), (8, 1)]),  # a new point at the end; a comment in [ledger]
    ],
)
def test_ours_from_the_cache_reads_as_the_merged_text_parsed_whole(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ours_edits: list[tuple[int, int]],
    theirs_edits: list[tuple[int, int]],
) -> None:
    """The merged text's data is ours' (from the cache) with the stretches that differ parsed
    alone: the same data, in the same order, as the whole text parsed."""
    import pickle

    from reformctl.ledger import cache
    from reformctl.ledger import lineproof as merging
    from reformctl.ledger.parse import loads

    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REFORMCTL_CACHE", raising=False)
    ours, theirs = _edit(LEDGER, ours_edits, "甲"), _edit(LEDGER, theirs_edits, "乙")
    cache.put_bytes(cache.key("data", ours.encode()), pickle.dumps(loads(ours), protocol=5))
    made: list[bool] = []
    patched = merging._patched

    def checked(data: dict[str, Any], merged: str, *rest: Any) -> dict[str, Any] | None:
        got = patched(data, merged, *rest)
        whole = loads(merged)
        assert got == whole and pickle.dumps(got) == pickle.dumps(whole)  # order too
        made.append(True)
        return got

    monkeypatch.setattr(merging, "_patched", checked)
    lined = merge_file_text(LEDGER, ours, theirs)
    assert lined is not None
    fast = line_merge_proven(lambda: (LEDGER, ours, theirs), lined, "ledger.toml")
    keyed = merge(
        LEDGER, ours, theirs, "ledger.toml", line_merge=merge_file_text, proven_first=False
    )
    assert made
    assert fast is not None and fast.text == keyed.text and not keyed.conflicts
