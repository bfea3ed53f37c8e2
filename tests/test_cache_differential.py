"""Issue 22: the cache is an optimisation that never changes an answer.

Every read command runs over random ledgers (valid or not) and random workspaces three ways:
with the cache off, with an empty cache (cold: every entry is made), and again (warm: every
entry is read), the warm runs in the other language first, so that an entry made for one
language cannot answer for the other. Their exit codes, stdout and stderr must be the same,
byte for byte. ``git textconv`` of a workspace file is also run on the same bytes outside the
workspace first. This test runs in CI (it is not marked slow).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, TODAY, examples, run

UNITS = [("fgw", "省发改委"), ("lyj", "省林业局"), ("czt", "省财政厅"), ("wjw", "省卫健委")]
GROUPS = [("economy", "经济体制改革专项小组"), ("social", "社会体制改革专项小组")]
YEAR_START = dt.date(2026, 1, 1)


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def ledger_texts(draw: st.DrawFn) -> str:
    """A ledger as a clerk's file could be: units, groups, points with milestones (some done,
    late, extended, some done after today), monthly progress, a closed point; now and then
    a reference to a unit declared nowhere (a problem every command must report alike)."""
    day = st.integers(0, 364).map(lambda n: YEAR_START + dt.timedelta(days=n))
    units = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=4, unique=True))
    keys = [k for k, _ in units]
    out = ["schema = 1", "", "[ledger]", 'title = "测试台账"', "year = 2026"]
    out += ['timezone = "Asia/Shanghai"', f"soon_days = {draw(st.integers(0, 30))}", ""]
    for k, name in units:
        out += [f"[units.{k}]", f"name = {q(name)}", ""]
    groups = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=2, unique=True))
    for k, name in groups:
        out += [f"[groups.{k}]", f"name = {q(name)}", f"lead = {q(keys[0])}", ""]
    for i in range(draw(st.integers(1, 6))):
        pid = f"R26-{i + 1:02d}"
        lead = draw(st.sampled_from([*keys, *keys, "ghost"]) if i == 0 else st.sampled_from(keys))
        group = draw(st.sampled_from([g for g, _ in groups]))
        major = draw(st.booleans())
        out += [f"[points.{pid}]", f'title = "工作要点{i}"', f"group = {q(group)}"]
        out += [f"lead = {q(lead)}", "units = []", 'path = "路径"', 'outcome = "文件"']
        out += [f"major = {str(major).lower()}", ""]
        all_done = True
        for j in range(draw(st.integers(0, 4))):
            due = draw(day)
            out += [f"[points.{pid}.milestones.m{j}]", f'name = "节点{j}"', f"due = {due}"]
            if draw(st.booleans()):
                to = due + dt.timedelta(days=draw(st.integers(1, 60)))
                out.append(
                    f'extensions = [{{ to = {to}, reason = "延期", approved_by = "{keys[0]}" }}]'
                )
            if draw(st.booleans()):
                out += [f"done = {draw(day)}", f'evidence = "闽〔2026〕{j}号"']
            else:
                all_done = False
            out.append("")
        if major and draw(st.booleans()):
            months = draw(st.lists(st.integers(1, 11), max_size=4, unique=True))
            out.append(f"[points.{pid}.progress]")
            out += [f'2026-{m:02d} = "第{m}月进展"' for m in sorted(months)]
            out.append("")
        if all_done and draw(st.booleans()):
            out.insert(out.index(f"[points.{pid}]") + 8, "closed = 2026-10-20")
            out.insert(out.index(f"[points.{pid}]") + 9, 'closing_evidence = "销号"')
    return "\n".join(out) + "\n"


def git(repo: Path, *args: str, date: str = "2026-06-01T10:00:00+08:00") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    import os

    subprocess.run(
        ["git", "-c", "user.name=办公室", "-c", "user.email=ggb@example.cn", *args],
        cwd=repo,
        capture_output=True,
        check=True,
        env={**os.environ, **env},
    )


def commands(workspace: bool, member: str | None) -> list[list[str]]:
    return [
        ["list", "--format", "json"],
        ["show", "R26-01"],
        ["overdue", "--format", "plain"],
        ["overdue", "--soon", "30", "--format", "json"],
        ["progress", "--by", "unit", "--format", "json"],
        ["progress", "--by", "group", "--format", "csv"],
        ["report", "half", "--period", "2"],
        ["report", "year"],
        ["report", "quarter", "--period", "3"],
        ["diff", "HEAD~1", "HEAD"],
        ["history", "--format", "json"],
        *(["check", "--format", f] for f in ("text", "json", "github", "gitlab", "junit", "sarif")),
        ["git", "textconv", member if workspace and member else "ledger.toml"],
    ]


# what the other language is also compared on: the answers cached as worded text
WORDED = ("history", "textconv", "text")
_NOW = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")


def answers(folder: Path, env: dict[str, str], lang: str, reads: list[list[str]]) -> list[str]:
    """Each command's exit code, stdout and stderr, run in ``folder`` (the moment a report
    says it was made, a clock's reading, left out: the ledger holds dates, never times)."""
    import os

    out = []
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        for args in reads:
            result = run("--lang", lang, *args, env=env)
            said = f"{args}\n{result.code}\n{result.stdout}\n--stderr--\n{result.stderr}"
            out.append(_NOW.sub("<now>", said))
    finally:
        os.chdir(cwd)
    return out


