"""Time reformctl against baselines measured in the same run; print medians and ratios.

    python benchmarks/run.py                 # 10,000-point ledger, 5 runs each
    python benchmarks/run.py --points 2000 --runs 3

Every command is a real process (what a clerk or CI pays), so start-up counts. Baselines:
- a plain `python -c "import tomllib; tomllib.load(...)"` of the same file;
- a do-nothing Typer app's --help (start-up);
- `reformctl check` on the same file (for the targets stated against it).
Peak memory is each child's own maximum resident set size (from wait4).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

NOOP_TYPER = """
import typer
app = typer.Typer()
@app.command()
def main() -> None:
    '''Do nothing.'''
app()
"""


def reformctl_cmd() -> list[str]:
    exe = shutil.which("reformctl")
    return [exe] if exe else [sys.executable, "-m", "reformctl"]


def _run_on_terminal(full: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout on a pseudo-terminal (160 x 50), drained as a terminal would be."""
    import fcntl
    import struct
    import termios
    import threading

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 1 << 16):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc = subprocess.run(full, env=env, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    return proc


def measure(
    cmd: list[str],
    runs: int,
    env: dict[str, str],
    setup: list[str] | None = None,
    terminal: bool = False,
) -> tuple[float, float]:
    """Median wall time (s) and peak RSS (MiB) of `cmd` over `runs` runs (after one warm-up).

    Peak memory comes from GNU time: a child forked from this (large) runner would start
    with the runner's own pages counted in its maximum resident set size.
    """
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    times, peaks = [], []
    with tempfile.NamedTemporaryFile(prefix="reformctl-rss-") as rss:
        for i in range(runs + 1):
            if setup:
                subprocess.run(setup, env=env, check=True, capture_output=True)
            full = [gnu_time, "-f", "%M", "-o", rss.name, *cmd] if gnu_time else cmd
            start = time.perf_counter()
            if terminal:
                proc = _run_on_terminal(full, env)
            else:
                proc = subprocess.run(
                    full, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                )
            elapsed = time.perf_counter() - start
            if proc.returncode not in (0, 1):
                err = proc.stderr.decode()[:500]
                raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {err}")
            if i:  # the first run warms the page cache
                times.append(elapsed)
                if gnu_time:
                    peaks.append(int(Path(rss.name).read_text().split()[-1]) / 1024)
    return statistics.median(times), max(peaks, default=float("nan"))


def open_milestone(ledger: Path) -> str:
    """An open milestone of an open point half way down the ledger (what `done` will record)."""
    from reformctl.ledger.read import loads

    points = loads(ledger.read_text(encoding="utf-8"))["points"]
    ids = list(points)
    for pid in ids[len(ids) // 2 :]:
        if points[pid].get("closed"):
            continue
        for key, ms in points[pid].get("milestones", {}).items():
            if "done" not in ms:
                return f"{pid}/{key}"
    raise SystemExit("no open milestone in the generated ledger")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="reformctl-bench-"))
    ledger = work / "ledger.toml"
    ledger.write_text(generate(args.points), encoding="utf-8")
    pristine = work / "pristine.toml"
    shutil.copy(ledger, pristine)
    noop = work / "noop.py"
    noop.write_text(NOOP_TYPER)
    sample = HERE.parent / "ledger.toml"
    sample_copy = work / "sample.toml"
    env = {**os.environ, "REFORMCTL_TODAY": "2026-11-28", "COLUMNS": "160"}
    rc = reformctl_cmd()
    size = ledger.stat().st_size / 1e6
    print(f"ledger: {args.points} points, {size:.1f} MB; {args.runs} runs each, medians\n")

    peaks: dict[str, float] = {}

    def bench(
        name: str,
        cmd: list[str],
        setup: list[str] | None = None,
        light: bool = False,
        terminal: bool = False,
    ) -> float:
        # Start-up sized commands vary by a few ms a run: they get more runs.
        runs = max(args.runs, 20) if light else args.runs
        median, peak = measure(cmd, runs, env, setup, terminal)
        peaks[name] = peak
        print(f"  {name:<44} {median * 1000:8.0f} ms  {peak:6.0f} MiB", flush=True)
        return median

    on_ledger = [*rc, "--ledger", str(ledger)]
    tomllib_t = bench(
        "baseline: python tomllib.load",
        [sys.executable, "-c", f"import tomllib; tomllib.load(open({str(ledger)!r}, 'rb'))"],
    )
    noop_t = bench(
        "baseline: do-nothing Typer app --help", [sys.executable, str(noop), "--help"], light=True
    )
    help_t = bench("reformctl --help", [*rc, "--help"], light=True)
    check_t = bench("reformctl check", [*on_ledger, "check"])
    overdue_t = bench("reformctl overdue", [*on_ledger, "overdue"])
    progress_t = bench("reformctl progress", [*on_ledger, "progress"])
    list_t = bench("reformctl list --format plain", [*on_ledger, "list", "--format", "plain"])
    # on a terminal (a pseudo-terminal, no pager): colour tables against plain text
    tty = [*on_ledger, "--no-pager"]
    tty_times = {
        (command, fmt): bench(
            f"reformctl {command} --format {fmt} (terminal)",
            [*tty, command, "--format", fmt],
            terminal=True,
        )
        for command in ("list", "overdue")
        for fmt in ("table", "plain")
    }
    year_t = bench("reformctl report year (terminal)", [*on_ledger, "report", "year"])
    year_xlsx_t = bench(
        "reformctl report year --out .xlsx",
        [*on_ledger, "report", "year", "--out", str(work / "year.xlsx"), "--force"],
    )

    writes = (
        "done" in subprocess.run([*rc, "--help"], capture_output=True, text=True, env=env).stdout
    )
    if writes:
        restore = ["cp", str(pristine), str(ledger)]
        done_args = [
            "done",
            open_milestone(ledger),
            "--on",
            "2026-11-20",
            "--evidence",
            "闽政〔2026〕1号",
        ]
        done_t = bench("reformctl done (10k ledger)", [*on_ledger, *done_args], setup=restore)
        sample_restore = ["cp", str(sample), str(sample_copy)]
        log_args = ["log", "R26-02", "推进会召开", "--month", "2026-08"]
        log_t = bench(
            "reformctl log (sample ledger)",
            [*rc, "--ledger", str(sample_copy), *log_args],
            setup=sample_restore,
            light=True,
        )

    # git review: diff with one change, and the merge driver on two 10,000-point branches
    repo = work / "repo"
    repo.mkdir()
    shutil.copy(pristine, repo / "ledger.toml")
    git_env = {
        **env,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@example.org",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@example.org",
    }
    for cmd in (["init", "-q"], ["add", "ledger.toml"], ["commit", "-qm", "ledger"]):
        subprocess.run(["git", *cmd], cwd=repo, env=git_env, check=True)
    in_repo = [*rc, "--ledger", str(repo / "ledger.toml")]
    subprocess.run(
        [*in_repo, "log", "R26-05000", "进展", "--replace"],
        env=env,
        check=True,
        capture_output=True,
    )
    diff_t = bench("reformctl diff (one change, 10k ledger)", [*in_repo, "diff"])
    ours, theirs, ours_copy = work / "ours.toml", work / "theirs.toml", work / "ours-copy.toml"
    shutil.copy(repo / "ledger.toml", ours)
    shutil.copy(ours, ours_copy)
    shutil.copy(pristine, theirs)
    subprocess.run(
        [*rc, "--ledger", str(theirs), "log", "R26-06000", "另一进展", "--replace"],
        env=env,
        check=True,
        capture_output=True,
    )
    merge_t = bench(
        "reformctl git merge-driver (two 10k branches)",
        [*rc, "git", "merge-driver", str(pristine), str(ours_copy), str(theirs), "ledger.toml"],
        setup=["cp", str(ours), str(ours_copy)],
    )

    print("\nratios (target in brackets)")

    def ratio(name: str, value: float, base: float, target: float) -> None:
        mark = "ok" if value / base <= target else "MISSED"
        print(f"  {name:<52} {value / base:5.2f}x  [<= {target}x] {mark}")

    ratio("check / tomllib parse", check_t, tomllib_t, 1.0)
    ratio("--help / do-nothing Typer --help", help_t, noop_t, 1.15)
    ratio("overdue / check", overdue_t, check_t, 1.1)
    ratio("progress / check", progress_t, check_t, 1.1)
    ratio("list --format plain / check", list_t, check_t, 1.5)
    for command in ("list", "overdue"):
        ratio(
            f"{command} table / plain, on a terminal",
            tty_times[command, "table"],
            tty_times[command, "plain"],
            1.5,
        )
    ratio("report year (terminal) / check", year_t, check_t, 2.0)
    ratio("report year --out .xlsx / check", year_xlsx_t, check_t, 2.0)
    ratio("diff (one change) / check", diff_t, check_t, 2.5)
    print(
        f"  {'merge driver, two 10k branches':<52} {merge_t:5.2f} s  [< 3 s] "
        f"{'ok' if merge_t < 3 else 'MISSED'}"
    )
    if writes:
        ratio("done / tomllib parse", done_t, tomllib_t, 0.5)
        ratio("log on the sample / do-nothing Typer --help", log_t, noop_t, 1.5)
        peak = peaks["reformctl done (10k ledger)"]
        mark = "ok" if peak <= 200 else "MISSED"
        print(f"  {'done peak memory':<52} {peak:5.0f} MiB [<= 200 MiB] {mark}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
