"""A person at a terminal: tables that fit any width from 60 columns, warning lights readable
without colour, --color / NO_COLOR / FORCE_COLOR, and a pager as git's (in a pseudo-terminal)."""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from wcwidth import wcswidth

from tests.conftest import ROOT, run

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def table(*args: str, width: int, lang: str = "zh", env: dict[str, str] | None = None) -> str:
    os.environ["COLUMNS"] = str(width)
    result = run("--lang", lang, *args, "--format", "table", env=env)
    assert result.code == 0, result.stderr
    return result.stdout


def records(*args: str) -> list[dict[str, object]]:
    return list(json.loads(run(*args, "--format", "json").stdout))


@pytest.mark.parametrize("width", [60, 61, 72, 80, 100, 160])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_key_columns_are_never_dropped_nor_cut(sample: Path, width: int, lang: str) -> None:
    units = {u["key"]: u["name"] for u in records("unit", "list")}
    out = table("list", width=width, lang=lang)
    assert max(wcswidth(line) for line in out.splitlines()) <= width
    for point in records("list"):
        row = next(line for line in out.splitlines() if line.startswith(f" {point['id']} "))
        assert units[str(point["lead"])] in row  # the lead unit's whole name
        assert f"{round(float(str(point['progress'])) * 100)}%" in row
    out = table("overdue", "--soon", "7", width=width, lang=lang)
    assert max(wcswidth(line) for line in out.splitlines()) <= width
    for item in records("overdue", "--soon", "7"):
        assert f" {item['point']}/{item['milestone']} " in out
        assert str(item["due"]) in out  # a date is never broken
    if lang == "zh":  # unit names fit whole from 60 columns in Chinese
        out = table("progress", width=width, lang=lang)
        for row in records("progress"):
            assert re.search(rf"^ +{row['rank']} +{row['name']} ", out, re.M), row


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize(
    "name", [["list"], ["overdue"], ["progress"], ["progress", "--by", "group"]]
)
def test_no_header_is_cut_below_its_first_word(sample: Path, width: int, name: list[str]) -> None:
    out = table(*name, width=width)
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.lstrip().startswith("─"))
    header = " ".join(lines[2:rule])
    headers = {
        ("list",): ["编号", "工作要点", "牵头单位", "状态", "完成进度", "序时进度"],
        ("overdue",): ["节点编号", "名称", "牵头单位", "完成时限", "情况"],
        ("progress",): ["排名", "牵头单位", "节点数", "应完成", "逾期完成", "完成率", "预警"],
        ("progress", "--by", "group"): ["排名", "专项小组", "节点数", "序时进度", "预警"],
    }[tuple(name)]
    for word in headers:
        assert word[:2] in header, (word, header)  # a Chinese header's first word: two characters
    assert not re.search(r"(?<!\S)(排|逾|节|完|序|应|已|牵)(?!\S)", header), header


def test_long_titles_are_shortened_with_an_ellipsis(sample: Path) -> None:
    out = table("list", width=80)
    row = next(line for line in out.splitlines() if line.startswith(" R26-02 "))
    assert "…" in row and "省卫健委" in row and "逾期" in row


