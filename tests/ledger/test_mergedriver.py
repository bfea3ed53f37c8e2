"""The merge driver is one library call: ``merge_files`` writes ours and returns what it did
(the merged text, the conflicts, why it fell back to git's line merge and the problems of
that merge), so ``reformctl git merge-driver`` only prints it. Real files, real git."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reformctl.errors import ReformctlError
from reformctl.i18n import tr
from reformctl.ledger.mergedriver import merge_files
from reformctl.ledger.mergetext import Labels
from reformctl.ledger.parse import loads
from tests.conftest import BASE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def sides(folder: Path, base: bytes, ours: bytes, theirs: bytes) -> tuple[Path, Path, Path]:
    paths = (folder / "base", folder / "ours", folder / "theirs")
    for path, data in zip(paths, (base, ours, theirs), strict=True):
        path.write_bytes(data)
    return paths


def test_two_sides_that_changed_different_facts_merge_clean(tmp_path: Path) -> None:
    base = BASE.encode("utf-8")
    ours = BASE.replace('name = "省发改委"', 'name = "省发展改革委"').encode()
    theirs = base.replace(b"year = 2026", b"year = 2027")
    assert ours != base and theirs != base
    paths = sides(tmp_path, base, ours, theirs)
    done = merge_files(*paths, "ledger.toml")
    assert (done.clean, done.conflicts, done.fallback, done.problems) == (True, [], None, [])
    assert paths[1].read_text(encoding="utf-8") == done.text
    data = loads(done.text)
    assert data["ledger"]["year"] == 2027 and data["units"]["fgw"]["name"] == "省发展改革委"


def test_one_fact_changed_two_ways_is_a_conflict_named_in_the_record(tmp_path: Path) -> None:
    base = BASE.encode("utf-8")
    ours = base.replace(b"year = 2026", b"year = 2028")
    theirs = base.replace(b"year = 2026", b"year = 2027")
    paths = sides(tmp_path, base, ours, theirs)
    done = merge_files(*paths, "ledger.toml", labels=Labels("main", "base", "feature"))
    assert not done.clean and done.fallback is None
    assert len(done.conflicts) == 1 and "year" in done.conflicts[0]
    assert "<<<<<<< main" in paths[1].read_text(encoding="utf-8")


def test_a_side_that_is_not_utf8_falls_back_to_gits_line_merge_and_says_why(
    tmp_path: Path,
) -> None:
    base = BASE.encode("utf-8")
    theirs = BASE.encode("gbk")
    ours = base.replace(b"year = 2026", b"year = 2027")
    paths = sides(tmp_path, base, ours, theirs)
    done = merge_files(*paths, "ledger.toml", lang="en")
    assert done.fallback == tr("not-utf8-side", "en")
    assert not done.clean and not done.line_clean  # git's markers, for a person
    assert b"<<<<<<< ours" in paths[1].read_bytes()


def test_a_clean_line_merge_that_is_no_valid_ledger_is_not_clean(tmp_path: Path) -> None:
    base = BASE.encode("utf-8")
    ours = BASE.replace('name = "省发改委"', 'name = "省发展改革委"').encode()
    theirs = base.replace(b"year = 2026", b"year = = 2026")  # does not parse: a fallback
    paths = sides(tmp_path, base, ours, theirs)
    done = merge_files(*paths, "ledger.toml", lang="en")
    assert done.fallback is not None and done.line_clean
    assert done.problems and done.problems[0].code.startswith("toml")
    assert not done.clean


def test_a_file_that_cannot_be_read_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    base = BASE.encode("utf-8")
    paths = sides(tmp_path, base, base, base)
    paths[2].unlink()
    with pytest.raises(ReformctlError) as caught:
        merge_files(*paths, "ledger.toml")
    assert caught.value.problem.code == "ledger-unreadable"
    assert paths[1].read_bytes() == base
