"""The floor: what any Typer command costs here, on the pinned Typer and on Typer 0.29.

    python benchmarks/floor.py               # 20 interleaved runs each, medians
    python benchmarks/floor.py --runs 40

The floor command is a do-nothing Typer app with two global options and one subcommand. It is
run with the Typer this Python has (reformctl's pin, 0.28.x) and with Typer 0.29 from a venv
beside this file (``benchmarks/.venv-typer029``, made on the first run: ``python -m venv`` and
``pip install 'typer>=0.29,<0.30'``; git ignores it), interleaved run by run so that a busy
machine slows both alike. The target (issue 25): the pinned floor at most 0.5x 0.29's. Also
printed: ``python -c pass``, and ``reformctl overdue`` on the bundled ledger.toml with a warm
cache (median of the same number of runs). ``run.py`` prints the same floor among its ratios.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_029 = HERE / ".venv-typer029"
TARGET = 0.5

FLOOR_APP = '''
from typing import Annotated

import typer

app = typer.Typer()


@app.callback()
def main(
    ledger: Annotated[str | None, typer.Option("--ledger")] = None,
    today: Annotated[str | None, typer.Option("--today")] = None,
) -> None:
    """Do nothing."""


@app.command()
def overdue() -> None:
    """Do nothing either."""


app()
'''
FLOOR_ARGS = ["--ledger", "ledger.toml", "--today", "2026-11-28", "overdue"]


def typer029_python() -> Path:
    """The Python of the venv with Typer 0.29 (made when missing)."""
    python = VENV_029 / "bin" / "python"
    if not python.exists():
        print(f"making {VENV_029.relative_to(HERE.parent)} (Typer 0.29, once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV_029)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "typer>=0.29,<0.30"], check=True)
    return python


def typer_version(python: Path | str) -> str:
    out = subprocess.run(
        [str(python), "-c", "import typer; print(typer.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def interleaved(
    commands: dict[str, list[str]],
    runs: int,
    env: dict[str, str] | None = None,
    cpu: dict[str, float] | None = None,
) -> dict[str, float]:
    """Median wall time (s) of each command over ``runs`` rounds, one run of each a round
    (after one warm-up round), so that load on the machine falls on all of them alike; the
    median CPU time (user + system, s) of each into ``cpu`` when given (a loaded machine
    inflates it less than the wall time)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for i in range(runs + 1):
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            proc = subprocess.run(cmd, env=env, capture_output=True)
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[:500]!r}")
            if i:
                times[name].append(elapsed)
                used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                cpus[name].append(used)
    if cpu is not None:
        cpu.update({name: statistics.median(ts) for name, ts in cpus.items()})
    return {name: statistics.median(ts) for name, ts in times.items()}


def floor_commands(work: Path) -> dict[str, list[str]]:
    """The floor app on the pinned Typer (this Python's) and on Typer 0.29."""
    app = work / "floor_app.py"
    app.write_text(FLOOR_APP, encoding="utf-8")
    return {
        "pinned": [sys.executable, str(app), *FLOOR_ARGS],
        "0.29": [str(typer029_python()), str(app), *FLOOR_ARGS],
    }


def ratio_line(pinned: float, newer: float) -> str:
    mark = "ok" if pinned / newer <= TARGET else "MISSED"
    name = "the floor: pinned Typer / Typer 0.29, same app"
    return f"  {name:<58} {pinned / newer:5.2f}x  [<= {TARGET}x] {mark}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reformctl-floor-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "REFORMCTL_TODAY": "2026-11-28",
            "XDG_CACHE_HOME": str(work / "cache"),
        }
        for name in ("REFORMCTL_CACHE", "REFORMCTL_CACHE_DIR"):
            env.pop(name, None)
        commands = floor_commands(work)
        ledger = work / "ledger.toml"
        ledger.write_bytes((HERE.parent / "ledger.toml").read_bytes())
        overdue = [sys.executable, "-m", "reformctl", "--ledger", str(ledger), "overdue"]
        warm = {**env, "REFORMCTL_CACHE": "sync"}  # the entry, written before it exits
        subprocess.run([*overdue[:-1], "check"], env=warm, capture_output=True)
        commands["python -c pass"] = [sys.executable, "-c", "pass"]
        commands["reformctl overdue (ledger.toml, warm)"] = overdue
        cpu: dict[str, float] = {}
        medians = interleaved(commands, args.runs, env, cpu)
    pinned_v, newer_v = typer_version(sys.executable), typer_version(typer029_python())
    print(f"{args.runs} interleaved runs each, medians: wall time, CPU time (user + system)")
    labels = {
        "pinned": f"do-nothing Typer app, Typer {pinned_v} (pinned)",
        "0.29": f"do-nothing Typer app, Typer {newer_v}",
    }
    for name, median in medians.items():
        label = labels.get(name, name)
        print(f"  {label:<50} {median * 1000:8.1f} ms  {cpu[name] * 1000:8.1f} ms CPU")
    print(ratio_line(medians["pinned"], medians["0.29"]))
    print(f"  (in CPU time: {cpu['pinned'] / cpu['0.29']:.2f}x)")


if __name__ == "__main__":
    main()