def test_the_light_reads_without_colour(sample: Path) -> None:
    out = table("progress", width=80, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert not ANSI.search(out)
    assert "红" in out and "绿" in out
    assert "逾期" in table("list", width=80, env={"NO_COLOR": "1"})
    plain = run("progress", "--format", "plain").stdout
    assert "预警" in plain and re.search(r" 红$", plain, re.M)
    assert "预警" not in table("progress", width=80, env={"FORCE_COLOR": "1"})  # the colour says it


def test_color_options_and_force_color(sample: Path) -> None:
    assert not ANSI.search(table("list", width=100))  # captured: no colour by default
    forced = table("list", width=100, env={"FORCE_COLOR": "1"})
    assert "\x1b[31m" in forced  # red: overdue
    always = run("--color", "always", "list", "--format", "table").stdout
    assert "\x1b[31m" in always
    never = run("--color", "never", "list", "--format", "table", env={"FORCE_COLOR": "1"})
    assert not ANSI.search(never.stdout)
    bad = run("--color", "sometimes", "list")
    assert bad.code == 2 and "--color" in bad.stderr


# -- in a pseudo-terminal ------------------------------------------------------------------------
def in_pty(args: list[str], env: dict[str, str], rows: int = 24, cols: int = 100) -> str:
    """Run reformctl with its stdin, stdout and stderr on a pseudo-terminal of rows × cols."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    full.update(env, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "reformctl", *args],
        stdin=slave, stdout=slave, stderr=slave, env=full, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(master)
    return out.decode("utf-8", "replace")


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[str, Path]:
    """A pager that records that it ran and what it was given."""
    log = tmp_path / "pager.log"
    script = tmp_path / "pager.py"
    script.write_text(
        "import sys\n"
        f"data = sys.stdin.buffer.read()\nopen({str(log)!r}, 'ab').write(b'CALLED\\n' + data)\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}", log


def test_long_output_on_a_terminal_goes_through_the_pager(
    sample: Path, recorder: tuple[str, Path]
) -> None:
    command, log = recorder
    shown = in_pty(["list"], {"REFORMCTL_PAGER": command, "PAGER": "cat"})
    text = log.read_text(encoding="utf-8")
    assert text.startswith("CALLED\n")
    assert "R26-22" in text and "\x1b[31m" in text  # the whole table, with its colours
    assert "R26-22" not in shown  # nothing went past the pager


def test_pager_from_pager_variable_and_cat_means_none(
    sample: Path, recorder: tuple[str, Path]
) -> None:
    command, log = recorder
    in_pty(["list"], {"PAGER": command})
    assert log.read_text(encoding="utf-8").count("CALLED") == 1
    shown = in_pty(["list"], {"REFORMCTL_PAGER": "cat", "PAGER": command})
    assert "R26-22" in shown
    assert log.read_text(encoding="utf-8").count("CALLED") == 1


def test_no_pager_when_short_piped_or_told_not_to(sample: Path, recorder: tuple[str, Path]) -> None:
    command, log = recorder
    env = {"REFORMCTL_PAGER": command}
    assert "R26-04" in in_pty(["show", "R26-04"], env, rows=60)  # fits on the screen
    assert "R26-22" in in_pty(["--no-pager", "list"], env)
    piped = subprocess.run(
        [sys.executable, "-m", "reformctl", "list"],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "R26-22" in piped.stdout and "\x1b[" not in piped.stdout
    assert not log.exists()


def test_less_is_the_default_pager(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no pager variable set, `less -FRX` (here a stand-in named less on PATH)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    less = bin_dir / "less"
    log = tmp_path / "less.log"
    less.write_text(f'#!/bin/sh\necho "less $*" >> {log}\ncat > /dev/null\n', encoding="utf-8")
    less.chmod(0o755)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.delenv("REFORMCTL_PAGER", raising=False)
    in_pty(["list"], env)
    assert log.read_text(encoding="utf-8").strip() == "less -FRX"


def test_bytes_written_on_a_terminal_go_through_the_pager(
    sample: Path, recorder: tuple[str, Path]
) -> None:
    """What a command writes as bytes (the textconv, `export --out -`) is held with the text
    while the pager may run; it has no file of its own to write to (it crashed: exit 3)."""
    command, log = recorder
    env = {"REFORMCTL_PAGER": command}
    shown = in_pty(["git", "textconv", str(sample)], env)
    assert "内部错误" not in shown and "AttributeError" not in shown
    assert "R26-22" in log.read_text(encoding="utf-8")
    shown = in_pty(["export", "--format", "json", "--out", "-"], env)
    assert "内部错误" not in shown and "AttributeError" not in shown
    assert log.read_text(encoding="utf-8").count("CALLED") == 2
    assert '"R26-22"' in log.read_text(encoding="utf-8")
