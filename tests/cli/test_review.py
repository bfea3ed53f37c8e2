"""`review` and `git codeowners` through the real CLI, in real git repositories with commits by
members of different units, of the office and of none; a single ledger and a two-file
workspace."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run

OFFICE = ("陈明", "chenming@ggb.example")
FOREST = ("郑涛", "zhengtao@lyj.example")  # 省林业局: leads R26-01
FINANCE = ("吴静", "WuJing@czt.example")  # 省财政厅: co-operates on R26-01
STRANGER = ("某人", "someone@example.com")

SHARED = """\
schema = 1

[ledger]
title = "测试台账"
year = 2026
office_unit = "ggb"

[units.ggb]
name = "省委改革办"
members = ["陈明 <chenming@ggb.example>"]

[units.lyj]
name = "省林业局"
members = ["郑涛 <zhengtao@lyj.example>"]

[units.czt]
name = "省财政厅"
members = ["wujing@czt.example"]

[units.fgw]
name = "省发改委"

[groups.ecology]
name = "生态文明体制改革专项小组"
lead = "lyj"
"""

POINTS = """\
[points.R26-01]
title = "深化集体林权制度改革"
group = "ecology"
lead = "lyj"
units = ["czt"]
path = "出台政策文件"
outcome = "政策文件"

[points.R26-01.milestones.plan]
name = "出台实施方案"
due = 2026-03-31

[points.R26-01.milestones.pilot]
name = "开展试点"
due = 2026-06-30

