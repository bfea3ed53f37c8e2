"""Different keys of one table never conflict (issue 22): the office moves a milestone's due
date while the unit records it done, two clerks add progress for different months of one point;
on merge (both directions), rebase, pull --rebase, cherry-pick and stash pop. Real git
repositories, the real CLI as a process (`reformctl git install`, then git runs the driver)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from reformctl.ledger.parse import loads
from tests.conftest import BASE, DATA, ROOT, TODAY

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "clerk",
    "GIT_AUTHOR_EMAIL": "clerk@example.org",
    "GIT_COMMITTER_NAME": "clerk",
    "GIT_COMMITTER_EMAIL": "clerk@example.org",
    "GIT_AUTHOR_DATE": "2026-11-28T10:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-11-28T10:00:00+08:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, **GIT_ENV, "PYTHONPATH": path, "REFORMCTL_TODAY": TODAY}


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=_env(), capture_output=True, text=True, timeout=120
    )
    if check:
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    return proc


def cli(repo: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    """The real CLI, as a process of this Python (git runs the driver the same way)."""
    proc = subprocess.run(
        [sys.executable, "-m", "reformctl", *args],
        cwd=repo,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == code, (args, proc.stdout, proc.stderr)
    return proc


def new_repo(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    git(folder, "init", "-q", "-b", "main")
    (folder / "ledger.toml").write_text(text, encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "ledger")
    cli(folder, "git", "install")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "reformctl git install")
    return folder


def commit(repo: Path, branch: str, *commands: tuple[str, ...], start: str = "main") -> None:
    git(repo, "checkout", "-q", start)
    git(repo, "checkout", "-q", "-b", branch)
    for args in commands:
        cli(repo, *args)
    git(repo, "commit", "-qam", branch)


OFFICE = ("edit", "R26-12/report", "--due", "2027-01-15")  # the office moves the date
UNIT = ("done", "R26-12/report", "--evidence", "闽发改〔2026〕9号")  # the unit records it done


def assert_due_and_done(repo: Path) -> None:
    text = (repo / "ledger.toml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    milestone = loads(text)["points"]["R26-12"]["milestones"]["report"]
    assert milestone["due"].isoformat() == "2027-01-15"
    assert milestone["done"].isoformat() == TODAY
    assert milestone["evidence"] == "闽发改〔2026〕9号"
    assert load(repo / "ledger.toml").problems == []
    cli(repo, "check", "--fail-on", "never")
    # every other line is the base's: the two changes are the only ones
    base = git(repo, "show", "base:ledger.toml").stdout.splitlines()
    assert sorted(set(text.splitlines()) - set(base)) == [
        "done = 2026-11-28",
        "due = 2027-01-15",
        'evidence = "闽发改〔2026〕9号"',
    ]


@pytest.fixture
def office_and_unit(tmp_path: Path) -> Path:
    repo = new_repo(tmp_path / "repo", (DATA / "golden-ledger.toml").read_text(encoding="utf-8"))
    git(repo, "tag", "base")
    commit(repo, "office", OFFICE)
    commit(repo, "unit", UNIT)
    return repo


@pytest.mark.parametrize("ours, theirs", [("office", "unit"), ("unit", "office")])
def test_due_moved_and_done_recorded_merge_in_either_direction(
    office_and_unit: Path, ours: str, theirs: str
) -> None:
    repo = office_and_unit
    git(repo, "checkout", "-q", ours)
    proc = git(repo, "merge", "--no-edit", theirs, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "layout" not in proc.stderr
    assert_due_and_done(repo)


def test_rebase_takes_both(office_and_unit: Path) -> None:
    repo = office_and_unit
    git(repo, "checkout", "-q", "unit")
    proc = git(repo, "rebase", "office", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_due_and_done(repo)


def test_cherry_pick_takes_both(office_and_unit: Path) -> None:
    repo = office_and_unit
    git(repo, "checkout", "-q", "office")
    proc = git(repo, "cherry-pick", "unit", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_due_and_done(repo)


def test_stash_pop_over_the_office_change(office_and_unit: Path) -> None:
    repo = office_and_unit
    git(repo, "checkout", "-q", "main")
    cli(repo, *UNIT)  # the clerk's change, not committed yet
    git(repo, "stash", "-q")
    git(repo, "merge", "-q", "--ff-only", "office")  # the office's change arrives
    proc = git(repo, "stash", "pop", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_due_and_done(repo)


def test_progress_for_different_months_on_pull_rebase(tmp_path: Path) -> None:
    seed = new_repo(tmp_path / "seed", BASE)
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(remote))
    clerks = []
    for name in ("a", "b"):
        git(tmp_path, "clone", "-q", str(remote), name)
        cli(tmp_path / name, "git", "install")  # config is per clone
        clerks.append(tmp_path / name)
    a, b = clerks
    cli(a, "log", "R26-01", "十月进展", "--month", "2026-10")
    git(a, "commit", "-qam", "october")
    git(a, "push", "-q", "origin", "main")
    cli(b, "log", "R26-01", "十一月进展", "--month", "2026-11")
    git(b, "commit", "-qam", "november")
    proc = git(b, "pull", "--rebase", "-q", "origin", "main", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (b / "ledger.toml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    assert loads(text)["points"]["R26-01"]["progress"] == {
        "2026-03": "实施方案已印发",
        "2026-10": "十月进展",
        "2026-11": "十一月进展",
    }
    assert '2026-10 = "十月进展"\n2026-11 = "十一月进展"\n' in text  # in order, both as written
    cli(b, "check", "--fail-on", "never")


def test_a_real_layout_conflict_says_why_in_its_marker(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", BASE)
    path = repo / "ledger.toml"
    for name, new in (
        ("ours", 'group = "economy"\ntitle = "深化集体林权制度改革"\nlead = "lyj"'),
        ("theirs", 'lead = "lyj"\ngroup = "economy"\ntitle = "深化集体林权制度改革"'),
    ):
        git(repo, "checkout", "-q", "main")
        git(repo, "checkout", "-q", "-b", name)
        old = 'title = "深化集体林权制度改革"\ngroup = "economy"\nlead = "lyj"'
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        git(repo, "commit", "-qam", name)
    git(repo, "checkout", "-q", "ours")
    proc = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert proc.returncode != 0
    assert "points.R26-01 (布局)" in proc.stderr
    text = path.read_text(encoding="utf-8")
    assert "<<<<<<< ours （布局冲突：双方都调整了此表中键的顺序，两种顺序无法兼得" in text


def test_conflict_markers_carry_the_names_git_passes(tmp_path: Path) -> None:
    base = BASE
    ours = BASE.replace('evidence = "闽林〔2026〕3号"', 'evidence = "甲"')
    theirs = BASE.replace('evidence = "闽林〔2026〕3号"', 'evidence = "乙"')
    files = []
    for name, text in (("o", base), ("a", ours), ("b", theirs)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(name)
    names = ["--ours-label", "main", "--base-label", "merged common ancestors"]
    names += ["--theirs-label", "unit/lyj"]
    proc = cli(tmp_path, "git", "merge-driver", *files, "ledger.toml", *names, code=1)
    assert "points.R26-01.milestones.plan.evidence" in proc.stderr
    text = (tmp_path / "a").read_text(encoding="utf-8")
    assert '<<<<<<< main\nevidence = "甲"\n=======\nevidence = "乙"\n>>>>>>> unit/lyj\n' in text
    # a git before 2.44 passes the placeholders as they are: ours and theirs then
    (tmp_path / "a").write_text(ours, encoding="utf-8")
    placeholders = ["--ours-label", "%X", "--base-label", "%S", "--theirs-label", "%Y"]
    cli(tmp_path, "git", "merge-driver", *files, "ledger.toml", *placeholders, code=1)
    text = (tmp_path / "a").read_text(encoding="utf-8")
    assert '<<<<<<< ours\nevidence = "甲"\n=======\nevidence = "乙"\n>>>>>>> theirs\n' in text


def test_install_passes_the_names_only_where_git_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reformctl.ledger import gitio
    from tests.conftest import run

    repo = new_repo(tmp_path / "repo", BASE)
    driver = git(repo, "config", "merge.reformctl.driver").stdout.strip()
    if gitio.version(repo) >= (2, 44):
        assert driver.endswith("%O %A %B %P --base-label %S --ours-label %X --theirs-label %Y")
    else:
        assert driver.endswith("git merge-driver %O %A %B %P")
    monkeypatch.chdir(repo)
    for found, names in (((2, 44, 0), True), ((2, 43, 5), False)):
        monkeypatch.setattr(gitio, "version", lambda root, found=found: found)
        assert run("git", "install").code == 0
        driver = git(repo, "config", "merge.reformctl.driver").stdout.strip()
        assert driver.endswith("--theirs-label %Y") is names


# -- findings 07, 09, 10: either hunk of a conflict, taken alone, is that side's valid ledger --
SMALL = """\
schema = 1

