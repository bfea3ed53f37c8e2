"""`site --out DIR` through the real CLI: the bundled ledger in a git repository with history
(two commits by two people in two months), a workspace, hostile text; the site's figures
compared with `progress --format json` and `overdue --format json`, the rank change since the
end of the previous month with `progress` on the ledger as it was then, every link resolved
and nothing leaving the site."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BASE, ROOT, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

TODAY = "2026-11-28"
DONE = "R26-11/rules"  # overdue in the bundled ledger; recorded done in the second commit


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **(env or {})},
        check=True,
        capture_output=True,
        text=True,
    )
    return proc.stdout


def commit(repo: Path, message: str, day: str, author: str) -> None:
    when = f"{day}T10:00:00+08:00"
    env = {
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "a@example.org",
    }
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The bundled ledger committed on 2026-09-10 by 张三, then a milestone recorded done on
    2026-11-05 by 李四 (with the real `done` command)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(ROOT / "ledger.toml", repo / "ledger.toml")
    commit(repo, "ledger", "2026-09-10", "张三")
    done = run(
        "--today", "2026-11-05", "done", DONE, "--on", "2026-11-04", "--evidence", "闽科〔2026〕9号",
        cwd=repo,
    )  # fmt: skip
    assert done.code == 0, done.stderr
    commit(repo, "rules done", "2026-11-05", "李四")
    return repo


def build(folder: Path, out: Path, *extra: str) -> str:
    result = run("--today", TODAY, *extra, "site", "--out", str(out), cwd=folder)
    assert result.code == 0, result.stderr
    return result.stdout


def cli_json(folder: Path, *args: str, today: str = TODAY) -> Any:
    result = run("--today", today, *args, "--format", "json", cwd=folder)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of the document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def rows(page: Elements, attr: str) -> list[dict[str, str]]:
    return [a for tag, a in page.tags if tag == "tr" and attr in a]


def ranking_rows(page: Elements, scope: str) -> list[dict[str, str]]:
    """The rows of the index's ranking table by ``scope`` (unit or group), in order."""
    out, inside = [], False
    for tag, a in page.tags:
        if tag == "table":
            inside = scope in a.get("class", "").split()
        elif tag == "tr" and inside and "data-rank" in a:
            out.append(a)
    return out


