"""Issue 25's targets, every one printed with its ratio and whether it is met.

    python benchmarks/run.py                       # this table (then, with --earlier, the rest)
    python benchmarks/issue25.py --runs 5 --office-runs 15
    python benchmarks/issue25.py --against ../main/.venv/bin/reformctl   # writes: this vs main

Every figure is the median of interleaved runs: one run of each command a round, so that load
from the other processes of a shared machine falls on all of them alike. Each run goes through
GNU time, which reports the child's own CPU time (user + system) and peak resident set size;
wall time (measured here) is printed beside CPU time, and every ratio is given in both. A
target is met when the wall-time ratio meets it; the CPU-time ratio says what the same run
would show on a quiet machine (wall time on a loaded one counts waiting for a core).

- the floor (item 1): a do-nothing Typer app (two global options, one subcommand) on the
  pinned Typer, against the same app on Typer 0.29 (``floor.py``);
- office scale (item 2): a 300-point ledger from ``generate.py``: every read <= 1.3x the
  floor, every write <= 1.6x, a first read of a new text (an empty cache) <= 2x;
- 10,000 points (item 3): warm ``overdue``, ``check``, ``progress``, ``list`` <= 0.5x ``task
  overdue``; ``done``, ``log``, ``extend`` <= 4x ``task 1 annotate``; a first read <= 1.5x the
  warm read plus one parse of the text (pytomlpp, in this process, median of 5); ``diff``
  with the cache <= 1x without; peak memory <= 150 MiB for reads and <= 200 MiB for writes.

Reads run on a file no command writes; writes on a copy restored before each run (whose text
the cache holds, as after the clerk's last command); a first read gets a cache folder of its
own, new each run, so it is a miss however the rounds fall.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from floor import FLOOR_APP, FLOOR_ARGS, typer029_python  # noqa: E402
from generate import generate  # noqa: E402

GNU_TIME = "/usr/bin/time"


@dataclass
class Job:
    """One command of a round: its argv and environment, and what to do before each run."""

    cmd: list[str]
    env: dict[str, str]
    setup: Callable[[], None] | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    @property
    def peak(self) -> float:
        return max(self.peaks)


def run_once(job: Job, out: Path, keep: bool) -> None:
    if job.setup is not None:
        job.setup()
    full = [GNU_TIME, "-f", "%U %S %M", "-o", str(out), *job.cmd]
    start = time.perf_counter()
    proc = subprocess.run(full, env=job.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        err = proc.stderr.decode(errors="replace")[:500]
        raise SystemExit(f"{' '.join(job.cmd)} exited {proc.returncode}: {err}")
    if keep:
        user, system, peak = out.read_text().split()[-3:]
        job.walls.append(elapsed)
        job.cpus.append(float(user) + float(system))
        job.peaks.append(int(peak) / 1024)


def interleave(jobs: dict[str, Job], runs: int, work: Path) -> None:
    """One warm-up round, then ``runs`` rounds of one run each."""
    out = work / "time.out"
    for i in range(runs + 1):
        for job in jobs.values():
            run_once(job, out, keep=bool(i))


def reformctl_cmd() -> list[str]:
    beside = Path(sys.executable).with_name("reformctl")
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "reformctl"]


def open_milestone(text: str) -> str:
    import tomllib

    points = tomllib.loads(text)["points"]
    ids = list(points)
    for pid in ids[len(ids) // 2 :]:
        if points[pid].get("closed"):
            continue
        for key, ms in points[pid].get("milestones", {}).items():
            if "done" not in ms:
                return f"{pid}/{key}"
    raise SystemExit("no open milestone in the generated ledger")


def parse_time(text: str) -> float:
    """One parse of the text by reformctl's parser (pytomlpp), median of 5, in this process."""
    import pytomlpp

    times = []
    for _ in range(5):
        start = time.perf_counter()
        pytomlpp.loads(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Scale:
    """A ledger of ``points`` points in ``work``: the read copy, the write copy, the commands."""

    def __init__(
        self, work: Path, points: int, env: dict[str, str], against: list[str] | None = None
    ) -> None:
        self.work = work
        work.mkdir(parents=True)
        self.text = generate(points)
        self.read = work / "read.toml"
        self.read.write_text(self.text, encoding="utf-8")
        self.pristine = work / "pristine.toml"
        self.pristine.write_text(self.text, encoding="utf-8")
        self.write = work / "write.toml"
        self.env = env
        self.target = open_milestone(self.text)
        self.fresh = itertools.count()
        rc = reformctl_cmd()
        sync = {**env, "REFORMCTL_CACHE": "sync"}
        # the cache holds both texts, as after the clerk's last command on them
        subprocess.run([*rc, "--ledger", str(self.read), "check"], env=sync, capture_output=True)
        shutil.copy(self.pristine, self.write)
        for cmd in (rc, against) if against else (rc,):
            subprocess.run(
                [*cmd, "--ledger", str(self.read), "check"], env=sync, capture_output=True
            )
            subprocess.run(
                [*cmd, "--ledger", str(self.write), "check"], env=sync, capture_output=True
            )

    def restore(self) -> None:
        shutil.copy(self.pristine, self.write)

    def reads(self) -> dict[str, list[str]]:
        on = [*reformctl_cmd(), "--ledger", str(self.read)]
        pid = self.target.split("/")[0]
        return {
            "overdue": [*on, "overdue"],
            "check": [*on, "check"],
            "progress": [*on, "progress"],
            "list": [*on, "list"],
            "show": [*on, "show", pid],
        }

    def writes(self, cmd: list[str] | None = None) -> dict[str, list[str]]:
        on = [*(cmd or reformctl_cmd()), "--ledger", str(self.write)]
        pid = self.target.split("/")[0]
        return {
            "done": [
                *on,
                "done",
                self.target,
                "--on",
                "2026-11-20",
                "--evidence",
                "闽政〔2026〕1号",
            ],
            "log": [*on, "log", pid, "推进会召开", "--month", "2026-11", "--replace"],
            "extend": [*on, "extend", self.target, "--to", "2027-03-31", "--reason", "待核定"],
        }

    def first_read(self, name: str) -> Job:
        """``name`` on the read copy with an empty cache folder of its own each run."""
        env = dict(self.env)
        job = Job(self.reads()[name], env)

        def setup() -> None:
            env["REFORMCTL_CACHE_DIR"] = str(self.work / f"fresh-{next(self.fresh)}")

        job.setup = setup
        return job


def taskwarrior(work: Path, ledger: Path, env: dict[str, str]) -> dict[str, Job]:
    """``task overdue`` and ``task 1 annotate`` on the ledger's milestones (run.py's import)."""
    from run import setup_taskwarrior

    tw_env = setup_taskwarrior(work, ledger, env)
    if tw_env is None:
        raise SystemExit("Taskwarrior (`task`) is not installed: apt-get install taskwarrior")

    def restore() -> None:
        shutil.rmtree(work / "task")
        shutil.copytree(work / "task-pristine", work / "task")

    return {
        "task overdue": Job(["task", "overdue"], tw_env),
        "task 1 annotate": Job(["task", "1", "annotate", "进展"], tw_env, restore),
    }


def diff_repo(scale: Scale, env: dict[str, str]) -> Path:
    """A repository of the ledger, committed, then one progress entry changed in the tree."""
    repo = scale.work / "repo"
    repo.mkdir()
    shutil.copy(scale.pristine, repo / "ledger.toml")
    git_env = {**env, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org"}
    git_env |= {"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}
    for cmd in (["init", "-q"], ["add", "ledger.toml"], ["commit", "-qm", "ledger"]):
        subprocess.run(["git", *cmd], cwd=repo, env=git_env, check=True)
    pid = scale.target.split("/")[0]
    ledger = [*reformctl_cmd(), "--ledger", str(repo / "ledger.toml")]
    subprocess.run(
        [*ledger, "log", pid, "进展", "--replace"], env=env, check=True, capture_output=True
    )
    sync = {**env, "REFORMCTL_CACHE": "sync"}
    subprocess.run([*ledger, "diff"], env=sync, capture_output=True)  # warm: both texts
    return repo


class Table:
    def __init__(self) -> None:
        self.missed = 0
        self.met = 0

    def ratio(self, name: str, value: Job | float, base: Job | float, target: float) -> None:
        wall = (value.wall if isinstance(value, Job) else value) / (
            base.wall if isinstance(base, Job) else base
        )
        cpu = ""
        if isinstance(value, Job) and isinstance(base, Job):
            cpu = f"  CPU {value.cpu / base.cpu:5.2f}x"
        self._mark(wall <= target)
        print(f"  {name:<52} {wall:5.2f}x{cpu:<13} [<= {target}x] {self._word(wall <= target)}")

    def limit(self, name: str, value: float, unit: str, target: float) -> None:
        self._mark(value <= target)
        print(
            f"  {name:<52} {value:6.0f} {unit:<14}[<= {target} {unit}] {self._word(value <= target)}"
        )

    def _mark(self, ok: bool) -> None:
        if ok:
            self.met += 1
        else:
            self.missed += 1

    @staticmethod
    def _word(ok: bool) -> str:
        return "ok" if ok else "MISSED"


def figures(jobs: dict[str, Job]) -> None:
    for name, job in jobs.items():
        print(
            f"  {name:<52} {job.wall * 1000:7.0f} ms {job.cpu * 1000:7.0f} ms CPU"
            f" {job.peak:5.0f} MiB",
            flush=True,
        )


def compared(jobs: dict[str, Job], scale: Scale, against: list[str] | None) -> None:
    """Each write against the same write of the other tree (``--against``), same rounds."""
    if not against:
        return
    for name in scale.writes():
        ours, theirs = jobs[f"{name} (warm)"], jobs[f"{name} (warm, against)"]
        print(
            f"  {name} (warm) / the same on {against[0]:<24}"
            f" {ours.wall / theirs.wall:5.2f}x  CPU {ours.cpu / theirs.cpu:5.2f}x"
        )


def office_targets(table: Table, jobs: dict[str, Job], office: Scale, office_points: int) -> None:
    """Targets 1 and 2: the floor, and office scale against it."""
    floor = jobs["floor (pinned Typer)"]
    print(" 1. the floor")
    table.ratio("floor: pinned Typer / Typer 0.29", floor, jobs["floor (Typer 0.29)"], 0.5)
    print(f" 2. office scale ({office_points} points) against the floor")
    for name in office.reads():
        table.ratio(f"{name} (warm) / floor", jobs[f"{name} (warm)"], floor, 1.3)
    for name in office.writes():
        table.ratio(f"{name} (warm) / floor", jobs[f"{name} (warm)"], floor, 1.6)
    table.ratio(
        "overdue, first read of a new text / floor", jobs["overdue (first read)"], floor, 2.0
    )


def issue25(
    work: Path,
    office_points: int,
    points: int,
    office_runs: int,
    runs: int,
    against: list[str] | None = None,
) -> None:
    env = {**os.environ, "REFORMCTL_TODAY": "2026-11-28", "COLUMNS": "160"}
    env["XDG_CACHE_HOME"] = str(work / "xdg-cache")
    for name in ("REFORMCTL_CACHE", "REFORMCTL_CACHE_DIR", "REFORMCTL_LANG"):
        env.pop(name, None)
    off = {**env, "REFORMCTL_CACHE": "off"}
    table = Table()

    # the floor and office scale: one set of rounds, so that every ratio shares its load
    app = work / "floor_app.py"
    app.write_text(FLOOR_APP, encoding="utf-8")
    office = Scale(work / "office", office_points, env, against)
    jobs: dict[str, Job] = {
        "python -c pass": Job([sys.executable, "-c", "pass"], env),
        "floor (pinned Typer)": Job([sys.executable, str(app), *FLOOR_ARGS], env),
        # (never this Python's path: a PYTHONPATH would give 0.29's venv the pinned Typer)
        "floor (Typer 0.29)": Job(
            [str(typer029_python()), str(app), *FLOOR_ARGS],
            {k: v for k, v in env.items() if k != "PYTHONPATH"},
        ),
    }
    for name, cmd in office.reads().items():
        jobs[f"{name} (warm)"] = Job(cmd, env)
    for name, cmd in office.writes().items():
        jobs[f"{name} (warm)"] = Job(cmd, env, office.restore)
        if against:
            cmd = office.writes(against)[name]
            jobs[f"{name} (warm, against)"] = Job(cmd, env, office.restore)
    jobs["overdue (first read)"] = office.first_read("overdue")
    print(
        f"issue 25, office scale: {office_points} points, {office.read.stat().st_size / 1e3:.0f} kB;"
        f" {office_runs} interleaved rounds, medians: wall, CPU (user + system), peak RSS",
        flush=True,
    )
    interleave(jobs, office_runs, work)
    figures(jobs)
    floor = jobs["floor (pinned Typer)"]
    if not points:  # (--points 0: office scale alone)
        print("\nissue 25: targets (wall-time ratio decides; CPU-time ratio beside it)")
        office_targets(table, jobs, office, office_points)
        print(f" issue 25, office scale alone: {table.met} targets met, {table.missed} missed")
        return

    # 10,000 points
    big = Scale(work / "big", points, env, against)
    parse = parse_time(big.text)
    bjobs = taskwarrior(work, big.pristine, env)
    for name, cmd in big.reads().items():
        if name != "show":
            bjobs[f"{name} (warm)"] = Job(cmd, env)
    bjobs["overdue (first read)"] = big.first_read("overdue")
    for name, cmd in big.writes().items():
        bjobs[f"{name} (warm)"] = Job(cmd, env, big.restore)
        if against:
            bjobs[f"{name} (warm, against)"] = Job(big.writes(against)[name], env, big.restore)
    repo = diff_repo(big, env)
    in_repo = [*reformctl_cmd(), "--ledger", str(repo / "ledger.toml"), "diff"]
    bjobs["diff (cache warm)"] = Job(in_repo, env)
    bjobs["diff (cache off)"] = Job(in_repo, off)
    print(
        f"\nissue 25, {points} points, {big.read.stat().st_size / 1e6:.1f} MB;"
        f" {runs} interleaved rounds, medians (one pytomlpp parse: {parse * 1000:.0f} ms)",
        flush=True,
    )
    interleave(bjobs, runs, work)
    figures(bjobs)

    print("\nissue 25: targets (wall-time ratio decides; CPU-time ratio beside it)")
    office_targets(table, jobs, office, office_points)
    print(f" 3. {points} points")
    tw_overdue, tw_annotate = bjobs["task overdue"], bjobs["task 1 annotate"]
    for name in ("overdue", "check", "progress", "list"):
        table.ratio(f"{name} (warm) / task overdue", bjobs[f"{name} (warm)"], tw_overdue, 0.5)
    for name in big.writes():
        table.ratio(f"{name} (warm) / task annotate", bjobs[f"{name} (warm)"], tw_annotate, 4.0)
    first = bjobs["overdue (first read)"]
    warm_read = bjobs["overdue (warm)"]
    table.ratio(
        "overdue first read / (warm read + one parse)", first.wall, warm_read.wall + parse, 1.5
    )
    table.ratio(
        "diff with the cache / without", bjobs["diff (cache warm)"], bjobs["diff (cache off)"], 1.0
    )
    reads = [
        j for n, j in bjobs.items() if not n.startswith("task") and n.split()[0] in office.reads()
    ]
    reads += [bjobs["diff (cache warm)"], bjobs["diff (cache off)"]]
    writes = [bjobs[f"{name} (warm)"] for name in big.writes()]
    table.limit("peak memory of the reads (largest)", max(j.peak for j in reads), "MiB", 150)
    table.limit("peak memory of the writes (largest)", max(j.peak for j in writes), "MiB", 200)
    print(
        f"\n the floor's parts: python -c pass {jobs['python -c pass'].wall * 1000:.0f} ms,"
        f" the pinned floor {floor.wall * 1000:.0f} ms ({floor.cpu * 1000:.0f} ms CPU),"
        f" task overdue {tw_overdue.wall * 1000:.0f} ms, task annotate"
        f" {tw_annotate.wall * 1000:.0f} ms: 0.5x task overdue is"
        f" {tw_overdue.wall * 500:.0f} ms, {tw_overdue.wall * 0.5 / floor.wall:.2f}x the floor"
    )
    print(f" issue 25: {table.met} targets met, {table.missed} missed")
    if against:
        print(f"\n the writes against {' '.join(against)} (same rounds, medians)")
        print(f" {office_points} points:")
        compared(jobs, office, against)
        print(f" {points} points:")
        compared(bjobs, big, against)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--office-points", type=int, default=300)
    parser.add_argument("--points", type=int, default=10_000, help="0: office scale alone")
    parser.add_argument("--office-runs", type=int, default=15)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--against",
        help="another tree's reformctl (say main's, its venv's bin/reformctl): its writes run"
        " in the same rounds, each write's ratio to it printed",
    )
    args = parser.parse_args()
    from run import compile_bytecode

    compile_bytecode()  # (as an installed copy is: else every call recompiles every module)
    work = Path(tempfile.mkdtemp(prefix="reformctl-issue25-"))
    against = [args.against] if args.against else None
    try:
        issue25(work, args.office_points, args.points, args.office_runs, args.runs, against)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
