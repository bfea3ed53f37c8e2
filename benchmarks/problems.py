"""`check` is linear in its number of problems: a ledger with 20,000 and with 100,000 unknown
keys in one table, each checked as a real process; prints the times and their ratio (5.0 would
be exactly linear). Run: python benchmarks/problems.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "data" / "golden-ledger.toml").read_text(encoding="utf-8")


def timed(folder: Path, n: int, runs: int = 3) -> float:
    extra = "\n".join(f"junk{i} = {i}" for i in range(n))
    (folder / "ledger.toml").write_text(BASE.replace("[ledger]\n", f"[ledger]\n{extra}\n", 1))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "reformctl",
                "--today",
                "2026-11-28",
                "check",
                "--format",
                "json",
            ],
            cwd=folder,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
        assert proc.returncode == 2
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small = timed(Path(tmp), 20_000)
        large = timed(Path(tmp), 100_000)
    print(f"check, 20,000 problems:  {small * 1000:8.0f} ms")
    print(f"check, 100,000 problems: {large * 1000:8.0f} ms")
    print(f"ratio {large / small:.1f}x for 5x the problems (target: at most 6x, linear)")


if __name__ == "__main__":
    main()
