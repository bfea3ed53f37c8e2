"""The HTML print view: nothing breaks inside dates, IDs or figures with their unit; page
numbers in print; a generic font family after the CJK ones."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run


def html(args: list[str]) -> str:
    result = run("report", *args, "--out", "r.html")
    assert result.code == 0, result.stderr
    return Path("r.html").read_text(encoding="utf-8")


def test_dates_ids_and_durations_are_held_together(sample: Path) -> None:
    page = html(["half", "--period", "2"])
    assert '<span class="nb">R26-08/network</span>' in page
    assert '<span class="nb">2026-08-31</span>' in page
    assert '<span class="nb">逾期28天</span>' in page
    assert '<span class="nb">67%</span>' in page
    assert ".nb { white-space: nowrap; }" in page
    # no date, ref or duration left outside a span (where a browser could break it)
    outside = re.sub(r'<span class="nb">[^<]*</span>', "", page.split("<body>")[1])
    assert not re.search(r"\d{4}-\d{2}-\d{2}|R26-\d+/|逾期\d+天", outside)


def test_page_numbers_and_a_generic_font(sample: Path) -> None:
    page = html(["year"])
    assert 'content: counter(page) " / " counter(pages)' in page
    family = re.search(r"font-family:([^;]+);", page)
    assert family is not None
    fonts = [f.strip().strip('"') for f in family.group(1).split(",")]
    assert fonts[0] == "Noto Sans CJK SC"
    assert fonts[-1] in ("sans-serif", "serif")


def test_printed_pages_carry_their_numbers(sample: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdftotext") is None:
        pytest.skip("headless Chromium or pdftotext is not installed here")
    html(["half", "--period", "2"])
    pdf = tmp_path / "r.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", Path("r.html").resolve().as_uri()],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.count("\f")
    assert pages >= 2
    for n in range(1, pages + 1):
        assert re.search(rf"(?m)^\s*{n}\s*/\s*{pages}\s*$", text), n  # a footer line
    assert "逾期28天" in text and "R26-08/network" in text
