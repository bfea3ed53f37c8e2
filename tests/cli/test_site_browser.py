"""The static site in a real browser: Playwright (Python) driving Debian's `chromium` through
`executable_path` (never `playwright install`). One browser for the module, one site built by
the real CLI from the bundled ledger in a git repository with history.

Every page is opened from file://: no console error, no request leaving the site, every link
resolves; 375 px wide without horizontal scrolling; the print layout (A4); the figures shown
are the CLI's; the search works with scripts and every page without them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_process

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    import playwright.sync_api as pw
except ImportError:  # pragma: no cover - the test extra installs it
    pw = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.skipif(pw is None, reason="needs playwright (pip install -e '.[test]')"),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
]

TODAY = "2026-11-28"
SHOTS = os.environ.get("REFORMCTL_SITE_SHOTS")  # a folder: screenshots to look at


def _git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(the repository, the site): the bundled ledger committed in September, one milestone
    recorded done in November; the site built on TODAY. (Module-wide, so its environment is
    given here: the per-test isolation is not yet in place.)"""
    base = tmp_path_factory.mktemp("site-browser")
    home = base / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(base / "cache"),
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "张三",
        "GIT_AUTHOR_EMAIL": "z@example.org",
        "GIT_COMMITTER_NAME": "张三",
        "GIT_COMMITTER_EMAIL": "z@example.org",
        "REFORMCTL_LANG": "zh",
        "LANG": "C.UTF-8",
    }
    full = {**os.environ, **env}
    repo = base / "repo"
    repo.mkdir()
    _git(repo, full, "init", "-q", "-b", "main")
    shutil.copy(ROOT / "ledger.toml", repo / "ledger.toml")
    first = {**full, "GIT_AUTHOR_DATE": "2026-09-10T10:00:00+08:00"}
    _git(repo, first, "add", "-A")
    _git(repo, first, "commit", "-qm", "ledger")
    done = run_process(
        "--today", "2026-11-05", "done", "R26-11/rules", "--on", "2026-11-04",
        "--evidence", "闽科〔2026〕9号", cwd=repo, env=env,
    )  # fmt: skip
    assert done.code == 0, done.stderr
    second = {**full, "GIT_AUTHOR_NAME": "李四", "GIT_AUTHOR_DATE": "2026-11-05T10:00:00+08:00"}
    _git(repo, second, "commit", "-qam", "rules done")
    out = base / "public"
    result = run_process("--today", TODAY, "site", "--out", str(out), cwd=repo, env=env)
    assert result.code == 0, result.stderr
    yield repo, out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert pw is not None and CHROMIUM is not None
    with pw.sync_playwright() as p:
        # --no-sandbox: CI runs as root in a container, where chromium's sandbox cannot start
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


class Watched:
    """A page whose console errors, page errors and requests outside the site are kept."""

    def __init__(self, browser: Any, site: Path, width: int = 1280, **options: Any) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        self.errors: list[str] = []
        self.outside: list[str] = []
        root = site.resolve().as_uri()

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(root + "/"):
                r.continue_()
            else:
                self.outside.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, site: Path, rel: str) -> Any:
        self.page.goto((site / rel).resolve().as_uri(), wait_until="domcontentloaded")
        return self.page

    def close(self) -> None:
        self.context.close()


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_loads_clean_and_every_link_resolves(
    built: tuple[Path, Path], browser: Any
) -> None:
    _, site = built
    w = Watched(browser, site)
    try:
        every = pages_of(site)
        assert len(every) > 40
        for rel in every:
            page = w.open(site, rel)
            links = page.eval_on_selector_all(
                "a[href], link[href], script[src]", "els => els.map(e => e.href || e.src)"
            )
            for url in links:
                assert url.startswith("file://"), (rel, url)
                target = Path(url.split("#", 1)[0].removeprefix("file://"))
                assert target.is_file(), (rel, url)
            # the search: its index loads from file:// when the box is used
            if rel in ("index.html", "points/R26-01.html"):
                page.fill("#q", "林权")
                page.wait_for_selector("#search-results a")
        assert w.errors == []
        assert w.outside == []
    finally:
        w.close()


