"""A workspace of 10 files x 1,000 points against one 10,000-point file (issue 14's target:
`overdue` on the workspace within 1.2x the single file), measured in the same run.

    python3 benchmarks/workspace.py [--points 10000] [--files 10] [--runs 5]

The same generated ledger is used twice: as one ledger.toml, and split by city into
FILES cities/*.toml (each point given a city in turn) with `reformctl workspace split`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import measure, reformctl_cmd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix="reformctl-ws-") as tmp:
        work = Path(tmp)
        single = work / "single" / "ledger.toml"
        single.parent.mkdir()
        subprocess.run(
            [sys.executable, str(here / "generate.py"), str(args.points), "--out", str(single)],
            check=True,
        )
        text = single.read_text(encoding="utf-8")
        counter = iter(range(10**9))

        def city(m: re.Match[str]) -> str:
            return f'{m.group(0)}city = "市{next(counter) % args.files:02d}"\n'

        text = re.sub(r"(?m)^\[points\.[^.\]\s]+\]\n", city, text)
        single.write_text(text, encoding="utf-8")
        split = work / "workspace"
        split.mkdir()
        (split / "ledger.toml").write_text(text, encoding="utf-8")
        env = {**os.environ, "REFORMCTL_TODAY": "2026-11-28", "XDG_CACHE_HOME": str(work / "c")}
        cmd = reformctl_cmd()
        subprocess.run(
            [*cmd, "--ledger", str(split / "ledger.toml"), "workspace", "split", "--by", "city"],
            env=env,
            check=True,
            capture_output=True,
        )
        files = sorted(p.name for p in (split / "cities").glob("*.toml"))
        print(f"{args.points} points; workspace: {len(files)} files in cities/")
        rows = []
        for label, cache in (("cache off", "off"), ("warm cache", "")):
            run_env = {**env, "REFORMCTL_CACHE": cache} if cache else env
            one, one_mem = measure(
                [*cmd, "--ledger", str(single), "overdue", "--format", "plain"],
                args.runs,
                run_env,
                settle=3.0,
            )
            many, many_mem = measure(
                [*cmd, "--ledger", str(split / "reformctl.toml"), "overdue", "--format", "plain"],
                args.runs,
                run_env,
                settle=3.0,
            )
            rows.append((label, one, many, one_mem, many_mem))
        print(f"\n{'overdue':<12} {'one file':>10} {'workspace':>10} {'ratio':>7}  [target]")
        for label, one, many, one_mem, many_mem in rows:
            mark = "ok" if many / one <= 1.2 else "MISSED"
            print(
                f"{label:<12} {one * 1000:8.0f}ms {many * 1000:8.0f}ms {many / one:6.2f}x"
                f"  [<= 1.2x] {mark}   peak {one_mem:.0f} / {many_mem:.0f} MiB"
            )


if __name__ == "__main__":
    main()
