"""The site at scale: index.html stays small whatever the number of points (long lists go to
their own pages), one page a point; and a history read once: a second build takes every
revision's figures and changes from the cache, computing none again.

The figures at 10,000 points and 100 commits are measured by benchmarks/site.py (docs/site.md).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_process

INDEX_LIMIT = 300 * 1024


def generated(folder: Path, points: int) -> Path:
    folder.mkdir()
    path = folder / "ledger.toml"
    with path.open("w", encoding="utf-8") as out:
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(points)],
            stdout=out,
            check=True,
        )
    return path


@pytest.mark.slow
def test_index_stays_small_and_long_lists_have_their_own_pages(tmp_path: Path) -> None:
    sizes = {}
    for points in (200, 2000):
        folder = tmp_path / f"l{points}"
        generated(folder, points)
        out = tmp_path / f"site{points}"
        result = run_process("--today", "2026-11-28", "site", "--out", str(out), cwd=folder)
        assert result.code == 0, result.stderr
        sizes[points] = (out / "index.html").stat().st_size
        assert len(list((out / "points").iterdir())) == points
        due = (out / "due.html").read_text(encoding="utf-8")
        index = (out / "index.html").read_text(encoding="utf-8")
        listed = index.count("data-days-overdue=")
        assert listed <= 60 < due.count("data-days-overdue=")  # all of them on due.html
        assert 'href="due.html"' in index
    assert sizes[2000] < INDEX_LIMIT
    # ten times the points: the index grows by the names of a few more units at most
    assert sizes[2000] - sizes[200] < 16 * 1024, sizes


def test_a_second_build_reads_history_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reformctl import sitedata
    from reformctl.ledger.loader import load

    if shutil.which("git") is None:
        pytest.skip("needs git")
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str, day: str = "") -> None:
        env = {"GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00"} if day else {}
        subprocess.run(["git", *args], cwd=repo, check=True, env={**os.environ, **env})

    git("init", "-q", "-b", "main")
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    for n, day in enumerate(("2026-08-10", "2026-09-10", "2026-10-10", "2026-11-10")):
        (repo / "ledger.toml").write_text(
            text.replace('title = "深化集体林权制度改革', f'title = "深化集体林权制度改革{n}', 1),
            encoding="utf-8",
        )
        git("add", ".")
        git("commit", "-qm", f"c{n}", day=day)
    path = repo / "ledger.toml"
    ledger = load(path).valid()
    today = dt.date(2026, 11, 28)
    calls = {"compare": 0, "figures": 0}
    real_compare, real_figures = sitedata.compare, sitedata.every_scope

    def counted_compare(*args: object) -> object:
        calls["compare"] += 1
        return real_compare(*args)  # type: ignore[arg-type]

    def counted_figures(*args: object) -> object:
        calls["figures"] += 1
        return real_figures(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sitedata, "compare", counted_compare)
    monkeypatch.setattr(sitedata, "every_scope", counted_figures)
    first = sitedata.read_history(path, ledger, today, "zh")
    assert calls == {"compare": 4, "figures": 3}  # each commit; the ends of Aug, Sep, Oct
    calls.update(compare=0, figures=0)
    second = sitedata.read_history(path, ledger, today, "zh")
    assert calls == {"compare": 0, "figures": 0}
    assert second.ranks == first.ranks and second.trend == first.trend
    assert second.changes == first.changes
    assert len(first.changes["R26-01"]) > 1