[points.R26-01.progress]
2026-03 = "实施方案起草中"
"""


def git(repo: Path, *args: str, who: tuple[str, str] | None = None) -> str:
    name, email = who or OFFICE
    cmd = ["git", "-c", f"user.name={name}", "-c", f"user.email={email}", *args]
    return subprocess.run(cmd, cwd=repo, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, who: tuple[str, str], message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message, who=who)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def single(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "ledger.toml").write_text(SHARED + "\n" + POINTS, encoding="utf-8")
    commit(repo, OFFICE, "台账")
    git(repo, "tag", "base")
    os.chdir(repo)
    return repo / "ledger.toml"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    repo = tmp_path / "ws"
    (repo / "groups").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "reformctl.toml").write_text(
        '[workspace]\nshared = "shared.toml"\nledgers = ["groups/*.toml"]\n', encoding="utf-8"
    )
    (repo / "shared.toml").write_text(SHARED, encoding="utf-8")
    (repo / "groups" / "ecology.toml").write_text("schema = 1\n\n" + POINTS, encoding="utf-8")
    commit(repo, OFFICE, "工作区")
    git(repo, "tag", "base")
    os.chdir(repo)
    return repo / "groups" / "ecology.toml"


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def the_story(ledger: Path) -> None:
    """Six commits by four authors, one of them merged from a branch."""
    edit(
        ledger,
        "due = 2026-03-31\n",
        'due = 2026-03-31\ndone = 2026-03-28\nevidence = "闽林〔2026〕3号"\n',
    )
    commit(
        ledger.parent if ledger.name == "ledger.toml" else ledger.parent.parent, FOREST, "方案印发"
    )
    repo = Path.cwd()
    edit(ledger, "due = 2026-06-30\n", "due = 2026-07-31\n")
    commit(repo, FOREST, "试点时限顺延")
    edit(
        ledger,
        '2026-03 = "实施方案起草中"\n',
        '2026-03 = "实施方案起草中"\n2026-04 = "配套资金到位"\n',
    )
    commit(repo, FINANCE, "财政厅报进展")
    # a branch, merged by the office
    git(repo, "checkout", "-q", "-b", "czt")
    edit(ledger, "due = 2026-07-31\n", "due = 2026-07-31\ndone = 2026-07-20\n")
    commit(repo, FINANCE, "财政厅记完成")
    git(repo, "checkout", "-q", "main")
    with ledger.open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[points.R26-02]\ntitle = "深化医改"\ngroup = "ecology"\nlead = "fgw"\n'
            'units = []\npath = ""\noutcome = ""\n'
        )
    commit(repo, OFFICE, "新增要点")
    git(repo, "merge", "-q", "--no-ff", "-m", "合并财政厅分支", "czt", who=OFFICE)
    edit(ledger, '2026-04 = "配套资金到位"\n', '2026-04 = "配套资金到位"\n2026-05 = "外人"\n')
    commit(repo, STRANGER, "外人改台账")


def check_story(ledger: Path, prefix: str) -> None:
    result = run("review", "base", "--format", "json")
    assert result.code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False
    got = [
        (c["subject"], c["email"], ch["kind"], ch["reason"], ch["ok"])
        for c in report["commits"]
        for ch in c["changes"]
    ]
    assert got == [
        ("方案印发", FOREST[1], "done", "lead", True),
        ("试点时限顺延", FOREST[1], "milestone-changed", "office-only", False),
        ("财政厅报进展", FINANCE[1], "progress-added", "co-operating", True),
        ("新增要点", OFFICE[1], "point-added", "office", True),
        ("财政厅记完成", FINANCE[1], "done", "lead-only", False),
        ("外人改台账", STRANGER[1], "progress-added", "not-member", False),
    ]
    merge = [c for c in report["commits"] if len(c["parents"]) == 2]
    assert merge == []  # the merge made no change of its own: its side's commit is judged
    by_subject = {c["subject"]: c for c in report["commits"]}
    assert by_subject["财政厅报进展"]["units"] == ["czt"]  # matched without regard to case
    assert by_subject["外人改台账"]["member"] is False
    due = by_subject["试点时限顺延"]["changes"][0]
    assert (due["file"], due["line"]) == (prefix + ledger.name, line_of(ledger, "due = 2026-07-31"))
    done = by_subject["财政厅记完成"]["changes"][0]
    assert done["line"] == line_of(ledger, "done = 2026-07-20")

    text = run("review", "base", "HEAD")
    assert text.code == 1
    assert "郑涛 <zhengtao@lyj.example>（省林业局）：方案印发" in text.stdout
    assert "「深化集体林权制度改革」节点 R26-01/plan 完成" in text.stdout
    assert "超出职责范围：此类变化须由省委改革办办理" in text.stdout
    assert "超出职责范围：完成情况和佐证由牵头单位省林业局填报" in text.stdout
    assert "某人 <someone@example.com>（不是任何单位的成员，变化未经核实）" in text.stdout
    assert "（牵头：省发改委）" in text.stdout  # names, not keys
    assert text.stdout.splitlines()[-1].endswith("6 处变化，其中 3 处超出职责范围")

    github = run("review", "base", "HEAD", "--format", "github").stdout.splitlines()
    assert len(github) == 3
    line = line_of(ledger, "due = 2026-07-31")
    assert github[0].startswith(f"::error file={prefix}{ledger.name},line={line},col=1,")
    gitlab = json.loads(run("review", "base", "--format", "gitlab").stdout)
    assert [i["check_name"] for i in gitlab] == [
        "remit-office-only",
        "remit-lead-only",
        "remit-not-member",
    ]
    assert len({i["fingerprint"] for i in gitlab}) == 3
    sarif = json.loads(run("review", "base", "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["office-only", "lead-only", "not-member"]
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == prefix + ledger.name
    root = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == Path.cwd().resolve().as_uri() + "/"

    # up to the office's commit, everything is in remit but the due date
    ok = run("review", "HEAD~1", "HEAD~1")
    assert ok.code == 0
    english = run("--lang", "en", "review", "base", "HEAD~4")
    assert english.code == 1
    assert "outside remit: only 省委改革办 may make this change" in english.stdout


def test_review_a_single_ledger(single: Path) -> None:
    the_story(single)
    check_story(single, "")


def test_review_a_workspace(workspace: Path) -> None:
    the_story(workspace)
    check_story(workspace, "groups/")


def test_all_in_remit_exits_0(single: Path) -> None:
    edit(single, "due = 2026-03-31\n", "due = 2026-03-31\ndone = 2026-03-28\n")
    commit(single.parent, FOREST, "方案印发")
    result = run("review", "base")
    assert result.code == 0
    assert (
        result.stdout.splitlines()[-1] == "base..HEAD：1 个提交改动台账，1 处变化，均在职责范围内"
    )


def test_a_commit_cannot_widen_its_own_remit(single: Path) -> None:
    edit(
        single,
        'members = ["郑涛 <zhengtao@lyj.example>"]',
        'members = ["郑涛 <zhengtao@lyj.example>", "someone@example.com"]',
    )
    commit(single.parent, STRANGER, "自己加成员")
    result = run("review", "base", "--format", "json")
    assert result.code == 1
    change = json.loads(result.stdout)["commits"][0]["changes"][0]
    assert (change["kind"], change["reason"]) == ("unit-changed", "not-member")


def test_bad_input_exits_2(single: Path, tmp_path: Path) -> None:
    result = run("review", "nosuchrev")
    assert result.code == 2
    assert "未知的 git 版本 nosuchrev" in result.stderr
    edit(single, 'lead = "lyj"\nunits', 'lead = "xyz"\nunits')
    commit(single.parent, OFFICE, "坏台账")
    bad = run("review", "base")
    assert bad.code == 2
    assert "的台账无效" in bad.stderr and "xyz" in bad.stderr
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "ledger.toml").write_text(SHARED, encoding="utf-8")
    os.chdir(outside)
    assert run("review", "HEAD").code == 2


# -- CODEOWNERS --------------------------------------------------------------------------------


def test_codeowners_for_a_single_ledger(single: Path) -> None:
    result = run("git", "codeowners")
    assert result.code == 0
    text = (single.parent / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/ledger.toml chenming@ggb.example\n" in text
    again = run("git", "codeowners")
    assert again.code == 2  # never overwrites without --force
    assert run("git", "codeowners", "--force").code == 0
    (single.parent / ".github").mkdir()
    assert run("git", "codeowners").code == 0
    assert (single.parent / ".github" / "CODEOWNERS").is_file()


def test_codeowners_for_a_workspace(workspace: Path) -> None:
    repo = workspace.parent.parent
    spaced = repo / "groups" / "三明 林改.toml"
    spaced.write_text("schema = 1\n\n" + POINTS.replace("R26-01", "R26-09"), encoding="utf-8")
    with (repo / "reformctl.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[ledgers."groups/三明 林改.toml"]\nlead = "fgw"\n')
    commit(repo, OFFICE, "三明")
    result = run("git", "codeowners", "--out", "-")
    assert result.code == 0, result.stderr
    lines = [x for x in result.stdout.splitlines() if x and not x.startswith("#")]
    assert lines == [
        "/reformctl.toml chenming@ggb.example",
        "/shared.toml chenming@ggb.example",
        "/groups/ecology.toml zhengtao@lyj.example chenming@ggb.example",
        "/groups/三明\\ 林改.toml chenming@ggb.example",
        "/CODEOWNERS chenming@ggb.example",  # who owns what is the office's to change
        "/.gitattributes chenming@ggb.example",
    ]
    assert "单位 省发改委（fgw）没有登记成员" in result.stderr
    gitlab = run("git", "codeowners", "--gitlab", "--out", str(repo / "CODEOWNERS"))
    assert gitlab.code == 0
    text = (repo / "CODEOWNERS").read_text(encoding="utf-8")
    rules = [x for x in text.splitlines() if x and not x.startswith("#")]
    assert rules[0] == "[台账]"
    assert rules[3] == "/groups/ecology.toml zhengtao@lyj.example chenming@ggb.example"
    assert rules[4] == "/groups/三明\\ 林改.toml chenming@ggb.example"


def test_a_merge_is_judged_on_its_own_changes(single: Path) -> None:
    repo = single.parent
    git(repo, "checkout", "-q", "-b", "lyj")
    edit(single, "due = 2026-03-31\n", "due = 2026-03-31\ndone = 2026-03-28\n")
    commit(repo, FOREST, "方案印发")
    git(repo, "checkout", "-q", "main")
    edit(single, '2026-03 = "实施方案起草中"\n', '2026-03 = "实施方案起草中"\n2026-04 = "推进中"\n')
    commit(repo, FINANCE, "进展")
    # the merge slips in a change of its own: a due date moved
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "lyj", who=FOREST)
    edit(single, "due = 2026-06-30\n", "due = 2026-09-30\n")
    commit(repo, FOREST, "合并")
    report = json.loads(run("review", "base", "--format", "json").stdout)
    merge = [c for c in report["commits"] if len(c["parents"]) == 2]
    assert len(merge) == 1
    assert [(ch["kind"], ch["field"], ch["reason"]) for ch in merge[0]["changes"]] == [
        ("milestone-changed", "due", "office-only")
    ]
    others = [
        ch["reason"] for c in report["commits"] if len(c["parents"]) == 1 for ch in c["changes"]
    ]
    assert sorted(others) == ["co-operating", "lead"]
    text = run("review", "base").stdout
    assert "［合并提交：只列合并本身所做的变化］" in text
