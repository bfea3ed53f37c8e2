"""The merge driver merges what differs (issue 22): a base ledger and two sides, each changing
random keys (different keys of one table among them, and the same key to the same value),
merge without a conflict to the base with both sides' changes, in either direction; and a real
`git rebase` of one side onto the other agrees."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reformctl.ledger.edit import Source
from reformctl.ledger.gitio import merge_file_text
from reformctl.ledger.merge import merge
from reformctl.ledger.parse import loads
from reformctl.ledger.read import load_text
from tests.conftest import examples

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

POINTS = ("R26-01", "R26-02", "R26-03")
MILESTONES = ("plan", "pilot")


def _base() -> str:
    parts = [
        'schema = 1\n\n[ledger]\ntitle = "测试台账"\nyear = 2026\ntimezone = "Asia/Shanghai"\n',
        '\n[units.fgw]\nname = "省发改委"\n\n[units.lyj]\nname = "省林业局"\n',
        '\n[groups.economy]\nname = "经济体制改革专项小组"\nlead = "fgw"\n',
    ]
    for n, pid in enumerate(POINTS, 1):
        parts.append(
            f'\n[points.{pid}]\ntitle = "要点{n}"\ngroup = "economy"\nlead = "lyj"\n'
            f'units = ["fgw"]\npath = "路径"\noutcome = "政策文件"\nmajor = true\n'
        )
        for k, ms in enumerate(MILESTONES, 1):
            parts.append(
                f'\n[points.{pid}.milestones.{ms}]\nname = "节点{k}"\ndue = 2026-0{k + 5}-30\n'
            )
        parts.append(f'\n[points.{pid}.progress]\n2026-03 = "三月进展"\n')
    return "".join(parts)


BASE = _base()
DATA = loads(BASE)

# (table, key) -> values a side may set: keys of one table (a milestone's due, done and
# evidence; a point's months) are the cases git's line merge puts in conflict
KEYS: dict[tuple[tuple[str, ...], str], list[Any]] = {}
for _pid in POINTS:
    KEYS[(("points", _pid), "title")] = ["甲标题", "乙标题"]
    KEYS[(("points", _pid), "outcome")] = ["试点方案", "制度成果"]
    for _ms in MILESTONES:
        _table = ("points", _pid, "milestones", _ms)
        KEYS[(_table, "due")] = [dt.date(2026, 12, 30), dt.date(2027, 1, 15)]
        KEYS[(_table, "done")] = [dt.date(2026, 11, 20), dt.date(2026, 11, 27)]
        KEYS[(_table, "evidence")] = ["闽发改〔2026〕9号", "闽林〔2026〕3号"]
        KEYS[(_table, "name")] = ["新名称甲", "新名称乙"]
    for _month in ("2026-03", "2026-10", "2026-11"):
        KEYS[(("points", _pid, "progress"), _month)] = ["甲的进展", "乙的进展"]
KEYS[(("units", "lyj"), "name")] = ["省林业局（甲）", "省林业局（乙）"]
ALL_KEYS = sorted(KEYS)

Change = dict[tuple[tuple[str, ...], str], Any]


@st.composite
def sides(draw: st.DrawFn) -> tuple[Change, Change]:
    """Two sides' changes: keys of their own (disjoint), and some set alike on both."""
    keys = draw(st.lists(st.sampled_from(ALL_KEYS), min_size=1, max_size=8, unique=True))
    owner = draw(st.lists(st.sampled_from("abs"), min_size=len(keys), max_size=len(keys)))
    ours: Change = {}
    theirs: Change = {}
    for key, who in zip(keys, owner, strict=True):
        value = draw(st.sampled_from(KEYS[key]))
        if who in "as":
            ours[key] = value
        if who in "bs":
            theirs[key] = value
    return ours, theirs


def apply_text(text: str, changes: Change) -> str:
    """The side's text: each key set as a command sets it (only its lines change)."""
    for (table, key), value in changes.items():
        src = Source.from_text(text, "ledger.toml")
        text = src.apply([src.set_fields(table, {key: value})])
    return text


def apply_data(data: dict[str, Any], changes: Change) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for (table, key), value in changes.items():
        node = out
        for part in table:
            node = node[part]
        node[key] = value
    return out


def expected(ours: Change, theirs: Change) -> dict[str, Any]:
    return apply_data(apply_data(DATA, ours), theirs)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sides())
def test_disjoint_changes_merge_to_the_base_with_both_in_either_direction(
    changes: tuple[Change, Change],
) -> None:
    ours, theirs = changes
    a, b = apply_text(BASE, ours), apply_text(BASE, theirs)
    want = expected(ours, theirs)
    for x, y in ((a, b), (b, a)):
        result = merge(BASE, x, y, "ledger.toml", line_merge=merge_file_text)
        assert result.conflicts == [], (ours, theirs, result.conflicts)
        assert loads(result.text) == want
        assert "<<<<<<<" not in result.text
        # no problem that neither side had (evidence without done is one a side may have)
        had = {p.identity() for side in (x, y) for p in load_text(side, "ledger.toml").problems}
        assert {p.identity() for p in load_text(result.text, "ledger.toml").problems} <= had


def test_different_keys_of_one_milestone_merge_both_ways() -> None:
    """The reported case, as a plain example: due moved on one side, done and evidence added
    on the other, in one table."""
    table = ("points", "R26-02", "milestones", "pilot")
    ours = {(table, "due"): dt.date(2027, 1, 15)}
    theirs = {(table, "done"): dt.date(2026, 11, 27), (table, "evidence"): "闽发改〔2026〕9号"}
    a, b = apply_text(BASE, ours), apply_text(BASE, theirs)
    assert merge_file_text(BASE, a, b) is None  # git's line merge: a conflict
    for x, y in ((a, b), (b, a)):
        result = merge(BASE, x, y, "ledger.toml", line_merge=merge_file_text)
        assert result.conflicts == []
        assert loads(result.text) == expected(ours, theirs)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "GIT_AUTHOR_NAME": "clerk",
        "GIT_AUTHOR_EMAIL": "clerk@example.org",
        "GIT_COMMITTER_NAME": "clerk",
        "GIT_COMMITTER_EMAIL": "clerk@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    import os

    return subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **env}, capture_output=True, text=True
    )


@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sides())
@example(  # the reported case: the office moves the date, the unit records it done
    (
        {(("points", "R26-02", "milestones", "pilot"), "due"): dt.date(2027, 1, 15)},
        {
            (("points", "R26-02", "milestones", "pilot"), "done"): dt.date(2026, 11, 27),
            (("points", "R26-02", "milestones", "pilot"), "evidence"): "闽发改〔2026〕9号",
        },
    )
)
def test_a_real_rebase_agrees(
    monkeypatch: pytest.MonkeyPatch, changes: tuple[Change, Change]
) -> None:
    from tests.conftest import run

    ours, theirs = changes
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        monkeypatch.chdir(repo)
        _git(repo, "init", "-q", "-b", "main")
        (repo / "ledger.toml").write_text(BASE, encoding="utf-8")
        assert run("git", "install").code == 0
        _git(repo, "add", ".")
        _git(repo, "commit", "-qm", "base")
        for name, change in (("ours", ours), ("theirs", theirs)):
            _git(repo, "checkout", "-q", "-b", name, "main")
            (repo / "ledger.toml").write_text(apply_text(BASE, change), encoding="utf-8")
            _git(repo, "commit", "-q", "--allow-empty", "-am", name)
        proc = _git(repo, "rebase", "ours")  # theirs replayed onto ours
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert loads((repo / "ledger.toml").read_text(encoding="utf-8")) == expected(ours, theirs)