def test_the_search_finds_a_point_and_its_link_opens_it(
    built: tuple[Path, Path], browser: Any
) -> None:
    _, site = built
    w = Watched(browser, site)
    try:
        page = w.open(site, "units/lyj.html")
        page.fill("#q", "R26-01")
        page.click("#search-results a")
        page.wait_for_url("**/points/R26-01.html")
        assert "R26-01" in page.inner_text("h1")
        assert w.errors == [] and w.outside == []
    finally:
        w.close()


def test_without_scripts_every_page_is_usable(built: tuple[Path, Path], browser: Any) -> None:
    _, site = built
    w = Watched(browser, site, java_script_enabled=False)
    try:
        page = w.open(site, "index.html")
        assert not page.is_visible("#search")  # nothing that needs a script is shown
        page.click("header nav >> text=全部工作要点")
        page.click("text=R26-01")
        page.wait_for_url("**/points/R26-01.html")
        assert page.is_visible("text=留痕")
    finally:
        w.close()


@pytest.mark.parametrize(
    "rel",
    ["index.html", "units/lyj.html", "groups/economy.html", "points/R26-01.html", "due.html",
     "points.html", "mechanisms.html"],
)  # fmt: skip
def test_375_px_wide_without_horizontal_scrolling(
    built: tuple[Path, Path], browser: Any, rel: str
) -> None:
    _, site = built
    w = Watched(browser, site, width=375)
    try:
        page = w.open(site, rel)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client == 375, rel
        if SHOTS and rel in ("index.html", "units/lyj.html", "points/R26-01.html"):
            for width in (1280, 375):
                page.set_viewport_size({"width": width, "height": 900})
                name = rel.replace("/", "_").removesuffix(".html")
                page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    finally:
        w.close()


def test_print_layout_a4(built: tuple[Path, Path], browser: Any) -> None:
    _, site = built
    w = Watched(browser, site, width=794)  # A4's width at 96 dpi
    try:
        page = w.open(site, "index.html")
        page.emulate_media(media="print")
        assert not page.is_visible("header nav")
        assert page.evaluate(
            "[...document.querySelectorAll('tbody tr')].every(tr => "
            "getComputedStyle(tr).breakInside === 'avoid')"
        )
        assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == (
            "table-header-group"
        )
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 794
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        w.close()


def test_the_figures_shown_are_the_clis(built: tuple[Path, Path], browser: Any) -> None:
    repo, site = built
    result = run_process("--today", TODAY, "progress", "--format", "json", cwd=repo)
    progress = json.loads(result.stdout)
    w = Watched(browser, site)
    try:
        page = w.open(site, "index.html")
        shown = page.eval_on_selector_all(
            "table.unit tbody tr",
            "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))",
        )
        assert len(shown) == len(progress)
        for cells, p in zip(shown, progress, strict=True):
            assert cells[0] == str(p["rank"])
            assert cells[4:9] == [
                str(p[k]) for k in ("milestones", "due_to_date", "done", "done_late", "overdue")
            ]
            assert cells[9] == f"{round(p['completion'] * 100)}%"
            assert cells[10] == f"{round(p['expected'] * 100)}%"
            assert cells[3] in ("红", "黄", "绿", "灰")  # the light as a word
        overdue = run_process("--today", TODAY, "overdue", "--format", "json", cwd=repo)
        items = json.loads(overdue.stdout)
        figure = page.inner_text("[data-figure=overdue] dd")
        assert figure == str(len(items))
    finally:
        w.close()


CONTRAST = """
() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) { return c.slice(0, 3); }
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.offsetParent && el.tagName !== "BODY") { continue; }
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) { low.push([el.tagName, el.className, el.textContent.trim(), ratio]); }
  }
  return low;
}
"""


@pytest.mark.parametrize("rel", ["index.html", "units/lyj.html", "points/R26-01.html"])
def test_text_contrast_is_aa(built: tuple[Path, Path], browser: Any, rel: str) -> None:
    """Every piece of visible text against the background it sits on: 4.5:1 at least (WCAG
    AA for body text), the lights' words on their badges included."""
    _, site = built
    w = Watched(browser, site)
    try:
        page = w.open(site, rel)
        assert page.locator(".light").count() > 0
        assert page.evaluate(CONTRAST) == []
    finally:
        w.close()
