"""The merge driver loses nothing: real git repositories, a commit on each of two branches, a
real `git merge`; and a Hypothesis property over random pairs of edits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger.gitio import merge_file_text
from reformctl.ledger.loader import load
from reformctl.ledger.merge import merge
from reformctl.ledger.parse import loads
from tests.conftest import BASE, DATA, examples, run
from tests.test_git import branch, git, merged

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def setup_repo(folder: Path, text: str, raw: bytes | None = None) -> Path:
    git(folder, "init", "-q", "-b", "main")
    path = folder / "ledger.toml"
    path.write_bytes(raw if raw is not None else text.encode("utf-8"))
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "ledger")
    assert run("git", "install").code == 0
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "install")
    return path


def edit_text(repo: Path, name: str, change: object) -> None:
    """A branch whose commit edits the file by hand (a comment, a reformat)."""
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", name)
    path = repo / "ledger.toml"
    path.write_bytes(change(path.read_bytes()))  # type: ignore[operator]
    git(repo, "commit", "-qam", name)


def test_comments_from_both_sides_survive(tmp_path: Path) -> None:
    path = setup_repo(tmp_path, (DATA / "golden-ledger.toml").read_text(encoding="utf-8"))
    edit_text(
        tmp_path,
        "a",
        lambda b: b.replace(
            b"[points.R26-03]\n", "# 甲：标准地改革由自然资源厅牵头\n[points.R26-03]\n".encode()
        ),
    )
    branch(tmp_path, "b", ("done", "R26-03/evaluation", "-e", "乙文号"))
    proc = merged(tmp_path, "b", "a")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = path.read_text(encoding="utf-8")
    assert "# 甲：标准地改革由自然资源厅牵头\n[points.R26-03]\n" in text
    assert 'evidence = "乙文号"' in text
    assert load(path).problems == []


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode()
    path = setup_repo(tmp_path, "", raw)
    git(tmp_path, "config", "core.autocrlf", "false")
    branch(tmp_path, "a", ("log", "R26-01", "甲", "--month", "2026-11"))
    branch(tmp_path, "b", ("done", "R26-01/pilot", "-e", "乙"))
    proc = merged(tmp_path, "a", "b")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new = path.read_bytes()
    assert new.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert new.endswith(b"\r\n")
    data = loads(new.decode("utf-8").removeprefix("\ufeff"))
    assert data["points"]["R26-01"]["progress"]["2026-11"] == "甲"
    assert data["points"]["R26-01"]["milestones"]["pilot"]["evidence"] == "乙"


def test_a_side_saved_in_gbk_falls_back_to_a_line_merge(tmp_path: Path) -> None:
    path = setup_repo(tmp_path, BASE)
    edit_text(tmp_path, "gbk", lambda b: b.decode("utf-8").encode("gbk"))
    branch(tmp_path, "a", ("log", "R26-01", "甲", "--month", "2026-11"))
    proc = merged(tmp_path, "a", "gbk")
    assert proc.returncode != 0  # whole-file change against ours: git's markers, for a person
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stdout + proc.stderr
    assert "git merge-file" in proc.stdout + proc.stderr
    assert b"<<<<<<< ours" in path.read_bytes()


def test_a_side_that_only_reformatted_merges_cleanly(tmp_path: Path) -> None:
    messy = BASE.replace('name = "省发改委"', 'name   =   "省发改委"   ').replace(
        "[units.lyj]", "\n\n[units.lyj]"
    )
    path = setup_repo(tmp_path, messy)
    git(tmp_path, "checkout", "-q", "-b", "fmt")
    assert run("fmt").code == 0
    git(tmp_path, "commit", "-qam", "fmt")
    branch(tmp_path, "a", ("log", "R26-01", "甲", "--month", "2026-11"))
    proc = merged(tmp_path, "a", "fmt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert run("fmt", "--check").code == 0
    assert (
        loads(path.read_text(encoding="utf-8"))["points"]["R26-01"]["progress"]["2026-11"] == "甲"
    )


def test_a_merge_that_breaks_a_rule_is_a_conflict(tmp_path: Path) -> None:
    path = setup_repo(tmp_path, (DATA / "golden-ledger.toml").read_text(encoding="utf-8"))
    branch(
        tmp_path,
        "close",
        ("done", "R26-03/evaluation", "-e", "文号"),
        ("close", "R26-03", "--evidence", "销号文号"),
    )
    branch(
        tmp_path,
        "more",
        ("milestone", "add", "R26-03/more", "--name", "再评估", "--due", "2026-12-30"),
    )
    proc = merged(tmp_path, "close", "more")
    assert proc.returncode != 0
    text = path.read_text(encoding="utf-8")
    assert (
        "# reformctl 合并冲突：合并结果违反规则——工作要点 R26-03 已销号，但节点 more 尚未完成"
        in text
    )
    assert "CONFLICT" in proc.stdout


def test_feedback_added_on_two_branches_does_not_collide(tmp_path: Path) -> None:
    setup_repo(tmp_path, BASE + '\n[outposts.jj]\nname = "晋江"\nkind = "county"\n')
    branch(tmp_path, "a", ("feedback", "add", "--outpost", "jj", "甲的反馈"))
    branch(tmp_path, "b", ("feedback", "add", "--outpost", "jj", "乙的反馈"))
    proc = merged(tmp_path, "a", "b")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    texts = sorted(f.text for f in load(tmp_path / "ledger.toml").valid().feedback.values())
    assert texts == ["乙的反馈", "甲的反馈"]


# -- a property over random pairs of edits ------------------------------------------------------
EDITS = st.sampled_from(
    [
        ("done", "R26-01/pilot", "-e", "{who}文号"),
        ("log", "R26-01", "{who}进展", "--month", "2026-11"),
        ("milestone", "add", "R26-01/{who}", "--name", "{who}节点", "--due", "2026-12-30"),
        ("extend", "R26-01/pilot", "--to", "2026-12-31", "--reason", "{who}理由"),
        ("comment", "[units.lyj]"),
        ("comment", "[points.R26-01.progress]"),
        ("unit", "add", "{who}u", "{who}单位"),
    ]
)


def apply(folder: Path, who: str, edits: list[tuple[str, ...]]) -> str:
    path = folder / "ledger.toml"
    path.write_text(BASE, encoding="utf-8")
    cwd = Path.cwd()
    import os

    os.chdir(folder)
    try:
        for edit in edits:
            if edit[0] == "comment":
                text = path.read_text(encoding="utf-8")
                path.write_text(
                    text.replace(edit[1] + "\n", f"# {who}的注释\n{edit[1]}\n", 1), encoding="utf-8"
                )
            else:
                run(*(a.format(who=who) for a in edit))
    finally:
        os.chdir(cwd)
    return path.read_text(encoding="utf-8")


def facts(text: str) -> set[tuple[str, str]]:
    from reformctl.facts import flatten

    return {(".".join(f.path) + "." + f.field, repr(f.value)) for f in flatten(loads(text))}


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(EDITS, max_size=3), st.lists(EDITS, max_size=3))
def test_every_fact_and_comment_from_both_sides_or_a_conflict(
    tmp_path: Path, ours_edits: list[tuple[str, ...]], theirs_edits: list[tuple[str, ...]]
) -> None:
    import tempfile

    with (
        tempfile.TemporaryDirectory(dir=tmp_path) as a,
        tempfile.TemporaryDirectory(dir=tmp_path) as b,
    ):
        ours = apply(Path(a), "甲", ours_edits)
        theirs = apply(Path(b), "乙", theirs_edits)
    result = merge(BASE, ours, theirs, "ledger.toml", line_merge=merge_file_text)
    if result.conflicts:
        return  # git reports it; a person decides
    base_facts = facts(BASE)
    merged_facts = facts(result.text)
    for side in (ours, theirs):
        assert facts(side) - base_facts <= merged_facts
        for line in side.splitlines():
            if line.startswith("# ") and line not in BASE:
                assert line in result.text


# -- what the adversarial review found -----------------------------------------------------------
def _merge(base: str, ours: str, theirs: str) -> tuple[str, list[str]]:
    result = merge(base, ours, theirs, "ledger.toml", line_merge=merge_file_text)
    return result.text, result.conflicts


def test_a_comment_that_cannot_be_placed_is_marked_in_the_file() -> None:
    ours = BASE.replace('title = "深化集体林权制度改革"', 'title = "新标题A"')
    theirs = BASE.replace(
        'title = "深化集体林权制度改革"', 'title = "深化集体林权制度改革"  # 注释B'
    )
    text, conflicts = _merge(BASE, ours, theirs)
    assert conflicts
    assert "<<<<<<<" in text and "# 注释B" in text


def test_a_comment_inside_a_multiline_array_is_kept_or_a_conflict() -> None:
    base = BASE.replace('units = ["fgw"]', 'units = [\n  "fgw",\n]')
    ours = base.replace('title = "深化集体林权制度改革"', 'title = "甲"')
    theirs = base.replace('  "fgw",\n', '  "fgw",  # 发改\n')
    text, conflicts = _merge(base, ours, theirs)
    assert '"fgw",  # 发改' in text or conflicts


def test_a_comment_repeated_from_elsewhere_in_the_base_is_kept() -> None:
    base = BASE.replace("[units.lyj]", "# 待核实\n[units.lyj]")
    ours = base.replace('title = "深化集体林权制度改革"', 'title = "甲"').replace(
        'group = "economy"\nlead = "lyj"', 'group = "economy"\nlead = "fgw"'
    )
    theirs = base.replace(
        'title = "深化集体林权制度改革"\n', 'title = "深化集体林权制度改革"\n# 待核实\n'
    )
    text, conflicts = _merge(base, ours, theirs)
    assert text.count("# 待核实") == 2 or conflicts


def test_a_table_added_under_a_point_the_other_side_removed_is_a_conflict() -> None:
    base = (
        BASE
        + '\n[points.R26-09]\ntitle = "九"\ngroup = "economy"\nlead = "fgw"\nunits = []\npath = ""\noutcome = ""\nmajor = false\n'
    )
    ours = BASE
    theirs = base + '\n[points.R26-09.progress]\n2026-11 = "进展"\n'
    text, conflicts = _merge(base, ours, theirs)
    assert conflicts and "<<<<<<<" in text


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_line_merge_that_is_not_a_valid_ledger_is_a_conflict(tmp_path: Path) -> None:
    setup_repo(tmp_path, BASE)
    branch(tmp_path, "a", ("unit", "add", "zz", "测试"))
    edit_text(tmp_path, "b", lambda b: b.replace(b"year = 2026", b"year = = 2026"))
    proc = merged(tmp_path, "a", "b")
    assert proc.returncode != 0
    assert "CONFLICT" in proc.stdout


def test_a_table_only_they_reordered_keeps_their_layout() -> None:
    # adjacent edits of [ledger] on both sides: git's line merge conflicts, the keyed one does not
    ours = BASE.replace('title = "测试台账"', 'title = "甲台账"')
    theirs = BASE.replace("year = 2026", "year = 2027").replace(
        'title = "深化集体林权制度改革"\ngroup = "economy"\nlead = "lyj"',
        'lead = "lyj"\ngroup = "economy"\ntitle = "深化集体林权制度改革"',
    )
    text, conflicts = _merge(BASE, ours, theirs)
    assert not conflicts
    assert 'lead = "lyj"\ngroup = "economy"\ntitle = "深化集体林权制度改革"' in text
    assert 'title = "甲台账"\nyear = 2027' in text


def test_a_table_they_reordered_takes_a_value_we_changed_in_it() -> None:
    # only theirs rewrote the layout; ours changed a fact: no conflict (issue 22)
    ours = BASE.replace('title = "深化集体林权制度改革"', 'title = "新标题A"')
    theirs = BASE.replace(
        'title = "深化集体林权制度改革"\ngroup = "economy"\nlead = "lyj"\nunits = ["fgw"]',
        'units = ["fgw"]\nlead = "lyj"\ngroup = "economy"\ntitle = "深化集体林权制度改革"',
    )
    for a, b in ((ours, theirs), (theirs, ours)):
        text, conflicts = _merge(BASE, a, b)
        assert not conflicts
        assert 'units = ["fgw"]\nlead = "lyj"\ngroup = "economy"\ntitle = "新标题A"' in text


def test_a_table_both_reordered_is_a_layout_conflict_that_says_why() -> None:
    ours = BASE.replace(
        'title = "深化集体林权制度改革"\ngroup = "economy"',
        'group = "economy"\ntitle = "新标题A"',
    )
    theirs = BASE.replace(
        'title = "深化集体林权制度改革"\ngroup = "economy"\nlead = "lyj"\nunits = ["fgw"]',
        'units = ["fgw"]\nlead = "lyj"\ngroup = "economy"\ntitle = "深化集体林权制度改革"',
    )
    text, conflicts = _merge(BASE, ours, theirs)
    assert conflicts == ["points.R26-01 (布局)"]
    assert "<<<<<<< ours （布局冲突：双方都调整了此表中键的顺序" in text
    assert ">>>>>>> theirs\n" in text
