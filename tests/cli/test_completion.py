"""Shell completion the Typer way, through the protocol the installed scripts speak: bash
(COMP_WORDS/COMP_CWORD), zsh and fish (_TYPER_COMPLETE_ARGS), each in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_process


def complete(shell: str, line: str, cwd: Path | None = None, **env: str) -> list[str]:
    """What the shell would offer for ``line`` (its last word being completed)."""
    full = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "_REFORMCTL_COMPLETE": f"complete_{shell}",
        **env,
    }
    if shell == "bash":
        words = line.split(" ")
        full.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        full["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            full["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    proc = subprocess.run(
        [sys.executable, "-c", "from reformctl.cli import main; main()"],
        env=full, cwd=cwd, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return [line for line in proc.stdout.splitlines() if line]


def test_point_ids(sample: Path) -> None:
    assert complete("bash", "reformctl show R26-1") == [f"R26-1{i}" for i in range(10)]
    assert complete("bash", "reformctl log R26-0")[:2] == ["R26-01", "R26-02"]


def test_milestone_refs_point_first_then_its_milestones(sample: Path) -> None:
    assert complete("bash", "reformctl done R26-0")[:2] == ["R26-01/", "R26-02/"]
    refs = ["R26-04/catalog", "R26-04/coverage", "R26-04/platform"]  # sorted, as shells list them
    assert complete("bash", "reformctl done R26-04/") == refs
    assert complete("bash", "reformctl extend R26-04") == refs  # one point left: its milestones
    assert complete("bash", "reformctl edit R26-04/p") == ["R26-04/platform"]


def test_units_and_groups_by_key_and_by_name(sample: Path) -> None:
    assert complete("bash", "reformctl list --unit ly") == ["lyj"]
    assert complete("bash", "reformctl list --unit 省林") == ["省林业局"]
    assert "health" in complete("bash", "reformctl overdue --group ")
    assert "医药卫生体制改革专项小组" in complete("bash", "reformctl list -g 医")
    assert complete("bash", "reformctl point add R26-30 --lead 省卫") == ["省卫健委"]
    assert complete("bash", "reformctl extend R26-04/coverage --approved-by gg") == ["ggb"]


def test_clicks_spelling_of_the_protocol(sample: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_REFORMCTL_COMPLETE": "bash_complete"}
    env.update(COMP_WORDS="reformctl show R26-2", COMP_CWORD="2")
    proc = subprocess.run(
        [sys.executable, "-m", "reformctl"], env=env, capture_output=True, text=True, check=True
    )
    assert proc.stdout.split() == ["R26-20", "R26-21", "R26-22"]


def test_statuses(sample: Path) -> None:
    assert complete("bash", "reformctl list --status o") == ["on_track", "overdue"]


def test_the_ledger_in_reach(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("elsewhere")  # beside the sample's folder, not under it
    assert complete("bash", "reformctl show R26-0", cwd=other) == []  # no ledger here or above
    assert complete("bash", f"reformctl --ledger {sample} show R26-0", cwd=other)[0] == "R26-01"
    assert complete("bash", "reformctl show R26-0", cwd=other, REFORMCTL_LEDGER=str(sample))
    (other / "ledger.toml").write_text("schema = 1\n[points.X-1\n", encoding="utf-8")
    assert complete("bash", "reformctl show ", cwd=other) == []  # broken: nothing, no error


def test_zsh_and_fish_show_names_beside_keys(sample: Path) -> None:
    zsh = "\n".join(complete("zsh", "reformctl list --unit ly"))
    assert '"lyj":"省林业局"' in zsh
    fish = complete("fish", "reformctl show R26-1")
    assert "R26-10\t健全国有企业技术创新体制机制" in fish


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_and_install_completion(tmp_path: Path, shell: str) -> None:
    env = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1", "HOME": str(tmp_path)}
    script = run_process("--show-completion", shell, env=env)
    assert script.code == 0 and "_REFORMCTL_COMPLETE=complete_" + shell in script.stdout
    installed = run_process("--install-completion", shell, env=env)
    assert installed.code == 0, installed.stderr
    assert any(p.is_file() for p in tmp_path.rglob("*reformctl*"))


def test_completion_reads_a_large_ledger_fast(tmp_path: Path) -> None:
    """No validation on the way: completing on a 2,000-point ledger costs one TOML read."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    (tmp_path / "ledger.toml").write_text(generate(2000), encoding="utf-8")
    offered = complete("bash", "reformctl done R26-0100", cwd=tmp_path)
    assert offered and all(o.startswith("R26-0100") for o in offered)
