"""Git review with real repositories in temporary folders: `diff`, textconv, the merge driver."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reformctl.errors import ReformctlError
from reformctl.ledger.canonical import canonical
from reformctl.ledger.loader import load
from reformctl.model import Ledger
from reformctl.schedule import Tally, tally
from tests.conftest import DATA, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    shutil.copy(DATA / "golden-ledger.toml", tmp_path / "ledger.toml")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "ledger")
    assert run("git", "install").code == 0
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "reformctl git install")
    return tmp_path


def ok(*args: str) -> None:
    result = run(*args)
    assert result.code == 0, (args, result.stderr)


def test_install_writes_attributes_and_config(repo: Path) -> None:
    assert (repo / ".gitattributes").read_text() == "ledger.toml diff=reformctl merge=reformctl\n"
    driver = git(repo, "config", "--get", "merge.reformctl.driver").stdout
    assert driver.strip().endswith("-m reformctl git merge-driver %O %A %B %P")
    assert run("git", "install").code == 0  # idempotent
    assert (repo / ".gitattributes").read_text().count("reformctl") == 2


def test_diff_in_ledger_terms(repo: Path) -> None:
    ok("done", "R26-02/salary", "--evidence", "闽政〔2026〕12号")
    ok("extend", "R26-21/online", "--to", "2026-12-31", "--reason", "系统改造")
    ok("log", "R26-05", "典型经验初稿形成")
    ok("point", "add", "R26-23", "--title", "新要点", "--group", "economy", "--lead", "fgw")
    result = run("diff")
    assert result.code == 0
    assert result.stdout.splitlines() == [
        "ledger.toml: HEAD → 工作区，4 处变化",
        "✓ 节点 R26-02/salary 完成（2026-11-28，佐证：闽政〔2026〕12号）",
        "+ 工作要点 R26-05 新增 2026-11 月度进展：典型经验初稿形成",
        "↷ 节点 R26-21/online 延期：2026-11-27 → 2026-12-31（系统改造）",
        "+ 新增工作要点 R26-23「新要点」（牵头：省发改委）",  # the unit's name, not its key
    ]
    git(repo, "commit", "-qam", "clerk")
    assert run("diff").stdout == "ledger.toml: HEAD → 工作区 台账内容无变化\n"
    data = json.loads(run("diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [(c["kind"], c["ref"]) for c in data["changes"]] == [
        ("done", "R26-02/salary"),
        ("progress-added", "R26-05"),
        ("extended", "R26-21/online"),
        ("point-added", "R26-23"),
    ]
    assert data["changes"][3]["detail"] == "fgw"  # JSON keeps the ledger's key
    markdown = run("--lang", "en", "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert markdown.startswith(
        "### ledger.toml: HEAD\\~1 → HEAD, 4 changes\n\n- ✓ milestone R26-02/salary done"
    )


def test_diff_refusals(repo: Path) -> None:
    result = run("diff", "nope")
    assert (result.code, result.stderr) == (2, "未知的 git 版本 nope\n")


def test_git_diff_and_log_show_ledger_terms(repo: Path) -> None:
    ok("done", "R26-02/salary", "--evidence", "闽政〔2026〕12号")
    out = git(repo, "diff").stdout
    # one fact a line: exactly the two new facts, nothing removed
    added = [
        line for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")
    ]
    removed = [
        line for line in out.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    assert added == [
        "+节点 R26-02/salary · 完成日期: 2026-11-28",
        "+节点 R26-02/salary · 佐证材料: 闽政〔2026〕12号",
    ]
    assert removed == []
    git(repo, "commit", "-qam", "done")
    assert "+节点 R26-02/salary · 完成日期: 2026-11-28" in git(repo, "log", "-p", "-1").stdout


def branch(repo: Path, name: str, *commands: tuple[str, ...]) -> None:
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", name)
    for args in commands:
        ok(*args)
    git(repo, "commit", "-qam", name)


def merged(repo: Path, a: str, b: str) -> subprocess.CompletedProcess[str]:
    git(repo, "checkout", "-q", a)
    return git(repo, "merge", "--no-edit", b, check=False)


def assert_clean(repo: Path) -> None:
    text = (repo / "ledger.toml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    assert load(repo / "ledger.toml").problems == []
    assert canonical(text) == text
    assert "# 2026年全面深化改革工作要点台账（示例）" in text  # comments survive


def test_points_added_at_the_same_place_merge_cleanly(repo: Path) -> None:
    branch(
        repo,
        "a",
        ("point", "add", "R26-23", "--title", "甲", "--group", "economy", "--lead", "fgw"),
        ("milestone", "add", "R26-23/m1", "--name", "甲节点", "--due", "2026-12-30"),
    )
    branch(
        repo,
        "b",
        ("point", "add", "R26-24", "--title", "乙", "--group", "health", "--lead", "wjw"),
        ("milestone", "add", "R26-24/m1", "--name", "乙节点", "--due", "2026-12-30"),
    )
    proc = merged(repo, "a", "b")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_clean(repo)
    points = load(repo / "ledger.toml").valid().points
    assert {"R26-23", "R26-24"} <= set(points)
    text = (repo / "ledger.toml").read_text(encoding="utf-8")
    assert text.index("[points.R26-23]") < text.index("[points.R26-24]")


def test_milestones_and_monthly_entries_merge_cleanly(repo: Path) -> None:
    branch(
        repo,
        "a",
        ("milestone", "add", "R26-01/x", "--name", "甲", "--due", "2026-12-30"),
        ("log", "R26-05", "甲的进展"),
        ("done", "R26-02/salary", "-e", "甲文号"),
    )
    branch(
        repo,
        "b",
        ("milestone", "add", "R26-01/y", "--name", "乙", "--due", "2026-12-31"),
        ("log", "R26-08", "乙的进展"),
        ("extend", "R26-21/online", "--to", "2026-12-31", "--reason", "乙"),
    )
    assert merged(repo, "a", "b").returncode == 0
    assert_clean(repo)
    ledger = load(repo / "ledger.toml").valid()
    assert {"x", "y"} <= {m.key for m in ledger.points["R26-01"].milestones}
    assert ledger.points["R26-05"].progress[-1].text == "甲的进展"
    assert ledger.points["R26-08"].progress[-1].text == "乙的进展"
    assert ledger.points["R26-02"].milestones[2].evidence == "甲文号"
    assert ledger.points["R26-21"].milestones[1].extensions[0].reason == "乙"


def test_same_field_changed_differently_stays_a_conflict(repo: Path) -> None:
    branch(repo, "a", ("done", "R26-02/salary", "-e", "甲文号"))
    branch(
        repo,
        "b",
        ("done", "R26-02/salary", "-e", "乙文号"),
        ("edit", "R26-03", "--title", "乙改标题"),
    )
    proc = merged(repo, "a", "b")
    assert proc.returncode != 0
    text = (repo / "ledger.toml").read_text(encoding="utf-8")
    assert (
        '<<<<<<< ours\nevidence = "甲文号"\n=======\nevidence = "乙文号"\n>>>>>>> theirs\n' in text
    )
    assert 'title = "乙改标题"' in text  # what did not conflict is merged
    assert "points.R26-02.milestones.salary.evidence" in proc.stderr


def test_removed_here_changed_there_is_a_conflict(repo: Path) -> None:
    branch(repo, "a", ("milestone", "remove", "R26-01/summary"))
    branch(repo, "b", ("edit", "R26-01/summary", "--name", "改名"))
    assert merged(repo, "a", "b").returncode != 0
    assert "<<<<<<< ours" in (repo / "ledger.toml").read_text(encoding="utf-8")


def test_merge_driver_directly(tmp_path: Path) -> None:
    base = (DATA / "golden-ledger.toml").read_text(encoding="utf-8")
    ours = base.replace(
        '2026-11 = "起草年度改革成果报告"', '2026-11 = "起草年度改革成果报告"\n2026-12 = "甲"'
    )
    theirs = base.replace(
        "[points.R26-22]", '[points.R26-21.progress]\n2026-11 = "乙"\n\n[points.R26-22]'
    )
    for name, text in (("O", base), ("A", ours), ("B", theirs)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run(
        "git",
        "merge-driver",
        str(tmp_path / "O"),
        str(tmp_path / "A"),
        str(tmp_path / "B"),
        "ledger.toml",
    )
    assert result.code == 0, result.stderr
    merged_text = (tmp_path / "A").read_text(encoding="utf-8")
    assert (
        '2026-12 = "甲"' in merged_text
        and '[points.R26-21.progress]\n2026-11 = "乙"' in merged_text
    )


def commit_on(repo: Path, day: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00",
        "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00",
    }
    subprocess.run(["git", "commit", "-qam", message], cwd=repo, env=env, check=True)


def test_history_per_commit_and_per_month(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    from tests.conftest import BASE

    (tmp_path / "ledger.toml").write_text(BASE, encoding="utf-8")
    git(tmp_path, "add", ".")
    commit_on(tmp_path, "2026-03-01", "start")
    ok("log", "R26-01", "三月", "--month", "2026-03", "--replace")
    commit_on(tmp_path, "2026-03-31", "march")
    ok("done", "R26-01/pilot", "--on", "2026-06-28")
    commit_on(tmp_path, "2026-06-28", "june")
    rows = json.loads(run("history", "--format", "json").stdout)
    assert [(r["date"], r["done"], r["due_to_date"], r["overdue"]) for r in rows] == [
        ("2026-03-01", 1, 0, 0),
        ("2026-03-31", 1, 1, 0),
        ("2026-06-28", 2, 1, 0),
    ]
    assert [r["completion"] for r in rows] == [0.5, 0.5, 1.0]
    monthly = json.loads(run("history", "--per", "month", "--format", "json").stdout)
    assert [r["date"] for r in monthly] == ["2026-03-31", "2026-06-28"]
    unit = json.loads(run("history", "--by", "unit", "--key", "fgw", "--format", "json").stdout)
    assert [r["milestones"] for r in unit] == [0, 0, 0]
    table = run("history", "--format", "plain").stdout
    assert "2026-06-28" in table and "100%" in table
    assert run("history", "--by", "unit").code == 2


def started_with_own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A repository whose first commit (2026-03-01) is the base ledger, and a cache of the
    test's own, written synchronously."""
    from tests.conftest import BASE

    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "ledger.toml").write_text(BASE, encoding="utf-8")
    git(tmp_path, "add", ".")
    commit_on(tmp_path, "2026-03-01", "start")