[ledger]
title = "测试台账"
year = 2026
office_unit = "ggb"
lang = "zh"

[units.ggb]
name = "省委改革办"

[units.lyj]
name = "省林业局"

[groups.ecology]
name = "生态文明体制改革专项小组"
lead = "lyj"

[points.R26-01]
title = "深化集体林权制度改革"
group = "ecology"
lead = "lyj"
units = []
path = "出台政策文件"
outcome = "政策文件"

[points.R26-01.milestones.plan]
name = "出台实施方案"
due = 2026-03-31

[points.R26-01.milestones.pilot]
name = "开展试点"
due = 2026-06-30
"""


def _pick(text: str, side: str) -> str:
    import re

    hunk = re.compile(r"<<<<<<< [^\n]*\n(.*?)=======\n(.*?)>>>>>>> [^\n]*\n", re.S)
    return hunk.sub(lambda m: m.group(1 if side == "ours" else 2), text)


def _branches(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[Path, str, str]:
    """A repo whose branch main wrote ``ours`` and branch other ``theirs`` over ``base``;
    main merges other. Returns the repo, the merged text and git's output."""
    tmp_path.mkdir(exist_ok=True)
    repo = new_repo(tmp_path / "repo", base)
    path = repo / "ledger.toml"
    git(repo, "checkout", "-q", "-b", "other")
    path.write_text(theirs, encoding="utf-8")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    path.write_text(ours, encoding="utf-8")
    git(repo, "commit", "-qam", "ours")
    proc = git(repo, "merge", "--no-edit", "other", check=False)
    return repo, path.read_text(encoding="utf-8"), proc.stdout + proc.stderr


