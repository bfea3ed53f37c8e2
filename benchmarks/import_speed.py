"""Time `reformctl import` of an exported ledger, as CSV and as .xlsx (issue 21, speed).

    python benchmarks/import_speed.py                       # 2,000 points, 3 runs each
    python benchmarks/import_speed.py --points 2000 --runs 5 --other ../base --other ../old

generate.py's ledger of N points is exported (`reformctl export`, both formats) and each file
imported into a folder of its own holding a new, empty ledger (`init --year 2026`, not timed):
the whole read, plan, proof and write of every point, unit and group. (An empty ledger rather
than none, so that trees from before `import` could create one are timed on the same work.)
Each run is a real process. Printed per format: the median wall time
and the median CPU time (user + system, from wait4) of the child, and its peak memory. On a
shared machine the CPU time is the figure to compare: the wall time moves with the load.
``--other TREE`` (repeatable) times another checkout the same way, interleaved run by run
(its ``.venv/bin/python`` if it has one, else this one's, with its tree on ``PYTHONPATH``), so
all see the same load.
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

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent


def command(tree: Path) -> tuple[list[str], dict[str, str]]:
    python = tree / ".venv" / "bin" / "python"
    exe = str(python) if python.exists() else sys.executable
    env = {**os.environ, "PYTHONPATH": str(tree), "REFORMCTL_TODAY": "2026-12-07"}
    for name in ("REFORMCTL_LEDGER", "REFORMCTL_LANG"):
        env.pop(name, None)
    return [exe, "-m", "reformctl"], env


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """(wall s, CPU s, peak KiB) of one process, which must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--other", type=Path, action="append", default=[], help="another checkout to time"
    )
    opts = parser.parse_args()
    trees = {"this tree": ROOT}
    for other in opts.other:
        trees[str(other)] = other.resolve()
    work = Path(tempfile.mkdtemp(prefix="reformctl-import-bench-"))
    try:
        source = work / "source"
        source.mkdir()
        (source / "ledger.toml").write_text(generate(opts.points), encoding="utf-8")
        args, env = command(ROOT)
        files = {"csv": source / "t.csv", "xlsx": source / "t.xlsx"}
        for fmt, path in files.items():
            timed([*args, "export", "--format", fmt, "--out", str(path)], env, source)
        results: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
        for run in range(opts.runs):
            for fmt, path in files.items():
                for k, (name, tree) in enumerate(trees.items()):
                    folder = work / f"{fmt}-{run}-{k}"
                    folder.mkdir()
                    cmd, tree_env = command(tree)
                    ledger = ["--ledger", str(folder / "ledger.toml")]
                    timed([*cmd, *ledger, "init", "--year", "2026"], tree_env, folder)
                    target = [*ledger, "import", str(path)]
                    results.setdefault((name, fmt), []).append(
                        timed([*cmd, *target], tree_env, folder)
                    )
        print(
            f"import of a {opts.points}-point ledger's export into an empty one, {opts.runs} runs"
        )
        print(f"{'tree':<28} {'format':<6} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}")
        for (name, fmt), rows in results.items():
            wall = statistics.median(r[0] for r in rows)
            cpu = statistics.median(r[1] for r in rows)
            peak = max(r[2] for r in rows) / 1024
            print(f"{name:<28} {fmt:<6} {wall:8.2f} {cpu:8.2f} {peak:9.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