def test_history_counts_each_revision_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A revision's figures, every scope's, are cached under its text and its day (its model
    is not): a second `history`, or one for another scope, reads no model at all; a broken or
    foreign entry is counted again; the scopes' figures are scope_tally's."""
    from tests.conftest import BASE

    started_with_own_cache(tmp_path, monkeypatch)
    ok("done", "R26-01/pilot", "--on", "2026-06-28")
    commit_on(tmp_path, "2026-06-28", "june")
    (tmp_path / "ledger.toml").write_text(BASE + "\n[points.R26-01.bogus]\n", encoding="utf-8")
    commit_on(tmp_path, "2026-07-01", "broken")
    run("check")  # the working tree's model (history reads it for its timezone)
    models = set((tmp_path / "cache").glob("model-*.bin"))
    first = run("history", "--format", "json").stdout
    rows = sorted((tmp_path / "cache").glob("history-figures-*.bin"))
    assert len(rows) == 3
    assert set((tmp_path / "cache").glob("model-*.bin")) == models  # no revision's model kept
    import reformctl.ledger.read as read

    builds: list[object] = []
    real = read.build_ledger
    monkeypatch.setattr(read, "build_ledger", lambda *a: builds.append(a) or real(*a))
    assert run("history", "--format", "json").stdout == first
    unit = json.loads(run("history", "--by", "unit", "--key", "lyj", "--format", "json").stdout)
    group = run("history", "--by", "group", "--key", "economy", "--format", "json").stdout
    nobody = json.loads(run("history", "--by", "unit", "--key", "fgw", "--format", "json").stdout)
    assert builds == []  # no revision's model was read, for any scope
    assert json.loads(first)[2]["problem"]  # the broken revision's problem, cached too
    assert [r["milestones"] for r in unit[:2]] == [2, 2]
    assert [r["milestones"] for r in nobody[:2]] == [0, 0]  # (fgw leads nothing)
    monkeypatch.setattr(read, "build_ledger", real)
    from reformctl.ledger import cache

    cache.put_bytes(rows[0].name.removesuffix(".bin"), b'{"not": "figures"}')
    assert run("history", "--format", "json").stdout == first
    monkeypatch.setenv("REFORMCTL_CACHE", "off")  # the same figures counted afresh
    assert run("history", "--by", "unit", "--key", "lyj", "--format", "json").stdout == (
        json.dumps(unit, ensure_ascii=False, indent=2) + "\n"
    )
    assert run("history", "--by", "group", "--key", "economy", "--format", "json").stdout == group


def test_a_history_row_that_is_not_figures_is_counted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An intact entry under a row's key that holds no figures (another's, nested past the
    parser's depth) is counted again, never a crash (exit 3: RecursionError)."""
    from reformctl.ledger import cache

    started_with_own_cache(tmp_path, monkeypatch)
    first = run("history", "--format", "json")
    assert first.code == 0, first.stderr
    (row,) = (tmp_path / "cache").glob("history-figures-*.bin")
    cache.put_bytes(row.name.removesuffix(".bin"), b"[" * 100_000 + b"]" * 100_000)
    again = run("history", "--format", "json")
    assert (again.code, again.stdout) == (0, first.stdout)


