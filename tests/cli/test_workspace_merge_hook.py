"""A merge of a workspace that breaks a reference across files (issue 22): one branch adds a
point led by a unit, the other removes that unit from shared.toml. Each file changed on one
side only, so git never runs the merge driver; the pre-merge-commit hook that `reformctl git
install` writes runs the rules on the merged files and stops the merge. Real git, the real CLI
as a process."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BASE
from tests.test_merge_keys import cli, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

UNIT = '[units.zz]\nname = "测试单位"\n'


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace (shared.toml, groups/economy.toml) with a unit zz declared, in git."""
    repo = tmp_path / "office"
    repo.mkdir()
    (repo / "ledger.toml").write_text(BASE, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    cli(repo, "workspace", "split", "--by", "group")
    cli(repo, "unit", "add", "zz", "测试单位")
    assert UNIT in (repo / "shared.toml").read_text(encoding="utf-8")
    return repo


def install_and_commit(repo: Path) -> subprocess.CompletedProcess[str]:
    installed = cli(repo, "git", "install")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "工作区")
    return installed


def branches(repo: Path) -> None:
    """add: a point led by zz (groups/economy.toml); remove: zz gone from shared.toml."""
    git(repo, "checkout", "-q", "-b", "add")
    cli(repo, "point", "add", "R26-02", "--title", "新要点", "--group", "economy", "--lead", "zz")
    git(repo, "commit", "-qam", "add")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "remove")
    shared = repo / "shared.toml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(UNIT, ""), encoding="utf-8")
    cli(repo, "check", "--fail-on", "never")  # each side alone is valid
    git(repo, "commit", "-qam", "remove")
    git(repo, "checkout", "-q", "add")


def test_a_merge_that_breaks_a_reference_across_files_is_stopped(workspace: Path) -> None:
    installed = install_and_commit(workspace)
    hooks = git(workspace, "rev-parse", "--git-path", "hooks").stdout.strip()
    assert f"{hooks}/pre-merge-commit" in installed.stdout  # says what it installed
    branches(workspace)
    head = git(workspace, "rev-parse", "HEAD").stdout
    proc = git(workspace, "merge", "--no-edit", "remove", check=False)
    assert proc.returncode != 0, proc.stdout + proc.stderr
    text = (workspace / "groups/economy.toml").read_text(encoding="utf-8")
    line = text.splitlines().index('lead = "zz"') + 1
    out = proc.stdout + proc.stderr
    assert f"groups/economy.toml:{line}:" in out and "zz" in out, out
    assert git(workspace, "rev-parse", "HEAD").stdout == head  # nothing committed
    assert git(workspace, "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode == 0
    # a merge that breaks nothing is committed, the hook silent
    git(workspace, "merge", "--abort")
    git(workspace, "checkout", "-q", "main")
    cli(workspace, "log", "R26-01", "十一月进展", "--month", "2026-11", "--replace")
    git(workspace, "commit", "-qam", "progress")
    proc = git(workspace, "merge", "--no-edit", "add", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "reformctl" not in proc.stderr


def test_the_hook_goes_where_core_hooks_path_says(workspace: Path) -> None:
    git(workspace, "config", "core.hooksPath", ".githooks")
    install_and_commit(workspace)
    assert os.access(workspace / ".githooks" / "pre-merge-commit", os.X_OK)
    assert not (workspace / ".git" / "hooks" / "pre-merge-commit").exists()
    branches(workspace)
    proc = git(workspace, "merge", "--no-edit", "remove", check=False)
    assert proc.returncode != 0 and "groups/economy.toml:" in proc.stdout + proc.stderr


def test_a_hook_reformctl_did_not_write_is_never_replaced(workspace: Path) -> None:
    hook = workspace / ".git" / "hooks" / "pre-merge-commit"
    hook.write_text("#!/bin/sh\necho the office's own hook\n", encoding="utf-8")
    before = sorted(p.name for p in workspace.iterdir())
    refused = cli(workspace, "git", "install", code=2)
    assert ".git/hooks/pre-merge-commit" in refused.stderr and "--no-hook" in refused.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho the office's own hook\n"
    assert sorted(p.name for p in workspace.iterdir()) == before  # no .gitattributes either
    assert git(workspace, "config", "merge.reformctl.driver", check=False).returncode != 0
    cli(workspace, "git", "install", "--no-hook")
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho the office's own hook\n"
    # its own hook it rewrites (a new installation's path, say)
    hook.unlink()
    cli(workspace, "git", "install")
    first = hook.read_text(encoding="utf-8")
    cli(workspace, "git", "install")
    assert hook.read_text(encoding="utf-8") == first


def test_a_hook_a_person_edited_is_refused_as_another_s(workspace: Path) -> None:
    """Its marker line carries the hash of the rest: reformctl's own hook, as another version
    wrote it, is still rewritten; once a person adds a line, it is theirs (refused, named)."""
    from reformctl.ledger.gitio import write_hook

    hook = write_hook(workspace, "pre-merge-commit", "#!/bin/sh\necho an older reformctl\n")
    cli(workspace, "git", "install")  # its own hook, unedited: rewritten
    assert "an older reformctl" not in hook.read_text(encoding="utf-8")
    with hook.open("a", encoding="utf-8") as fh:
        fh.write("./tools/notify-office.sh  # the clerk's own step\n")
    edited = hook.read_text(encoding="utf-8")
    refused = cli(workspace, "git", "install", code=2)
    assert ".git/hooks/pre-merge-commit" in refused.stderr, refused.stderr
    assert hook.read_text(encoding="utf-8") == edited
