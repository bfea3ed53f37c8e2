"""The office's identity is asked once and kept (issue 24, item 1): `init` asks for it on a
terminal or takes --office/--office-code/--office-unit, `office set` changes it through the
proven write path, and every command that writes a .docx refuses rather than invent an office."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.conftest import ROOT, run, write_ledger

OFFICE = "福建省委全面深化改革委员会办公室"

LEDGER = """schema = 1

[ledger]
title = "测试台账"
year = 2026
timezone = "Asia/Shanghai"

[units.lyj]
name = "省林业局"

[groups.economy]
name = "经济体制改革专项小组"
lead = "lyj"

[points.R26-01]
title = "深化集体林权制度改革"
group = "economy"
lead = "lyj"
units = []
path = ""
outcome = ""

[points.R26-01.milestones.trial]
name = "开展试点"
due = 2026-06-30
"""


def test_init_takes_the_office_and_declares_its_unit(tmp_path: Path) -> None:
    result = run(
        "--today", "2026-01-05", "init", "--office", OFFICE, "--office-code", "闽改办",
        "--office-unit", "ggb", cwd=tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    ledger = load(tmp_path / "ledger.toml").valid()
    settings = ledger.settings
    assert (settings.office, settings.office_code, settings.office_unit) == (
        OFFICE,
        "闽改办",
        "ggb",
    )
    assert ledger.units["ggb"].name == OFFICE
    assert run("check", cwd=tmp_path).code == 0


def _init_on_a_terminal(folder: Path, answers: str) -> tuple[int, str]:
    """`init` with its standard input a terminal (a pseudo-terminal), typing ``answers``."""
    main, child = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REFORMCTL_TODAY": "2026-01-05"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reformctl", "init"],
        stdin=child, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=folder, env=env,
    )  # fmt: skip
    os.close(child)
    os.write(main, answers.encode("utf-8"))
    out, err = proc.communicate(timeout=60)
    os.close(main)
    return proc.returncode, out.decode("utf-8") + err.decode("utf-8")


def test_init_on_a_terminal_asks_for_the_office(tmp_path: Path) -> None:
    code, output = _init_on_a_terminal(tmp_path, f"{OFFICE}\n闽改办\nggb\n")
    assert code == 0, output
    assert "发文机关全称" in output and "发文机关代字" in output
    settings = load(tmp_path / "ledger.toml").valid().settings
    assert (settings.office, settings.office_code, settings.office_unit) == (
        OFFICE,
        "闽改办",
        "ggb",
    )


def test_init_on_a_terminal_leaves_out_what_is_left_empty(tmp_path: Path) -> None:
    code, output = _init_on_a_terminal(tmp_path, "\n\n\n")
    assert code == 0, output
    text = (tmp_path / "ledger.toml").read_text(encoding="utf-8")
    assert "office" not in text


def test_init_off_a_terminal_does_not_ask(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reformctl", "init"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "REFORMCTL_TODAY": "2026-01-05"},
        timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "发文机关" not in proc.stdout
    assert load(tmp_path / "ledger.toml").valid().settings.office is None


def test_init_refuses_an_office_unit_without_a_name(tmp_path: Path) -> None:
    result = run("init", "--office-unit", "ggb", cwd=tmp_path)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--office" in result.stderr
    assert not (tmp_path / "ledger.toml").exists()


def test_office_set_changes_only_its_lines(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    result = run(
        "office", "set", "--office", OFFICE, "--office-code", "闽改办", "--office-unit", "ggb",
        "--cc", "省委办公厅，省政府办公厅", cwd=tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert result.stdout == f"已设置发文机关：{OFFICE}（代字 闽改办）\n"
    text = path.read_text(encoding="utf-8")
    assert text == LEDGER.replace(
        'timezone = "Asia/Shanghai"\n',
        f'timezone = "Asia/Shanghai"\noffice = "{OFFICE}"\noffice_code = "闽改办"\n'
        'office_unit = "ggb"\ncc = "省委办公厅，省政府办公厅"\n',
    ).replace(
        '[units.lyj]\nname = "省林业局"\n',
        f'[units.lyj]\nname = "省林业局"\n\n[units.ggb]\nname = "{OFFICE}"\n',
    )
    # a second call changes one key and keeps the rest
    assert run("office", "set", "--issuer", "省委改革办秘书处", cwd=tmp_path).code == 0
    settings = load(path).valid().settings
    assert settings.issuer == "省委改革办秘书处" and settings.cc == "省委办公厅，省政府办公厅"
    assert settings.office == OFFICE


@pytest.mark.parametrize(
    "args",
    [(), ("--office-unit", "ggb"), ("--office", ""), ("--office-unit", "bad key")],
)
def test_office_set_refusals_leave_the_ledger_as_it_was(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    path = write_ledger(tmp_path, LEDGER)
    result = run("office", "set", *args, cwd=tmp_path)
    assert result.code == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_text(encoding="utf-8") == LEDGER


def test_documents_are_refused_without_an_office(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    for args in (
        ("notice", "--out", "督办"),
        ("report", "half", "--period", "1", "--out", "通报.docx"),
    ):
        result = run("--today", "2026-11-28", *args, cwd=tmp_path)
        assert result.code == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "reformctl office set" in lines[0]
    assert not (tmp_path / "督办").exists() and not (tmp_path / "通报.docx").exists()
    assert path.read_text(encoding="utf-8") == LEDGER


def test_other_formats_leave_the_office_out(tmp_path: Path) -> None:
    write_ledger(tmp_path, LEDGER)
    result = run("--today", "2026-11-28", "notice", "--format", "md", "--out", "n", cwd=tmp_path)
    assert result.code == 0, result.stderr
    (notice,) = (tmp_path / "n").iterdir()
    text = notice.read_text(encoding="utf-8")
    assert "办公室" not in text and "改办" not in text  # no made-up office, no made-up code
    assert notice.name.startswith("督〔2026〕1号")
    result = run("--today", "2026-11-28", "report", "half", "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout)["office"] is None
    result = run("--today", "2026-11-28", "report", "half", "--out", "h.md", cwd=tmp_path)
    assert result.code == 0 and "办公室" not in (tmp_path / "h.md").read_text(encoding="utf-8")


def test_the_bundled_ledger_has_a_real_office(tmp_path: Path) -> None:
    settings = load(ROOT / "ledger.toml").valid().settings
    assert (settings.office, settings.office_code) == (OFFICE, "闽改办")
    write_ledger(tmp_path, (ROOT / "ledger.toml").read_text(encoding="utf-8"))
    result = run("--today", "2026-11-28", "notice", "--kind", "red", "--out", "n", cwd=tmp_path)
    assert result.code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "n").iterdir())
    assert names and all(n.startswith("闽改办督〔2026〕") for n in names)