def test_the_repository_root_is_asked_once_while_it_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The root git named for a folder is kept within a process, but not past a repository
    made inside it or the repository's removal (the root of another repository, or of none,
    was given for every later call)."""
    from reformctl.ledger import gitio

    inner = tmp_path / "outer" / "inner"
    inner.mkdir(parents=True)
    git(tmp_path / "outer", "init", "-q")
    ledger = inner / "ledger.toml"
    assert gitio.repo_root(ledger) == (tmp_path / "outer").resolve()
    asked: list[list[str]] = []
    real = gitio._git
    monkeypatch.setattr(gitio, "_git", lambda args, cwd: asked.append(args) or real(args, cwd))
    assert gitio.repo_root(ledger) == (tmp_path / "outer").resolve()
    assert asked == []  # kept
    git(inner, "init", "-q")
    assert gitio.repo_root(ledger) == inner.resolve()
    shutil.rmtree(inner / ".git")
    shutil.rmtree(tmp_path / "outer" / ".git")
    try:
        root = gitio.repo_root(ledger)
    except ReformctlError:  # (unless the tests' own folder is in a repository)
        root = None
    assert root not in (inner.resolve(), (tmp_path / "outer").resolve())


def test_documented_ci_commands_run(repo: Path, tmp_path: Path) -> None:
    """Every `reformctl` command in docs/ci.md runs on a real repository with the sample."""
    import re
    import shlex

    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    commands = [
        line.split("#")[0].split(">")[0].split("||")[0].strip()
        for block in re.findall(r"```(?:sh|yaml)\n(.*?)```", doc, re.S)
        for line in block.splitlines()
        for line in [line.strip().removeprefix("- ").removeprefix("run: ")]
        if line.startswith("reformctl ")
    ]
    assert len(commands) >= 10
    git(repo, "checkout", "-q", "-b", "work")
    ok("done", "R26-02/salary", "-e", "文号")
    git(repo, "commit", "-qam", "change")
    summary = tmp_path / "summary.md"
    for command in commands:
        args = [a.replace('"origin/${{ github.base_ref }}"', "main") for a in shlex.split(command)][
            1:
        ]
        args = ["main" if a == "origin/${{ github.base_ref }}" else a for a in args]
        # The intranet recipe names the server's paths; here they are this repository's.
        places = {
            "/srv/ledger/ledger.toml": "ledger.toml",
            "/srv/www/ledger": str(tmp_path / "www"),
        }
        args = [places.get(a, a) for a in args]
        result = run(*args, env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert result.code in (0, 1), (command, result.stderr)
        assert "Traceback" not in result.stderr


def test_hook_and_workflow_yaml_parse() -> None:
    import re

    import yaml

    from tests.conftest import ROOT

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"reformctl-check", "reformctl-fmt"}
    for hook in hooks:
        assert run(*hook["entry"].split()[1:]).code in (0, 1, 2)
    for block in re.findall(
        r"```yaml\n(.*?)```", (ROOT / "docs" / "ci.md").read_text(encoding="utf-8"), re.S
    ):
        assert yaml.safe_load(block)


def test_textconv_writes_utf8_whatever_the_locale_and_the_same_bytes_from_the_cache(
    sample: Path, tmp_path: Path
) -> None:
    """git reads a textconv's output as bytes: they are UTF-8 under a locale whose encoding
    cannot hold Chinese (it was an encoding error), and the cached run gives the very bytes
    the first one did."""
    from tests.conftest import ROOT

    exe = Path(sys.executable).with_name("reformctl")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "reformctl"]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONIOENCODING": "latin-1",
        "REFORMCTL_CACHE_DIR": str(tmp_path / "cache"),
        "REFORMCTL_CACHE": "sync",
    }
    runs = [
        subprocess.run([*cmd, "git", "textconv", str(sample)], env=env, capture_output=True)
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr.decode()
    assert list((tmp_path / "cache").glob("textconv-*"))  # the second run was a hit
    first, second = (r.stdout for r in runs)
    assert first == second
    assert "深化集体林权制度改革" in first.decode("utf-8")
    assert first.decode("utf-8") == run("git", "textconv", str(sample)).stdout


def scope_tally(ledger: Ledger, day: dt.date, by: str, key: str | None) -> Tally:
    """A scope's figures by their definition: the tally of the points it takes in."""
    points = list(ledger.points.values())
    if by == "unit":
        points = [p for p in points if p.lead == key]
    elif by == "group":
        points = [p for p in points if p.group == key]
    soon = ledger.settings.soon_days
    return sum((tally(p.milestones, day, soon) for p in points), Tally())


def test_every_scopes_figures_are_scope_tallys() -> None:
    """The one pass that counts every scope gives what counting each scope alone gives, on
    every day of the year, for the office, each unit and each group (and one that leads
    nothing)."""
    from reformctl.history import every_scope
    from tests.conftest import ROOT

    ledger = load(ROOT / "ledger.toml").ledger
    assert ledger is not None
    for day in (dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(0, 366, 7)):
        figures = every_scope(ledger, day)
        assert figures.of("office", None) == scope_tally(ledger, day, "office", None)
        for key in [*ledger.units, "nobody"]:
            assert figures.of("unit", key) == scope_tally(ledger, day, "unit", key)
        for key in [*ledger.groups, "nobody"]:
            assert figures.of("group", key) == scope_tally(ledger, day, "group", key)
