"""Regressions for what the adversarial reviews found: each case as it was reported, through the
real CLI (and real git repositories for review and merge)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reformctl.ledger.parse import loads
from tests.conftest import BASE, ROOT, run, write_ledger
from tests.test_git import git

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ARRAY = BASE.replace(
    'units = ["fgw"]',
    'units = [\n  "czt",  # 财政\n  "zrt", # 自然资源\n  # 末尾\n  "fgw"  # 发改\n]  # 配合',
).replace(
    "[units.lyj]",
    '[units.czt]\nname = "省财政厅"\n\n[units.zrt]\nname = "省自然资源厅"\n\n'
    '[units.ybj]\nname = "省医保局"\n\n[units.lyj]',
)


@pytest.mark.parametrize(
    ("units", "kept"),
    [
        (["czt", "ybj", "fgw"], ['"czt",  # 财政', "# 末尾", '"fgw"  # 发改']),  # one replaced
        (["czt", "zrt"], ['"czt",  # 财政', '"zrt", # 自然资源', "# 末尾"]),  # the last removed
        (["czt", "zrt", "fgw", "ybj"], ['"czt",  # 财政', '"zrt", # 自然资源', "# 末尾"]),
    ],
)
def test_array_edits_keep_the_comments_of_kept_elements(
    tmp_path: Path, units: list[str], kept: list[str]
) -> None:
    path = write_ledger(tmp_path, ARRAY)
    args = [a for u in units for a in ("-u", u)]
    assert run("edit", "R26-01", *args).code == 0
    text = path.read_text(encoding="utf-8")
    for line in kept:
        assert line in text
    assert "]  # 配合" in text
    assert loads(text)["points"]["R26-01"]["units"] == units


def test_a_quote_trick_before_a_multiline_string_does_not_fool_the_lexer(tmp_path: Path) -> None:
    text = BASE.replace(
        'title = "深化集体林权制度改革"', 'title = """x" "y"\n[points.FAKE]\na = "q"""  # ""'
    )
    path = write_ledger(tmp_path, text)
    assert run("done", "R26-01/pilot", "--on", "2026-11-01").code == 0
    assert loads(path.read_text(encoding="utf-8"))["points"]["R26-01"]["title"].startswith('x" ')


def test_mixed_line_endings_inside_the_edited_table_are_kept(tmp_path: Path) -> None:
    lines = BASE.split("\n")[:-1]
    head = sum(1 for _ in lines[:16])
    raw = "".join(line + ("\r\n" if i < head + 10 else "\n") for i, line in enumerate(lines))
    path = tmp_path / "ledger.toml"
    path.write_bytes(raw.encode())
    before = path.read_bytes()
    assert run("done", "R26-01/pilot", "--on", "2026-11-01").code == 0
    after = path.read_bytes()
    for line in before.split(b"\n"):
        if line and b"pilot" not in line:
            assert line + b"\n" in after  # every line that was there ends as it did


@pytest.mark.parametrize(
    "args",
    [
        ["log", "R26-01", "x\udcff"],
        ["unit", "add", "k", "n\udcff"],
        ["done", "R26-01/pilot", "--evidence", "x\udcc3"],
    ],
)
def test_text_that_is_not_utf8_is_refused_not_a_crash(ledger: Path, args: list[str]) -> None:
    before = ledger.read_bytes()
    result = run(*args)
    assert result.code == 2
    assert ledger.read_bytes() == before


@pytest.mark.parametrize("days", ["3000000", "2147483647", "99999999999999999999"])
def test_huge_windows_are_usage_errors(ledger: Path, days: str) -> None:
    assert run("overdue", "--soon", days).code == 2
    assert run("check", "--soon", days).code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["done", "R26-01/pilot", "--on", "0001-01-01"],
        ["milestone", "add", "R26-01/x", "--name", "n", "--due", "9999-12-31"],
        ["log", "R26-01", "x", "--month", "0000-01"],
    ],
)
def test_dates_outside_1900_2100_are_refused(ledger: Path, args: list[str]) -> None:
    assert run(*args).code == 2


def test_no_output_line_starts_a_workflow_command(tmp_path: Path) -> None:
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    text = text.replace('name = "省发改委"', 'name = "::warning file=y::U"', 1)
    write_ledger(tmp_path, text)
    for args in (
        ["report", "year"],
        ["progress", "--format", "plain"],
        ["check", "--format", "junit", "--fail-on", "never"],
        ["list", "--format", "plain"],
    ):
        out = run("--today", "2026-12-31", *args).stdout
        assert not [line for line in out.splitlines() if line.lstrip().startswith("::")], args


def test_sigterm_leaves_no_lock(tmp_path: Path) -> None:
    """A writer stopped with SIGTERM while it holds the lock removes it."""
    write_ledger(tmp_path, BASE)
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from reformctl.ledger.lock import LedgerLock\n"
        "with LedgerLock(Path('ledger.toml')):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(30)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    assert (tmp_path / "ledger.toml.lock").exists()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    time.sleep(0.1)
    assert not (tmp_path / "ledger.toml.lock").exists()


def test_lock_hint_is_quoted_for_the_shell(tmp_path: Path) -> None:
    folder = tmp_path / "a b;c"
    folder.mkdir()
    write_ledger(folder, BASE)
    (folder / "ledger.toml.lock").write_text("")
    os.chdir(tmp_path)
    result = run(
        "--ledger",
        "a b;c/ledger.toml",
        "done",
        "R26-01/pilot",
        env={"REFORMCTL_LOCK_TIMEOUT": "0.1"},
    )
    assert "rm 'a b;c/ledger.toml.lock'" in result.stderr


# -- review: diff, textconv, history ------------------------------------------------------------
@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    shutil.copy(ROOT / "ledger.toml", tmp_path / "ledger.toml")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


@needs_git
def test_history_lists_an_invalid_revision_in_every_format(repo: Path) -> None:
    path = repo / "ledger.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('lead = "zrt"', 'lead = "nosuch"', 1),
        encoding="utf-8",
    )
    git(repo, "commit", "-qam", "bad")
    for fmt in ("plain", "markdown", "csv", "json"):
        result = run("history", "-f", fmt)
        assert result.code == 0, (fmt, result.stderr)
    rows = json.loads(run("history", "-f", "json").stdout)
    assert [r["valid"] for r in rows] == [True, False]


@needs_git
def test_diff_and_textconv_on_a_file_that_is_not_utf8(repo: Path, tmp_path: Path) -> None:
    path = repo / "ledger.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    result = run("diff")
    assert result.code == 2 and "UTF-8" in result.stderr
    out = run("git", "textconv", "ledger.toml").stdout
    assert out.splitlines()[0].startswith("⚠")


@needs_git
def test_diff_words_for_promotions_extensions_and_unknown_keys(repo: Path) -> None:
    assert run("case", "promote", "C26-02", "--to", "刊物", "--on", "2026-11-11").code == 0
    text = (repo / "ledger.toml").read_text(encoding="utf-8")
    text = text.replace('approved_by = "ggb"', 'approved_by = "fgw"', 1)
    text = text.replace(
        'title = "深化“标准地”改革"', 'title = "深化“标准地”改革"\ntitel = "typo"', 1
    )
    (repo / "ledger.toml").write_text(text, encoding="utf-8")
    out = run("diff").stdout
    assert "datetime" not in out and "{on = 2026-11-11, to = 刊物}" in out
    assert "approved_by" in out and "ggb → fgw" in out
    assert "未知键 points.R26-03.titel" in out


def test_rollover_carries_topic_and_progress(tmp_path: Path) -> None:
    write_ledger(tmp_path, (ROOT / "ledger.toml").read_text(encoding="utf-8"))
    assert run("rollover", "--to-year", "2027", "--out", "l27.toml").code == 0
    old = loads((tmp_path / "ledger.toml").read_text(encoding="utf-8"))["points"]
    new = loads((tmp_path / "l27.toml").read_text(encoding="utf-8"))["points"]
    for pid, point in new.items():
        assert point.get("topic") == old[pid].get("topic")
        assert point.get("progress", {}) == old[pid].get("progress", {})


def test_conflict_markers_inside_a_string_are_a_problem(tmp_path: Path) -> None:
    text = BASE.replace(
        'path = "出台政策文件"', 'path = """\n<<<<<<< ours\n甲\n=======\n乙\n>>>>>>> theirs\n"""'
    )
    write_ledger(tmp_path, text)
    assert run("fmt", "--check").code == 2
    result = run("check")
    assert result.code == 2 and "ledger.toml:24:1" in result.stdout
