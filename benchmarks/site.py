"""Time `reformctl site` at scale: the build at 2,500, 5,000 and 10,000 points (no history),
the size of index.html, and the build over a history of 100 commits, cold and warm (cache).

    python benchmarks/site.py [--points 10000] [--commits 100] [--work DIR]

Each figure is one run (a build writes ~10,000 files; run it on a quiet machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def reformctl(*args: str, cwd: Path, env: dict[str, str]) -> float:
    """Seconds of CPU (user + system) the command took; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "reformctl", *args],
        cwd=cwd,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def generate(points: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(points)], stdout=out, check=True
        )


def history_repo(repo: Path, ledger: Path, commits: int, env: dict[str, str]) -> None:
    """``commits`` commits of the ledger in its year, three days apart, one title each."""
    repo.mkdir()
    git_env = {**env, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org"}
    git_env |= {"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}
    subprocess.run(["git", "init", "-q"], cwd=repo, env=git_env, check=True)
    text = ledger.read_text(encoding="utf-8")
    day = dt.date(2026, 1, 5)
    for n in range(commits):
        if n:
            head = f'[points.R26-{n:05}]\ntitle = "'
            text = text.replace(head, f"{head}（修订{n}）", 1)
        (repo / "ledger.toml").write_text(text, encoding="utf-8")
        when = (day + dt.timedelta(days=3 * n)).isoformat() + "T12:00:00+08:00"
        commit_env = {**git_env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "add", "ledger.toml"], cwd=repo, env=commit_env, check=True)
        subprocess.run(["git", "commit", "-qm", f"c{n}"], cwd=repo, env=commit_env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="reformctl-site-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XDG_CACHE_HOME": str(cache),
        "REFORMCTL_TODAY": "2026-11-28",
    }
    print(f"work folder: {work}")
    for n in (args.points // 4, args.points // 2, args.points):
        ledger = work / f"ledger-{n}.toml"
        generate(n, ledger)
        out = work / f"site-{n}"
        shutil.rmtree(out, ignore_errors=True)
        plain = {**env, "REFORMCTL_CACHE": "off"}
        cpu = reformctl("--ledger", str(ledger), "site", "--out", str(out), cwd=work, env=plain)
        size = (out / "index.html").stat().st_size
        files = sum(1 for _ in out.rglob("*.html"))
        print(
            f"{n:>6} points: {cpu:6.1f} s CPU, {cpu / n * 1000:.2f} ms a point, "
            f"{files} pages, index.html {size / 1024:.0f} KB"
        )
    ledger = work / f"ledger-{args.points}.toml"
    repo = work / "history"
    shutil.rmtree(repo, ignore_errors=True)
    history_repo(repo, ledger, args.commits, env)
    shutil.rmtree(cache, ignore_errors=True)
    for run in ("cold", "warm"):
        out = work / f"site-history-{run}"
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        cpu = reformctl("site", "--out", str(out), cwd=repo, env=env)
        wall = time.perf_counter() - start
        print(
            f"{args.points} points, {args.commits} commits, {run} cache: {cpu:6.1f} s CPU, "
            f"{wall:6.1f} s wall"
        )


if __name__ == "__main__":
    main()
