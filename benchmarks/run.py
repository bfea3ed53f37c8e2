"""Time reformctl against baselines measured in the same run; print medians and ratios.

    python benchmarks/run.py                 # issue 25's table (issue25.py): 300 and 10,000 points
    python benchmarks/run.py --earlier       # then the earlier issues' figures, 5 runs each
    python benchmarks/run.py --points 2000 --runs 3

First, every target of issue 25 with its ratio, met or not (``issue25.py`` says how it is
measured: interleaved rounds, wall and CPU time, peak memory). With ``--earlier``, then:

Every command is a real process (what a clerk or CI pays), so start-up counts. Baselines:
- Taskwarrior 2.6 (`task`), when installed, on the same milestones (one task each, done ones
  completed): `task overdue`, `task 1 annotate`, `task export` (issue 13's targets);
  where it is not installed, those targets are stated against the tomllib parse instead;
- a plain `python -c "import tomllib; tomllib.load(...)"` of the same file;
- a do-nothing Typer app's --help (start-up);
- the floor (issue 25, ``floor.py``): a do-nothing Typer app with two global options and one
  subcommand, on the pinned Typer and on Typer 0.29 (a venv beside this file, made once);
- `reformctl check` on the same file (for the targets stated against it).
Peak memory is each child's own maximum resident set size (from wait4).

reformctl keeps a cache of the validated model (reformctl.ledger.cache) in a folder of this
run. "warm" commands find the entry (as every command after the first one on a file does);
"cold" ones start with the folder emptied (after the detached writer of the run before has
finished), which is what the first command on a new text pays.
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

from floor import floor_commands, interleaved, ratio_line  # noqa: E402
from generate import generate  # noqa: E402

NOOP_TYPER = """
from typing import Annotated
import typer
app = typer.Typer()
@app.command()
def main(
    soon: Annotated[int | None, typer.Option("--soon")] = None,
    fmt: Annotated[str | None, typer.Option("--format")] = None,
) -> None:
    '''Do nothing.'''
@app.command()
def other() -> None:
    '''Do nothing else.'''
