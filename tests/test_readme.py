"""The README's commands are true: every example runs, in order, on a copy of the sample ledger."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

from tests.conftest import ROOT, run

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = [
    line.split("  #")[0].strip()
    for block in re.findall(r"```sh\n(.*?)```", README, re.S)
    for line in block.splitlines()
    if line.startswith("reformctl ")
]


def set_up_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_two_set_up_commands_ci_runs_verbatim() -> None:
    main, tests = set_up_commands()
    assert "reformctl --ledger ledger.toml overdue" in main and "pip install ." in main
    assert "pip install -e '.[test]'" in tests and tests.endswith("-m pytest -n auto")
    # .ci/run takes both from this README (tools/readme_commands.py), so they are what CI runs
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme_commands.py main" in ci and "readme_commands.py test" in ci
    from tools.readme_commands import command

    assert command("main") == main and command("test") == tests


def test_readme_examples_run_in_order(tmp_path: Path) -> None:
    import subprocess

    shutil.copy(ROOT / "ledger.toml", tmp_path / "ledger.toml")
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": os.environ["PATH"],
    }
    for cmd in (["init", "-q", "-b", "main"], ["add", "ledger.toml"], ["commit", "-qm", "ledger"]):
        subprocess.run(["git", *cmd], cwd=tmp_path, env=env, check=True)
    (tmp_path / "new").mkdir()
    assert len(EXAMPLES) > 20
    for line in EXAMPLES:
        args = shlex.split(line)[1:]
        in_new = args[:1] == ["init"]
        result = run(*args) if not in_new else _in(tmp_path / "new", args)
        checking = args[-1] == "check" or ("check" in args and "github" in args)
        assert result.code == (1 if checking else 0), (line, result.stdout, result.stderr)
        if args[-1] == "check":
            assert "7 个节点逾期" in result.stdout


def _in(folder: Path, args: list[str]):  # type: ignore[no-untyped-def]
    import os

    old = Path.cwd()
    os.chdir(folder)
    try:
        return run(*args)
    finally:
        os.chdir(old)