def make_repo(folder: Path, text: str, workspace: bool) -> str | None:
    """A repository of two commits: the ledger without its progress entries, then whole; as
    a workspace when asked (split by group). The first ledger file of a workspace, if any."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "ledger.toml").write_text(text.split("\n[points.R26-01]")[0] + "\n", "utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "一")
    (folder / "ledger.toml").write_text(text, encoding="utf-8")
    member = None
    if workspace:
        import os

        cwd = Path.cwd()
        os.chdir(folder)
        try:
            split = run("workspace", "split", "--by", "group", env={"REFORMCTL_CACHE": "off"})
        finally:
            os.chdir(cwd)
        if split.code != 0:  # a ledger that cannot be split (a problem in it): read as one
            (folder / "ledger.toml").write_text(text, encoding="utf-8")
        else:
            files = sorted((folder / "groups").glob("*.toml"))
            member = files[0].relative_to(folder).as_posix() if files else None
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "二", date="2026-09-01T10:00:00+08:00")
    return member


def differential(tmp_path: Path, text: str, workspace: bool, langs: tuple[str, str]) -> None:
    first, other = langs
    folder = tmp_path / "office"
    member = make_repo(folder, text, workspace)
    reads = commands(workspace, member)
    where = tmp_path / "cache"
    if where.exists():
        shutil.rmtree(where)
    off = {"REFORMCTL_CACHE": "off", "REFORMCTL_TODAY": TODAY}
    on = {"REFORMCTL_CACHE": "sync", "REFORMCTL_CACHE_DIR": str(where), "REFORMCTL_TODAY": TODAY}
    outside = None
    if member is not None:  # the same bytes read alone, outside the workspace
        alone = tmp_path / "alone"
        alone.mkdir(exist_ok=True)
        shutil.copy(folder / member, alone / "ledger.toml")
        textconv = [["git", "textconv", "ledger.toml"]]
        outside = (alone, textconv)
        answers(alone, on, first, textconv)  # cached first, then the workspace reads below
    worded = [args for args in reads if any(a in WORDED for a in args)]
    expected = answers(folder, off, first, reads)
    expected_other = answers(folder, off, other, worded)
    cold = answers(folder, on, first, reads)
    assert list(where.glob("*model-*.bin")), "the cold runs made no entry: nothing compared"
    warm_other = answers(folder, on, other, worded)
    warm = answers(folder, on, first, reads)
    for got, want in ((cold, expected), (warm_other, expected_other), (warm, expected)):
        for a, b in zip(got, want, strict=True):
            assert a == b
    if outside is not None:
        alone, textconv = outside
        assert answers(alone, on, first, textconv) == answers(alone, off, first, textconv)


LANGS = st.sampled_from([("zh", "en"), ("en", "zh")])
SETTINGS = settings(
    max_examples=examples(12),  # 3 under ci: each example is ~60 runs
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(text=ledger_texts(), langs=LANGS)
def test_every_read_command_answers_alike_with_and_without_the_cache(
    tmp_path: Path, text: str, langs: tuple[str, str]
) -> None:
    differential(tmp_path, text, workspace=False, langs=langs)


@SETTINGS
@given(text=ledger_texts(), langs=LANGS)
def test_every_read_command_of_a_workspace_answers_alike_with_and_without_the_cache(
    tmp_path: Path, text: str, langs: tuple[str, str]
) -> None:
    differential(tmp_path, text, workspace=True, langs=langs)


# -- issue 25: a read command's whole answer, kept (reformctl.answers) ------------------------

# what the console script may answer from an entry, and one of each kind it must not keep
ANSWERED = [
    ["overdue", "--format", "plain"],
    ["overdue", "--soon", "30", "--format", "json"],
    ["progress", "--by", "group", "--format", "csv"],
    ["list", "--format", "json"],
    ["show", "R26-01"],
    ["check"],
    ["check", "--format", "json"],  # not kept: the CI formats say when they ran
    ["show", "R26-99"],  # exit 2, kept as it is
]


def process(folder: Path, args: list[str], env: dict[str, str], *flags: str) -> str:
    """The module entry point (what the console script runs) as a real process in ``folder``:
    its exit code, stdout and stderr."""
    import os
    import sys

    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    proc = subprocess.run(
        [sys.executable, *flags, "-m", "reformctl", "--ledger", "ledger.toml", *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": path, **env},
        capture_output=True,
        timeout=120,
    )
    said = f"{args}\n{proc.returncode}\n".encode() + proc.stdout + b"\n--stderr--\n" + proc.stderr
    return _NOW.sub("<now>", said.decode("utf-8", "replace"))


@settings(max_examples=examples(8), deadline=None, suppress_health_check=list(HealthCheck))
@given(text=ledger_texts(), lang=st.sampled_from(["zh", "en"]))
def test_a_kept_answer_is_the_answer_byte_for_byte(tmp_path: Path, text: str, lang: str) -> None:
    """Real processes, cache off, cold (the answers are made) and warm (they are read): the
    same exit code, stdout and stderr; the warm runs come from entries."""
    folder = tmp_path / "office"
    folder.mkdir(exist_ok=True)
    (folder / "ledger.toml").write_text(text, encoding="utf-8")
    where = tmp_path / "cache"
    shutil.rmtree(where, ignore_errors=True)
    base = {"REFORMCTL_TODAY": TODAY, "REFORMCTL_LANG": lang, "REFORMCTL_CACHE_DIR": str(where)}
    off = [process(folder, a, {**base, "REFORMCTL_CACHE": "off"}) for a in ANSWERED]
    cold = [process(folder, a, base) for a in ANSWERED]
    assert len(list(where.glob("answer-*.bin"))) == len(ANSWERED) - 1  # all but check json
    warm = [process(folder, a, base) for a in ANSWERED]
    assert cold == off
    assert warm == off


def test_an_answer_is_read_before_typer_is_imported_and_never_for_other_bytes(
    tmp_path: Path,
) -> None:
    """The warm run imports no typer (it is answered from the entry); one byte changed in the
    ledger (a done date) is a new answer, the same as with the cache off."""
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    (tmp_path / "ledger.toml").write_text(text, encoding="utf-8")
    env = {"REFORMCTL_TODAY": TODAY, "REFORMCTL_CACHE_DIR": str(tmp_path / "cache")}
    args = ["overdue", "--format", "plain"]
    first = process(tmp_path, args, env)
    traced = process(tmp_path, args, env, "-X", "importtime")
    out, _, imports = traced.partition("--stderr--")
    assert out == first.partition("--stderr--")[0]
    assert "typer" not in imports and "reformctl.model" not in imports
    assert "reformctl.answers" in imports  # (the trace is there: the test can fail)
    changed = text.replace("due = 2026-06-30", "due = 2026-06-29", 1)
    assert changed != text
    (tmp_path / "ledger.toml").write_text(changed, encoding="utf-8")
    assert process(tmp_path, args, env) == process(
        tmp_path, args, {**env, "REFORMCTL_CACHE": "off"}
    )


def test_an_answer_is_not_kept_on_the_real_clock_nor_for_a_workspace(tmp_path: Path) -> None:
    """No day pinned: nothing kept (the day is the clock's); a ledger of a workspace: nothing
    kept (its files are several)."""
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    (tmp_path / "ledger.toml").write_text(text, encoding="utf-8")
    where = tmp_path / "cache"
    env = {"REFORMCTL_TODAY": "", "REFORMCTL_CACHE_DIR": str(where)}
    process(tmp_path, ["list", "--format", "json"], env)
    assert not list(where.glob("answer-*.bin"))
    (tmp_path / "reformctl.toml").write_text("", encoding="utf-8")
    process(tmp_path, ["list", "--format", "json"], {**env, "REFORMCTL_TODAY": TODAY})
    assert not list(where.glob("answer-*.bin"))


def test_a_warm_diff_parses_nothing_and_answers_as_without_the_cache(tmp_path: Path) -> None:
    """Issue 25: `diff` with the cache never slower than without it: both sides' data come
    from the entries of their exact bytes (pytomlpp is not even imported), the same bytes out
    as with the cache off."""
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    (tmp_path / "ledger.toml").write_text(text, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "一")
    changed = text.replace("due = 2026-06-30", "due = 2026-07-31", 1)
    assert changed != text
    (tmp_path / "ledger.toml").write_text(changed, encoding="utf-8")
    env = {"REFORMCTL_TODAY": TODAY, "REFORMCTL_CACHE_DIR": str(tmp_path / "cache")}
    off = process(tmp_path, ["diff"], {**env, "REFORMCTL_CACHE": "off"})
    assert "2026-07-31" in off
    assert process(tmp_path, ["diff"], {**env, "REFORMCTL_CACHE": "sync"}) == off
    traced = process(tmp_path, ["diff"], env, "-X", "importtime")
    out, _, imports = traced.partition("--stderr--")
    assert out == off.partition("--stderr--")[0]
    assert "reformctl.facts" in imports  # (the trace is there: the test can fail)
    assert "pytomlpp" not in imports


def test_an_answer_is_not_kept_when_the_ledger_was_written_while_it_ran(tmp_path: Path) -> None:
    """The key holds the bytes read before the CLI ran: a write in between (here made by a
    sitecustomize just before the CLI starts) leaves nothing kept; the same run untouched
    keeps its answer (the test can fail)."""
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    (tmp_path / "ledger.toml").write_text(text, encoding="utf-8")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import pathlib\n"
        "import reformctl.answers as answers\n"
        "_caught = answers._caught\n"
        "def caught(run, files):\n"
        "    p = pathlib.Path('ledger.toml')\n"
        "    p.write_text(p.read_text(encoding='utf-8') + '# 改\\n', encoding='utf-8')\n"
        "    return _caught(run, files)\n"
        "answers._caught = caught\n",
        encoding="utf-8",
    )
    import os

    where = tmp_path / "cache"
    env = {"REFORMCTL_TODAY": TODAY, "REFORMCTL_CACHE_DIR": str(where)}
    path = os.pathsep.join([str(hooks), str(ROOT), os.environ.get("PYTHONPATH", "")])
    process(tmp_path, ["list", "--format", "json"], {**env, "PYTHONPATH": path})
    assert (tmp_path / "ledger.toml").read_text(encoding="utf-8").endswith("# 改\n")
    assert not list(where.glob("answer-*.bin"))
    process(tmp_path, ["list", "--format", "json"], env)
    assert len(list(where.glob("answer-*.bin"))) == 1