def test_the_figures_are_the_clis(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    said = build(repo, out)
    assert str(out) in said and "index.html" in said and "整个台账" in said
    index = parse(out / "index.html")
    for scope in ("unit", "group"):
        progress = cli_json(repo, "progress", "--by", scope)
        shown = ranking_rows(index, scope)
        assert [r["data-key"] for r in shown] == [p["key"] for p in progress]
        for row, p in zip(shown, progress, strict=True):
            assert int(row["data-rank"]) == p["rank"]
            for field in ("milestones", "due_to_date", "done", "done_late", "overdue"):
                assert int(row[f"data-{field.replace('_', '-')}"]) == p[field], (field, p)
            assert float(row["data-completion"]) == p["completion"]
            assert float(row["data-expected"]) == p["expected"]
    overdue = cli_json(repo, "overdue", "--soon", "7")
    shown = rows(index, "data-days-overdue")
    assert [(r["data-point"], r["data-milestone"], int(r["data-days-overdue"])) for r in shown] == [
        (o["point"], o["milestone"], o["days_overdue"]) for o in overdue
    ]
    assert all(r["data-due"] == o["due"] for r, o in zip(shown, overdue, strict=True))
    # the day's figures: the office's tally, as `progress --by point` adds up
    by_point = cli_json(repo, "progress", "--by", "point")
    text = "".join(index.text)
    for key in ("milestones", "done", "overdue"):
        total = sum(p[key] for p in by_point)
        assert f"{total}" in text
    figures = {a["data-figure"] for t, a in index.tags if t == "div" and "data-figure" in a}
    assert {"points", "milestones", "overdue", "due_week", "completion", "expected"} <= figures


def test_rank_change_is_since_the_end_of_last_month_from_history(
    repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    build(repo, out)
    # the ledger as it was at the end of October (the first commit), ranked on that day
    then = tmp_path / "then"
    then.mkdir()
    (then / "ledger.toml").write_text(git(repo, "show", "HEAD~1:ledger.toml"), encoding="utf-8")
    before = {p["key"]: p["rank"] for p in cli_json(then, "progress", today="2026-10-31")}
    index = parse(out / "index.html")
    shown = ranking_rows(index, "unit")
    assert {r["data-key"]: int(r["data-previous-rank"]) for r in shown} == before
    moved = [r for r in shown if int(r["data-previous-rank"]) != int(r["data-rank"])]
    assert moved  # the milestone recorded done in November moved 省科技厅 up
    html = (out / "index.html").read_text(encoding="utf-8")
    for r in moved:
        delta = int(r["data-previous-rank"]) - int(r["data-rank"])
        word = f"↑{delta}" if delta > 0 else f"↓{-delta}"
        assert re.search(
            rf'data-key="{r["data-key"]}"[^>]*><td[^>]*>\d+</td><td[^>]*>{word}<', html
        )
    assert "持平" in html


def test_a_point_page_has_the_timeline_of_who_recorded_what_when(
    repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    build(repo, out)
    page = (out / "points" / "R26-11.html").read_text(encoding="utf-8")
    sha = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    first = git(repo, "rev-parse", "--short=8", "HEAD~1").strip()
    row = re.search(rf'<tr data-commit="{sha}">(.*?)</tr>', page)
    assert row is not None, page
    assert (
        "2026-11-05" in row.group(1)
        and "李四" in row.group(1)
        and "闽科〔2026〕9号" in row.group(1)
    )
    assert f'data-commit="{first}"' in page and "张三" in page and "2026-09-10" in page
    # the point's first commit added it: its lead by name, as a person reads it, not by key
    data = tomllib.loads(git(repo, "show", "HEAD:ledger.toml"))
    lead = data["points"]["R26-11"]["lead"]
    added = re.search(rf'<tr data-commit="{first}">(.*?)</tr>', page)
    assert added is not None and f"（牵头：{data['units'][lead]['name']}）" in added.group(1)
    assert f"（牵头：{lead}）" not in page
    for part in ("节点", "延期记录", "月度进展", "结项销号", "留痕"):
        assert part in page


def test_outside_git_the_site_is_built_without_history(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    shutil.copy(ROOT / "ledger.toml", folder / "ledger.toml")
    out = tmp_path / "public"
    build(folder, out)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-previous-rank=""' in index and "新上榜" not in index
    assert "无记录时间线" in (out / "points" / "R26-01.html").read_text(encoding="utf-8")


def site_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file())


def test_static_self_contained_relative_links_that_resolve(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(repo, out)
    files = site_files(out)
    pages = [p for p in files if p.suffix == ".html"]
    ledger = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    points = re.findall(r"^\[points\.([^.\]]+)\]$", ledger, re.M)
    assert {p.stem for p in (out / "points").iterdir()} == set(points)
    assert len(pages) > len(points)
    assert [p.name for p in files if p.suffix == ".css"] == ["style.css"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text
        assert not re.search(r"(?:https?:)?//", text.replace("<!doctype html>", "")), page
        parsed = parse(page)
        for _tag, a in parsed.tags:
            target = a.get("href") or a.get("src")
            if target is None or target.startswith("#"):
                continue
            assert not target.startswith("/"), (page, target)
            assert (page.parent / target).resolve().is_file(), (page, target)
        tables = text.count("<table")
        assert text.count("<caption>") == tables and text.count("<thead>") == tables
    script = (out / "search-index.js").read_text(encoding="utf-8")
    assert "R26-01" in script and "points/R26-01.html" in script


def test_a_workspace_builds_the_same_figures(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    shutil.copy(ROOT / "ledger.toml", folder / "ledger.toml")
    split = run("workspace", "split", "--by", "group", cwd=folder)
    assert split.code == 0, split.stderr
    assert (folder / "reformctl.toml").exists()
    out = tmp_path / "public"
    build(folder, out)
    index = parse(out / "index.html")
    progress = cli_json(folder, "progress")
    assert [(r["data-key"], int(r["data-rank"])) for r in ranking_rows(index, "unit")] == [
        (p["key"], p["rank"]) for p in progress
    ]
    assert (out / "points" / "R26-01.html").is_file()


def test_user_text_is_escaped(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> "x" & \x1b[31m'
    text = BASE.replace('title = "深化集体林权制度改革"', f"title = {json.dumps(hostile)}")
    (tmp_path / "ledger.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "public"
    build(tmp_path, out)
    for page in site_files(out):
        body = page.read_text(encoding="utf-8")
        assert "<script>alert" not in body and "\x1b" not in body, page
    point = (out / "points" / "R26-01.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &amp; \\x1b[31m" in point
    assert "\\u003cscript>" in (out / "search-index.js").read_text(encoding="utf-8")


def test_a_second_build_replaces_its_own_files_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "ledger.toml").write_text(BASE, encoding="utf-8")
    out = tmp_path / "public"
    build(tmp_path, out)
    assert (out / "points" / "R26-01.html").is_file()
    (tmp_path / "ledger.toml").write_text(
        BASE.replace("[points.R26-01", "[points.R26-09"), encoding="utf-8"
    )
    build(tmp_path, out)
    assert not (out / "points" / "R26-01.html").exists()
    assert (out / "points" / "R26-09.html").is_file()


def test_a_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ledger.toml").write_text(BASE, encoding="utf-8")
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("site", "--out", str(out), cwd=tmp_path)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "docs" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run("site", "--out", str(tmp_path / "afile"), cwd=tmp_path)
    assert result.code == 2 and "afile" in result.stderr
    # a folder that cannot be made (under a file): refused with the reason, never exit 3
    result = run("site", "--out", str(tmp_path / "afile" / "site"), cwd=tmp_path)
    assert result.code == 2 and "afile" in result.stderr and "Traceback" not in result.stderr


def test_the_english_site(tmp_path: Path) -> None:
    (tmp_path / "ledger.toml").write_text(BASE, encoding="utf-8")
    out = tmp_path / "public"
    result = run("--today", TODAY, "--lang", "en", "site", "--out", str(out), cwd=tmp_path)
    assert result.code == 0 and "whole ledger in readable form" in result.stdout
    assert '<html lang="en">' in (out / "index.html").read_text(encoding="utf-8")


def test_a_workspace_in_git_keeps_the_history_from_before_the_split(
    repo: Path, tmp_path: Path
) -> None:
    split = run("workspace", "split", "--by", "group", cwd=repo)
    assert split.code == 0, split.stderr
    commit(repo, "split", "2026-11-10", "王五")
    out = tmp_path / "public"
    build(repo, out)
    page = (out / "points" / "R26-11.html").read_text(encoding="utf-8")
    shas = git(repo, "log", "--format=%h", "--abbrev=8").split()
    # recorded in the single ledger by 张三, done by 李四; the split itself recorded no fact
    assert f'data-commit="{shas[2]}"' in page and "张三" in page
    assert f'data-commit="{shas[1]}"' in page and "李四" in page
    assert f'data-commit="{shas[0]}"' not in page
    index = parse(out / "index.html")
    assert all(r["data-previous-rank"] for r in ranking_rows(index, "unit"))