def _each_hunk_valid(repo: Path, text: str, shows: dict[str, tuple[str, str]]) -> None:
    assert "<<<<<<<" in text
    for side, (want, gone) in shows.items():
        (repo / "ledger.toml").write_text(_pick(text, side), encoding="utf-8")
        checked = cli(repo, "check", "--fail-on", "never")
        assert checked.returncode == 0
        shown = cli(repo, "show", "R26-01", code=0 if want else 2).stdout
        assert (not want or want in shown) and (not gone or gone not in shown), (side, shown)


def test_both_appended_to_an_array_of_tables_each_hunk_is_that_side(tmp_path: Path) -> None:
    ext = '\n[[points.R26-01.milestones.pilot.extensions]]\nto = {}\nreason = "{}"\n'
    base = SMALL + ext.format("2026-09-30", "甲")
    repo, text, _ = _branches(
        tmp_path, base, base + ext.format("2026-10-31", "乙"), base + ext.format("2026-11-30", "丙")
    )
    _each_hunk_valid(repo, text, {"ours": ("乙", "丙"), "theirs": ("丙", "乙")})


def test_a_point_removed_here_and_changed_there_is_one_conflict(tmp_path: Path) -> None:
    gone = SMALL[: SMALL.index("[points.R26-01]")]
    done = SMALL.replace("due = 2026-03-31\n", "due = 2026-03-31\ndone = 2026-03-28\n")
    for ours, theirs, name in ((gone, done, "merge"), (done, gone, "reverse")):
        repo, text, said = _branches(tmp_path / name, SMALL, ours, theirs)
        assert "points.R26-01 (" in said and "removed" not in said, said  # in Chinese
        keeper = "theirs" if ours is gone else "ours"
        loser = "ours" if keeper == "theirs" else "theirs"
        _each_hunk_valid(repo, text, {keeper: ("开展试点", ""), loser: ("", "")})
