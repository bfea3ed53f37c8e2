"""benchmarks/import_speed.py runs: both formats, a first import and --update, CPU time beside
wall time (issue 21, speed). The figures themselves are in docs/import.md, not asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_benchmark_times_both_formats_both_ways() -> None:
    script = ROOT / "benchmarks" / "import_speed.py"
    done = subprocess.run(
        [sys.executable, str(script), "--points", "12", "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[1].split() == ["tree", "format", "way", "wall", "s", "CPU", "s", "peak", "MiB"]
    rows = [line.split() for line in lines[2:]]
    assert [(r[2], r[3]) for r in rows] == [
        ("csv", "import"),
        ("csv", "update"),
        ("xlsx", "import"),
        ("xlsx", "update"),
    ]
    for row in rows:
        wall, cpu = float(row[4]), float(row[5])
        assert wall > 0 and cpu > 0