app()
"""


def reformctl_cmd() -> list[str]:
    """The installed console script beside this Python (what a venv's ``reformctl`` is), never
    a version manager's shim: pyenv's bash shim alone costs ~70 ms a call, which is not ours."""
    beside = Path(sys.executable).with_name("reformctl")
    if beside.is_file():
        return [str(beside)]
    return [sys.executable, "-m", "reformctl"]


def compile_bytecode() -> None:
    """Byte-compile reformctl as an installed wheel is (pip compiles at install time). An
    editable checkout under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module
    on every call (~50 ms), which no installed copy pays."""
    import compileall

    compileall.compile_dir(str(HERE.parent / "reformctl"), quiet=1)


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
    settle: float = 0.0,
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
            if not i and settle:
                time.sleep(settle)  # the cache entry is written by a detached process
            if i:  # the first run warms the page cache (and reformctl's cache)
                times.append(elapsed)
                if gnu_time:
                    peaks.append(int(Path(rss.name).read_text().split()[-1]) / 1024)
    return statistics.median(times), max(peaks, default=float("nan"))


def open_milestone(ledger: Path) -> str:
    """An open milestone of an open point half way down the ledger (what `done` will record)."""
    from reformctl.ledger.parse import loads

    points = loads(ledger.read_text(encoding="utf-8"))["points"]
    ids = list(points)
    for pid in ids[len(ids) // 2 :]:
        if points[pid].get("closed"):
            continue
        for key, ms in points[pid].get("milestones", {}).items():
            if "done" not in ms:
                return f"{pid}/{key}"
    raise SystemExit("no open milestone in the generated ledger")


def taskwarrior_tasks(ledger: Path) -> list[dict[str, str]]:
    """The ledger's milestones as Taskwarrior tasks: one each, due in force, done ones
    completed on their day (so `task overdue` reads only the open ones, as reformctl shows)."""
    import uuid

    from reformctl.ledger.parse import loads

    points = loads(ledger.read_text(encoding="utf-8"))["points"]
    tasks = []
    for pid, point in points.items():
        for key, ms in point.get("milestones", {}).items():
            due = ms["extensions"][-1]["to"] if ms.get("extensions") else ms["due"]
            task = {
                "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{pid}/{key}")),
                "description": f"{pid}/{key} {ms['name']}",
                "project": point["group"],
                "entry": "20260101T000000Z",
                "due": due.strftime("%Y%m%dT000000Z"),
                "status": "completed" if "done" in ms else "pending",
            }
            if "done" in ms:
                task["end"] = ms["done"].strftime("%Y%m%dT000000Z")
            tasks.append(task)
    return tasks


def setup_taskwarrior(work: Path, ledger: Path, env: dict[str, str]) -> dict[str, str] | None:
    """A Taskwarrior database of the ledger's milestones; its environment, or None."""
    import json

    if not shutil.which("task"):
        return None
    data = work / "task"
    data.mkdir()
    rc = work / "taskrc"
    rc.write_text(
        f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.2\n"
    )
    tw_env = {**env, "TASKRC": str(rc)}
    tasks = work / "tasks.json"
    tasks.write_text(json.dumps(taskwarrior_tasks(ledger), ensure_ascii=False), "utf-8")
    subprocess.run(["task", "import", str(tasks)], env=tw_env, check=True, capture_output=True)
    shutil.copytree(data, work / "task-pristine")
    return tw_env


def history_repo(work: Path, pristine: Path, env: dict[str, str], commits: int) -> Path:
    """A repository whose ledger has ``commits`` commits, a month apart, one title each."""
    import datetime as dt

    repo = work / "history"
    repo.mkdir()
    git_env = {
        **env,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@example.org",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@example.org",
    }
    subprocess.run(["git", "init", "-q"], cwd=repo, env=git_env, check=True)
    text = pristine.read_text(encoding="utf-8")
    day = dt.date(2018, 1, 15)
    for n in range(commits):
        if n:
            head = f'[points.R26-{n:05}]\ntitle = "'
            text = text.replace(head, f"{head}（修订{n}）", 1)
        (repo / "ledger.toml").write_text(text, encoding="utf-8")
        when = (day + dt.timedelta(days=30 * n)).isoformat() + "T12:00:00+08:00"
        commit_env = {**git_env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "add", "ledger.toml"], cwd=repo, env=commit_env, check=True)
        subprocess.run(["git", "commit", "-qm", f"c{n}"], cwd=repo, env=commit_env, check=True)
    return repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--commits", type=int, default=100, help="for `history`")
    parser.add_argument("--office-points", type=int, default=300, help="issue 25's office scale")
    parser.add_argument("--office-runs", type=int, default=15, help="rounds at office scale")
    parser.add_argument(
        "--earlier", action="store_true", help="then the earlier issues' figures and ratios too"
    )
    args = parser.parse_args()
    compile_bytecode()
    from issue25 import issue25

    first = Path(tempfile.mkdtemp(prefix="reformctl-issue25-"))
    try:
        issue25(first, args.office_points, args.points, args.office_runs, args.runs)
    finally:
        shutil.rmtree(first, ignore_errors=True)
    if not args.earlier:
        return
    print("\nearlier issues\n")

    work = Path(tempfile.mkdtemp(prefix="reformctl-bench-"))
    ledger = work / "ledger.toml"
    ledger.write_text(generate(args.points), encoding="utf-8")
    pristine = work / "pristine.toml"
    shutil.copy(ledger, pristine)
    noop = work / "noop.py"
    noop.write_text(NOOP_TYPER)
    sample = HERE.parent / "ledger.toml"
    sample_copy = work / "sample.toml"
    cache = work / "xdg-cache"
    env = {
        **os.environ,
        "REFORMCTL_TODAY": "2026-11-28",
        "COLUMNS": "160",
        "XDG_CACHE_HOME": str(cache),
    }
    for name in ("REFORMCTL_CACHE", "REFORMCTL_CACHE_DIR"):
        env.pop(name, None)
    off = {**env, "REFORMCTL_CACHE": "off"}
    # the cold runs: the writer of the run before has finished, then the cache is emptied
    wipe = ["sh", "-c", f"sleep 1.5; rm -rf {cache}"]
    rc = reformctl_cmd()
    compile_bytecode()
    size = ledger.stat().st_size / 1e6
    where = subprocess.run(
        [sys.executable, "-c", "import reformctl; print(reformctl.__file__)"],
        env=env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"reformctl: {' '.join(rc)} ({where})")
    print(f"ledger: {args.points} points, {size:.1f} MB; {args.runs} runs each, medians\n")

    peaks: dict[str, float] = {}

    def bench(
        name: str,
        cmd: list[str],
        setup: list[str] | None = None,
        light: bool = False,
        terminal: bool = False,
        runs: int | None = None,
        environ: dict[str, str] | None = None,
    ) -> float:
        # Start-up sized commands vary by a few ms a run: they get more runs.
        n = runs if runs is not None else max(args.runs, 20) if light else args.runs
        median, peak = measure(cmd, n, environ or env, setup, terminal, settle=1.0)
        peaks[name] = peak
        print(f"  {name:<50} {median * 1000:8.0f} ms  {peak:6.0f} MiB", flush=True)
        return median

    on_ledger = [*rc, "--ledger", str(ledger)]
    tomllib_t = bench(
        "baseline: python tomllib.load",
        [sys.executable, "-c", f"import tomllib; tomllib.load(open({str(ledger)!r}, 'rb'))"],
    )
    noop_t = bench(
        "baseline: do-nothing Typer app --help", [sys.executable, str(noop), "--help"], light=True
    )
    # the floor of any Typer command: start Python, import typer (and the pydantic it builds
    # each parameter's coercion with, since 0.29), parse two options, return
    floor_t = bench(
        "baseline: do-nothing Typer command",
        [sys.executable, str(noop), "main", "--soon", "7"],
        light=True,
    )
    # issue 25's floor: the same do-nothing app on the pinned Typer and on 0.29 (benchmarks/floor.py)
    floors = interleaved(floor_commands(work), max(args.runs, 20))
    for name, median in floors.items():
        label = f"the floor: do-nothing Typer app ({name} Typer)"
        print(f"  {label:<50} {median * 1000:8.0f} ms", flush=True)
    tw_env = setup_taskwarrior(work, pristine, env)
    tw: dict[str, float] = {}
    if tw_env is not None:
        restore_tw = [
            "sh",
            "-c",
            f"rm -rf {work / 'task'} && cp -r {work / 'task-pristine'} {work / 'task'}",
        ]
        tw["overdue"] = bench("baseline: task overdue", ["task", "overdue"], environ=tw_env)
        tw["annotate"] = bench(
            "baseline: task 1 annotate",
            ["task", "1", "annotate", "进展"],
            setup=restore_tw,
            environ=tw_env,
        )
        tw["export"] = bench("baseline: task export", ["task", "export"], environ=tw_env)
    help_t = bench("reformctl --help", [*rc, "--help"], light=True)
    check_off_t = bench("reformctl check (cache off)", [*on_ledger, "check"], environ=off)
    check_cold_t = bench("reformctl check (cold)", [*on_ledger, "check"], setup=wipe)
    overdue_off_t = bench("reformctl overdue (cache off)", [*on_ledger, "overdue"], environ=off)
    overdue_cold_t = bench("reformctl overdue (cold)", [*on_ledger, "overdue"], setup=wipe)
    check_t = bench("reformctl check (warm)", [*on_ledger, "check"])
    overdue_t = bench("reformctl overdue (warm)", [*on_ledger, "overdue"])
    progress_t = bench("reformctl progress (warm)", [*on_ledger, "progress"])
    list_t = bench(
        "reformctl list --format plain (warm)", [*on_ledger, "list", "--format", "plain"]
    )
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
    heavy = min(args.runs, 3)
    year_t = bench("reformctl report year (terminal)", [*on_ledger, "report", "year"])
    year_xlsx_t = bench(
        "reformctl report year --out .xlsx",
        [*on_ledger, "report", "year", "--out", str(work / "year.xlsx"), "--force"],
    )
    xlsx = work / "export.xlsx"
    export_t = bench(
        "reformctl export --format xlsx",
        [*on_ledger, "export", "--format", "xlsx", "--out", str(xlsx), "--force"],
        runs=heavy,
    )
    empty = work / "empty.toml"
    subprocess.run(
        [*rc, "--ledger", str(empty), "init", "--year", "2026", "--title", "导入"],
        env=env,
        check=True,
        capture_output=True,
    )
    into = work / "import.toml"
    import_t = bench(
        f"reformctl import ({args.points} rows of .xlsx)",
        [*rc, "--ledger", str(into), "import", str(xlsx)],
        setup=["cp", str(empty), str(into)],
        runs=heavy,
    )

    writes = (
        "done" in subprocess.run([*rc, "--help"], capture_output=True, text=True, env=env).stdout
    )
    write_t: dict[str, float] = {}
    if writes:
        restore = ["cp", str(pristine), str(ledger)]
        target = open_milestone(ledger)
        for verb, extra in (
            ("done", ["done", target, "--on", "2026-11-20", "--evidence", "闽政〔2026〕1号"]),
            ("log", ["log", target.split("/")[0], "推进会召开", "--month", "2026-11", "--replace"]),
            ("extend", ["extend", target, "--to", "2027-03-31", "--reason", "待核定"]),
        ):
            write_t[verb] = bench(
                f"reformctl {verb} (10k ledger, warm)", [*on_ledger, *extra], setup=restore
            )
        write_t["done-off"] = bench(
            "reformctl done (10k ledger, cache off)",
            [*on_ledger, "done", target, "--on", "2026-11-20", "--evidence", "闽政〔2026〕1号"],
            setup=restore,
            environ=off,
        )
        sample_restore = ["cp", str(sample), str(sample_copy)]
        log_args = ["log", "R26-02", "推进会召开", "--month", "2026-08"]
        log_t = bench(
            "reformctl log (sample ledger)",
            [*rc, "--ledger", str(sample_copy), *log_args],
            setup=sample_restore,
            light=True,
        )

    # git review: diff with one change, textconv, and the merge driver on two 10k branches
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
        [*in_repo, "log", f"R26-{args.points // 2:05}", "进展", "--replace"],
        env=env,
        check=True,
        capture_output=True,
    )
    diff_t = bench("reformctl diff (one change, 10k ledger)", [*in_repo, "diff"])
    textconv_t = bench("reformctl git textconv (warm)", [*rc, "git", "textconv", str(pristine)])
    textconv_cold_t = bench(
        "reformctl git textconv (cold)", [*rc, "git", "textconv", str(pristine)], setup=wipe
    )
    ours, theirs, ours_copy = work / "ours.toml", work / "theirs.toml", work / "ours-copy.toml"
    shutil.copy(repo / "ledger.toml", ours)
    shutil.copy(ours, ours_copy)
    shutil.copy(pristine, theirs)
    subprocess.run(
        [
            *rc,
            "--ledger",
            str(theirs),
            "log",
            f"R26-{args.points * 3 // 5:05}",
            "另一进展",
            "--replace",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    # the cache was just emptied (the cold textconv runs): nothing of ours is in it
    merge_t = bench(
        "reformctl git merge-driver (two 10k branches)",
        [*rc, "git", "merge-driver", str(pristine), str(ours_copy), str(theirs), "ledger.toml"],
        setup=["cp", str(ours), str(ours_copy)],
    )
    # the usual case: the clerk's last command read (or wrote) ours, so its data is cached
    subprocess.run([*rc, "--ledger", str(ours), "check"], env=env, capture_output=True)
    time.sleep(3)  # (the detached writer stores the entry)
    merge_seen_t = bench(
        "reformctl git merge-driver (ours read before)",
        [*rc, "git", "merge-driver", str(pristine), str(ours_copy), str(theirs), "ledger.toml"],
        setup=["cp", str(ours), str(ours_copy)],
    )
    hist = history_repo(work, pristine, env, args.commits)
    history_t = bench(
        f"reformctl history ({args.commits} commits, warm)",
        [*rc, "--ledger", str(hist / "ledger.toml"), "history", "--format", "plain"],
        runs=heavy,
    )

    print("\nratios (target in brackets)")

    def ratio(name: str, value: float, base: float, target: float) -> None:
        mark = "ok" if value / base <= target else "MISSED"
        print(f"  {name:<58} {value / base:5.2f}x  [<= {target}x] {mark}")

    def limit(name: str, value: float, unit: str, target: float) -> None:
        mark = "ok" if value <= target else "MISSED"
        print(f"  {name:<58} {value:5.2f} {unit} [<= {target} {unit}] {mark}")

    print(" issue 25: the floor")
    print(ratio_line(floors["pinned"], floors["0.29"]))
    print(" issue 13: office scale" + ("" if tw else " (no Taskwarrior: against tomllib)"))
    overdue_base, base_name = (tw["overdue"], "task overdue") if tw else (tomllib_t, "tomllib")
    print(
        f"  (the floor: a do-nothing Typer command is {floor_t / overdue_base:.2f}x {base_name}"
        + (f", {floor_t / tw['annotate']:.2f}x task annotate)" if tw else ")")
    )
    for name, t in (
        ("overdue", overdue_t),
        ("check", check_t),
        ("progress", progress_t),
        ("list --format plain", list_t),
    ):
        ratio(f"{name} (warm) / {base_name}", t, overdue_base, 0.5)
        limit(
            f"{name} (warm) peak memory",
            peaks[next(k for k in peaks if k.startswith(f"reformctl {name} (warm"))],
            "MiB",
            150,
        )
    ratio("check cold / check with the cache off", check_cold_t, check_off_t, 1.0)
    ratio("overdue cold / overdue with the cache off", overdue_cold_t, overdue_off_t, 1.0)
    if writes:
        write_base, wname = (tw["annotate"], "task annotate") if tw else (tomllib_t, "tomllib")
        for verb in ("done", "log", "extend"):
            ratio(f"{verb} (warm) / {wname}", write_t[verb], write_base, 1.0)
        ratio(f"done (cache off) / {wname}", write_t["done-off"], write_base, 1.0)
    for command in ("list", "overdue"):
        ratio(
            f"{command} table / plain, on a terminal",
            tty_times[command, "table"],
            tty_times[command, "plain"],
            1.5,
        )
    ratio(f"textconv of one revision (warm) / {base_name}", textconv_t, overdue_base, 1.0)
    ratio(f"textconv of one revision (cold) / {base_name}", textconv_cold_t, overdue_base, 1.0)
    ratio(f"history, {args.commits} commits (warm) / check (warm)", history_t, check_t, 30)
    limit("merge driver, two 10k branches: time", merge_t, "s", 2)
    limit(
        "merge driver, two 10k branches: peak memory",
        peaks["reformctl git merge-driver (two 10k branches)"],
        "MiB",
        200,
    )
    limit("merge driver, ours read before: time", merge_seen_t, "s", 2)
    limit(
        "merge driver, ours read before: peak memory",
        peaks["reformctl git merge-driver (ours read before)"],
        "MiB",
        200,
    )
    export_base, ename = (tw["export"], "task export") if tw else (tomllib_t, "tomllib")
    ratio(f"export --format xlsx / {ename}", export_t, export_base, 3.0)
    ratio(f"import of {args.points} rows / check (warm)", import_t, check_t, 3.0)
    ratio("report year --out .xlsx / check (warm)", year_xlsx_t, check_t, 1.5)

    print(" earlier targets")
    ratio("check (cache off) / tomllib parse", check_off_t, tomllib_t, 1.0)
    ratio("--help / do-nothing Typer --help", help_t, noop_t, 1.15)
    ratio("overdue / check (warm)", overdue_t, check_t, 1.1)
    ratio("progress / check (warm)", progress_t, check_t, 1.1)
    ratio("list --format plain / check (warm)", list_t, check_t, 1.5)
    ratio("report year (terminal) / check (warm)", year_t, check_t, 2.0)
    ratio("report year --out .xlsx / check (warm)", year_xlsx_t, check_t, 2.0)
    ratio("diff (one change) / check (warm)", diff_t, check_t, 2.5)
    limit("merge driver, two 10k branches", merge_t, "s", 3)
    if writes:
        ratio("done (warm) / tomllib parse", write_t["done"], tomllib_t, 0.5)
        ratio("log on the sample / do-nothing Typer --help", log_t, noop_t, 1.5)
        limit("done peak memory", peaks["reformctl done (10k ledger, warm)"], "MiB", 200)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
