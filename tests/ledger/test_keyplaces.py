"""A milestone's keys placed without the scan (keyplaces.KeyPlaces) are where the index says.

On a first read of a large text (parsed by parts: the index's header places known),
``check`` places its overdue items' ``due`` lines and its advice by :class:`KeyPlaces`. Every
answer must be the scanned index's own ``loc``: for every milestone and key (written, not
written, written as a dotted key, after comments and blank lines, indented, in a body the
fast reading does not take) and for other tables, on generated ledgers cut into parts of many
sizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger import byparts
from reformctl.ledger.build import EarlyPoints, build_ledger
from reformctl.ledger.keyplaces import KeyPlaces
from reformctl.ledger.source import SourceIndex
from reformctl.model import Ledger, Loc, Milestone
from tests.conftest import examples, run, write_ledger
from tests.ledger.test_incremental import NAME, generated

# lines put just after a milestone's header (each leaves the text TOML, the milestone valid
# or not)
LINES = [
    "# a comment",
    "",
    "   ",
    "\t# indented comment",
    "  note = 1",
    "bogus.sub = 2",
    'evidence = "文号"',
    '"quoted" = 3',
    'long = """\nnot = a key\n"""',
    "done = 2026-03-01",
    "x = [\n  1,\n]",
]
KEYS = ["due", "done", "name", "evidence", "extensions", "bogus", "note", "quoted", "nope"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    text = generated(draw(st.integers(2, 30)), draw(st.integers(0, 10_000)))
    lines = text.split("\n")
    headers = [i for i, line in enumerate(lines) if ".milestones." in line and line[0] == "["]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.sampled_from(headers))
        line = draw(st.sampled_from(LINES))
        if line.startswith("done") and "done =" in "\n".join(lines[at + 1 : at + 6]):
            continue  # (a key twice: no TOML)
        lines.insert(at + 1, line)
        headers = [i + (i > at) for i in headers]
    return "\n".join(lines)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts(), st.integers(2, 12))
def test_key_places_are_the_index_places(text: str, parts: int) -> None:
    ledger, early_index = _first_read(text, len(text) // parts)
    if ledger is None:
        return
    index = SourceIndex(text, NAME)  # (scanned when asked)
    known = early_index.header_places is not None  # (not: a line starts with a blank)
    places = KeyPlaces(early_index, ledger)
    fast = 0
    for point in ledger.points.values():
        for ms in point.milestones:
            path = ("points", point.id, "milestones", ms.key)
            for key in KEYS:
                assert places.loc(path, key) == index.loc(path, key), (path, key)
            fast += places._milestone_key(point.id, ms.key, "due") is not None
        assert places.loc(("points", point.id), "title") == index.loc(("points", point.id), "title")
    assert places.loc(("ledger",), "year") == index.loc(("ledger",), "year")
    # (the places found without the scan only when the parts were taken: for the points
    # taken early, placed at their headers' very places)
    assert known or not fast


def _first_read(text: str, size: int) -> tuple[Ledger | None, SourceIndex]:
    """A first read's model and index (as tests.ledger.test_early_points reads)."""
    index = SourceIndex(text, NAME)
    early = EarlyPoints(index)
    data, _ = byparts.parse_by_parts(text, NAME, index, size, taker=early)
    if data is None:
        return None, index
    index.parsed = True
    ledger, _ = build_ledger(data, index, reuse=early.points, place=False)
    return ledger, index


def test_a_ledger_as_written_has_every_due_line_without_the_scan() -> None:
    text = generated(40, 3)
    ledger, index = _first_read(text, len(text) // 6)
    assert ledger is not None
    places = KeyPlaces(index, ledger)
    scanned = SourceIndex(text, NAME)
    for point in ledger.points.values():
        for ms in point.milestones:
            found = places.milestone_key(ms, "due")
            assert found is not None
            assert found == scanned.loc(("points", point.id, "milestones", ms.key), "due")
    assert index._headers is None  # (never scanned)


def test_a_workspace_or_a_cached_model_asks_the_index() -> None:
    text = generated(3, 7)
    ledger, _ = _first_read(text, 400)
    assert ledger is not None
    index = SourceIndex(text, NAME)  # (no header places: as read from the cache)
    places = KeyPlaces(index, ledger)
    point = next(iter(ledger.points.values()))
    ms = point.milestones[0]
    assert places._milestone_key(point.id, ms.key, "due") is None
    path = ("points", point.id, "milestones", ms.key)
    assert places.loc(path, "due") == index.loc(path, "due")


def test_check_on_a_first_read_says_what_the_scanned_index_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (a text large enough to be parsed by parts: its first read has the header places;
    # the same check with every place asked of the index must say the very same)
    text = generated(1600, 11)
    assert len(text) >= byparts.LARGE
    write_ledger(tmp_path, text)
    monkeypatch.setenv("REFORMCTL_CACHE", "off")
    found: list[Loc | None] = []
    fast = KeyPlaces.milestone_key

    def counted(self: KeyPlaces, milestone: Milestone, key: str) -> Loc | None:
        found.append(fast(self, milestone, key))
        return found[-1]

    monkeypatch.setattr(KeyPlaces, "milestone_key", counted)
    runs = [run("check"), run("check", "--format", "json")]
    assert len(found) > 1000 and None not in found  # (every due line without the scan)
    monkeypatch.setattr(KeyPlaces, "milestone_key", lambda self, milestone, key: None)
    monkeypatch.setattr(KeyPlaces, "loc", lambda self, path, key=None: self.index.loc(path, key))
    assert [run("check"), run("check", "--format", "json")] == runs
    assert runs[0].code == 1 and "ledger.toml:" in runs[0].stdout
