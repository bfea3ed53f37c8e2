"""The README's commands are true: its examples run on the sample ledger with the stated outcome."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import ROOT, run

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = [
    line.split("  #")[0].strip()
    for block in re.findall(r"```sh\n(.*?)```", README, re.S)
    for line in block.splitlines()
    if line.startswith("reformctl ")
]


def test_set_up_commands_are_the_ones_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install -e '.[test]' && python -m pytest" in README
    assert "python -m pip install -e '.[test]'" in ci and "python -m pytest" in ci


@pytest.mark.parametrize("line", EXAMPLES)
def test_readme_example_runs(line: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    args = shlex.split(line)[1:]
    args = [str(ROOT / "ledger.toml") if a == "ledger.toml" else a for a in args]
    result = run(*args)
    expected = 1 if args[-1] == "check" or ("--format" in args and "github" in args) else 0
    assert result.code == expected, (line, result.stderr)
    if args[-1] == "check":
        assert "7 个节点逾期" in result.stdout
