"""docs/ci.md's recipes for the site work as written: the GitHub Pages workflow, the GitLab
Pages job and the intranet commands, read from the page and run with bash in a real git
repository with history (the way tests/test_ci_recipes.py runs the `ledger` jobs)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)

DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## The site on Pages") :]


def yaml_blocks() -> list[Any]:
    import yaml

    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", SECTION, re.S)]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A CI job's environment: `reformctl` is this checkout, `pip` does nothing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "reformctl").write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -m reformctl "$@"\n', encoding="utf-8"
    )
    (bin_dir / "pip").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("CI_")},
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "GIT_AUTHOR_NAME": "张三",
        "GIT_AUTHOR_EMAIL": "z@example.org",
        "GIT_COMMITTER_NAME": "ci",
        "GIT_COMMITTER_EMAIL": "ci@example.org",
    }


def history_repo(repo: Path, env: dict[str, str]) -> Path:
    """The bundled ledger committed in October, a progress entry added in November."""
    repo.mkdir(parents=True)

    def git(*args: str, day: str = "2026-10-10") -> None:
        when = {"GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00"}
        subprocess.run(["git", *args], cwd=repo, env={**env, **when}, check=True)

    git("init", "-q", "-b", "main")
    shutil.copy(ROOT / "ledger.toml", repo / "ledger.toml")
    git("add", ".")
    git("commit", "-qm", "ledger")
    subprocess.run(
        ["reformctl", "log", "R26-01", "年度总结起草中", "--month", "2026-12"],
        cwd=repo, env={**env, "REFORMCTL_TODAY": "2026-12-01"}, check=True, capture_output=True,
    )  # fmt: skip
    git("commit", "-qam", "december", day="2026-12-01")
    return repo


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def site_built(public: Path) -> None:
    index = (public / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index
    assert "较上月末" in index and ("↑" in index or "持平" in index)
    point = (public / "points" / "R26-01.html").read_text(encoding="utf-8")
    assert "年度总结起草中" in point and "张三" in point and "2026-12-01" in point


def test_github_pages_workflow(tmp_path: Path, env: dict[str, str]) -> None:
    (workflow,) = [b for b in yaml_blocks() if isinstance(b, dict) and b.get("name") == "site"]
    on = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert on["push"]["branches"] == ["main"] and on["schedule"][0]["cron"]
    build = workflow["jobs"]["build"]
    steps = build["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the whole history
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    upload = next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["permissions"]["pages"] == "write"
    repo = history_repo(tmp_path / "repo", env)
    home = tmp_path / "home"
    home.mkdir()
    job_env = {**env, "HOME": str(home), "REFORMCTL_TODAY": "2026-12-05"}
    job_env.pop("XDG_CACHE_HOME", None)  # the runner's: ~/.cache, the path the cache step keeps
    for step in steps:
        if "run" in step:
            done = bash(step["run"], repo, job_env)
            assert done.returncode == 0, (step, done.stderr)
            assert "整个台账" in done.stdout or step["run"].startswith("pip")
    site_built(repo / upload["with"]["path"])
    kept = Path(cache["with"]["path"].replace("~", str(home)))
    assert any(kept.glob("history-figures-*")), "the month-end figures went to the kept cache"


def test_gitlab_pages_job(tmp_path: Path, env: dict[str, str]) -> None:
    (config,) = [b for b in yaml_blocks() if isinstance(b, dict) and "pages" in b]
    job = config["pages"]
    rules = " ".join(r["if"] for r in job["rules"])
    assert '"schedule"' in rules and "$CI_DEFAULT_BRANCH" in rules
    assert job["variables"]["GIT_DEPTH"] == 0
    repo = history_repo(tmp_path / "repo", env)
    variables = {
        k: str(v).replace("$CI_PROJECT_DIR", str(repo)) for k, v in job["variables"].items()
    }
    job_env = {**env, **variables, "CI_PROJECT_DIR": str(repo), "REFORMCTL_TODAY": "2026-12-05"}
    done = bash("\n".join(job["script"]), repo, job_env)
    assert done.returncode == 0, done.stderr
    (public,) = job["artifacts"]["paths"]
    assert public == "public"  # GitLab Pages publishes the folder named public
    site_built(repo / public)
    (cached,) = job["cache"]["paths"]
    assert any((repo / cached).glob("site-changes-*"))


def test_intranet_commands(tmp_path: Path, env: dict[str, str]) -> None:
    (block,) = re.findall(r"```sh\n(git -C /srv/ledger.*?)```", SECTION, re.S)
    origin = history_repo(tmp_path / "origin", env)
    clone = tmp_path / "srv" / "ledger"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], env=env, check=True)
    script = block.replace("/srv/", f"{tmp_path}/srv/")
    job_env = {**env, "REFORMCTL_TODAY": "2026-12-05"}
    done = bash(script, tmp_path, job_env)
    assert done.returncode == 0, done.stderr
    site_built(tmp_path / "srv" / "www" / "ledger")
    again = bash(script, tmp_path, job_env)  # the next morning: the same folder, replaced
    assert again.returncode == 0, again.stderr
