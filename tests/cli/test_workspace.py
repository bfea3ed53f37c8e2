"""Workspaces through the real CLI: split a ledger into files, read them as one ledger (every
message at its own file:line:col), write to the file that holds what changes, review them in
git, join them back; and a single ledger.toml beside all this keeps working unchanged."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger.parse import loads
from tests.conftest import ROOT, examples, run, run_process

GROUPS = ["ecology", "economy", "grassroots", "health", "social"]


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=办公室", "-c", "user.email=ggb@example.cn", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.parts and not p.name.endswith(".lock")
    }


def comments(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.lstrip().startswith("#"))


# -- split and join ---------------------------------------------------------------------------


def test_split_writes_a_workspace_that_reads_as_the_same_ledger(single: Path) -> None:
    before = single.read_text(encoding="utf-8")
    expected = run("progress", "--by", "unit", "--format", "json").stdout
    assert json.loads(expected)
    checked = run("check").stdout.splitlines()[-1]
    result = run("workspace", "split", "--by", "group")
    assert result.code == 0, result.stderr
    assert "5 个台账文件" in result.stdout
    assert not single.exists()
    folder = single.parent
    assert sorted(files(folder)) == [
        *[f"groups/{g}.toml" for g in GROUPS],
        "reformctl.toml",
        "shared.toml",
    ]
    config = loads((folder / "reformctl.toml").read_text(encoding="utf-8"))
    assert config["workspace"] == {"shared": "shared.toml", "ledgers": ["groups/*.toml"]}
    assert config["ledgers"]["groups/economy.toml"] == {"group": "economy", "lead": "fgw"}
    # every point is in its group's file, nothing else is
    for group in GROUPS:
        data = loads((folder / f"groups/{group}.toml").read_text(encoding="utf-8"))
        assert set(data) == {"points"}
        assert {p["group"] for p in data["points"].values()} == {group}
    shared = loads((folder / "shared.toml").read_text(encoding="utf-8"))
    assert "points" not in shared and {"ledger", "units", "groups"} <= set(shared)
    # canonical files (fmt --check passes on every one)
    fmt = run("fmt", "--check")
    assert fmt.code == 0 and len(fmt.stdout.splitlines()) == 6, fmt.stdout
    # the same facts, the same figures, every comment
    assert run("progress", "--by", "unit", "--format", "json").stdout == expected
    assert run("check").stdout.splitlines()[-1] == checked.replace("ledger.toml", "reformctl.toml")
    written = "".join(
        p.read_text(encoding="utf-8") for p in folder.rglob("*.toml") if p.name != "reformctl.toml"
    )
    assert set(comments(before)) <= set(comments(written))


def test_join_gives_back_the_same_ledger_with_every_comment(single: Path) -> None:
    before = single.read_text(encoding="utf-8")
    assert run("workspace", "split").code == 0
    result = run("workspace", "join")
    assert result.code == 0, result.stderr
    folder = single.parent
    assert sorted(files(folder)) == ["ledger.toml"]
    after = single.read_text(encoding="utf-8")
    assert loads(after) == loads(before)
    assert comments(after) == comments(before)
    assert run("fmt", "--check").code == 0 or loads(after) == loads(before)


def test_split_by_city_files_points_by_their_city(single: Path) -> None:
    text = single.read_text(encoding="utf-8")
    text = text.replace("[points.R26-05]\n", '[points.R26-05]\ncity = "福州市"\n', 1)
    single.write_text(text, encoding="utf-8")
    result = run("workspace", "split", "--by", "city")
    assert result.code == 0, result.stderr
    folder = single.parent
    fuzhou = loads((folder / "cities/福州市.toml").read_text(encoding="utf-8"))
    assert list(fuzhou["points"]) == ["R26-05"]
    rest = loads((folder / "cities/省本级.toml").read_text(encoding="utf-8"))
    assert "R26-05" not in rest["points"] and len(rest["points"]) == 21
    assert run("check").code in (0, 1)


def test_split_refuses_and_writes_nothing_when_a_file_exists(single: Path) -> None:
    (single.parent / "shared.toml").write_text("x", encoding="utf-8")
    before = files(single.parent)
    result = run("workspace", "split")
    assert result.code == 2
    assert "shared.toml" in result.stderr
    assert files(single.parent) == before


def test_split_refuses_an_invalid_ledger(single: Path) -> None:
    single.write_text(single.read_text(encoding="utf-8") + "\n[units.x]\n", encoding="utf-8")
    before = files(single.parent)
    result = run("workspace", "split")
    assert result.code == 2 and "ledger.toml:" in result.stderr
    assert files(single.parent) == before


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cities=st.lists(
        st.sampled_from(["福州市", "厦门市", "a/b", "..", "泉州市", "x:*?"]),
        min_size=22,
        max_size=22,
    )
)
def test_split_then_join_is_the_same_data_whatever_the_cities(
    tmp_path: Path, cities: list[str]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    for n, city in enumerate(cities, start=1):
        text = text.replace(
            f"[points.R26-{n:02d}]\n", f"[points.R26-{n:02d}]\ncity = {json.dumps(city)}\n", 1
        )
    (folder / "ledger.toml").write_text(text, encoding="utf-8")
    ledger = str(folder / "ledger.toml")
    assert run("--ledger", ledger, "workspace", "split", "--by", "city").code == 0
    config = str(folder / "reformctl.toml")
    assert run("--ledger", config, "check").code in (0, 1)
    assert run("--ledger", config, "workspace", "join").code == 0
    assert loads((folder / "ledger.toml").read_text(encoding="utf-8")) == loads(text)


# -- reading: one ledger, each message at its own file ------------------------------------------


def test_messages_name_the_file_that_holds_the_table(ws: Path) -> None:
    result = run("check")
    assert result.code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("groups/economy.toml:")
    line = int(first.split(":")[1])
    text = (ws / "groups/economy.toml").read_text(encoding="utf-8").splitlines()
    assert text[line - 1] == "due = 2026-08-31"  # the overdue milestone's due line
    assert "[points.R26-11.milestones.rules]" in text[line - 3 : line]
    gh = run("check", "--format", "github").stdout
    assert "::error file=groups/economy.toml,line=" in gh
    records = json.loads(run("overdue", "--format", "json").stdout)
    assert {r["file"] for r in records} >= {"groups/economy.toml", "groups/health.toml"}


def test_an_id_in_two_files_names_both_places(ws: Path) -> None:
    health = ws / "groups/health.toml"
    health.write_text(
        health.read_text(encoding="utf-8")
        + '\n[points.R26-03]\ntitle = "重复"\ngroup = "health"\nlead = "wjw"\nunits = []\n'
        'path = ""\noutcome = ""\n',
        encoding="utf-8",
    )
    result = run("check")
    assert result.code == 2
    line = next(x for x in result.stdout.splitlines() if "R26-03" in x)
    assert line.startswith("groups/health.toml:")
    assert "groups/economy.toml:2:1" in line


def test_shared_declarations_live_only_in_the_shared_file(ws: Path) -> None:
    social = ws / "groups/social.toml"
    social.write_text(
        social.read_text(encoding="utf-8") + '\n[units.zzz]\nname = "某单位"\n', encoding="utf-8"
    )
    result = run("check")
    assert result.code == 2
    assert any(
        x.startswith("groups/social.toml:") and "shared.toml" in x
        for x in result.stdout.splitlines()
    )


def test_discovery_finds_the_workspace_from_a_subfolder_and_from_a_member(ws: Path) -> None:
    expected = run("overdue").stdout
    out = run_process("overdue", "--format", "plain", cwd=ws / "groups")
    assert out.code == 0, out.stderr
    assert out.stdout == run("overdue", "--format", "plain").stdout
    assert run("--ledger", "groups/health.toml", "overdue").stdout == expected


def test_a_bad_configuration_is_exit_2_at_its_line(ws: Path) -> None:
    config = ws / "reformctl.toml"
    config.write_text('[workspace]\nshared = "shared.toml"\nledgers = ["../x/*.toml"]\n')
    result = run("check")
    assert result.code == 2
    assert result.stderr.startswith("reformctl.toml:3:1:")
    config.write_text('[workspace]\nshared = "missing.toml"\nledgers = []\n')
    result = run("overdue")
    assert result.code == 2 and "missing.toml" in result.stderr
    config.write_text("[workspace\n")
    assert run("list").code == 2


# -- writing: to the file that holds what changes -----------------------------------------------


def test_a_write_changes_only_the_file_that_holds_the_point(ws: Path) -> None:
    before = files(ws)
    result = run("done", "R26-21/online", "--evidence", "闽数据〔2026〕9号")
    assert result.code == 0, result.stderr
    after = files(ws)
    changed = [f for f in after if after[f] != before.get(f)]
    assert changed == ["groups/economy.toml"]
    text = after["groups/economy.toml"].decode()
    assert 'evidence = "闽数据〔2026〕9号"' in text


def test_declarations_go_to_the_shared_file_and_new_points_to_their_group(ws: Path) -> None:
    assert run("unit", "add", "tst", "测试单位").code == 0
    assert "[units.tst]" in (ws / "shared.toml").read_text(encoding="utf-8")
    result = run(
        "point",
        "add",
        "R26-99",
        "--title",
        "测试要点",
        "--group",
        "生态文明体制改革专项小组",
        "--lead",
        "测试单位",
    )
    assert result.code == 0, result.stderr
    assert "[points.R26-99]" in (ws / "groups/ecology.toml").read_text(encoding="utf-8")
    assert run("milestone", "add", "R26-99/a", "--name", "甲", "--due", "2026-12-20").code == 0
    assert "[points.R26-99.milestones.a]" in (ws / "groups/ecology.toml").read_text(
        encoding="utf-8"
    )
    assert run("check").code in (0, 1)


def test_a_point_id_used_in_another_file_is_refused(ws: Path) -> None:
    before = files(ws)
    result = run("point", "add", "R26-03", "--title", "重复", "--group", "health", "--lead", "wjw")
    assert result.code == 2
    assert result.stderr.startswith("groups/economy.toml: 工作要点 R26-03 已存在")  # where it is
    assert files(ws) == before


def test_a_write_that_breaks_a_rule_across_files_is_refused(ws: Path) -> None:
    # feedback in the shared file refers to a point in a group file
    shared = loads((ws / "shared.toml").read_text(encoding="utf-8"))
    pid = next(f["point"] for f in shared["feedback"].values() if "point" in f)
    before = files(ws)
    result = run("point", "remove", pid, "--force")
    assert result.code == 2
    assert files(ws) == before


def test_a_new_point_of_a_group_without_a_file_is_refused_with_the_fix(ws: Path) -> None:
    config = ws / "reformctl.toml"
    config.write_text('[workspace]\nshared = "shared.toml"\nledgers = ["groups/*.toml"]\n')
    (ws / "groups/economy.toml").rename(ws / "groups/a.toml")
    (ws / "groups/ecology.toml").rename(ws / "groups/b.toml")
    text = (
        (ws / "groups/b.toml")
        .read_text(encoding="utf-8")
        .replace('group = "ecology"', 'group = "economy"', 1)
    )
    (ws / "groups/b.toml").write_text(text, encoding="utf-8")
    before = files(ws)
    result = run("point", "add", "R26-98", "--title", "新", "--group", "economy", "--lead", "fgw")
    assert result.code == 2
    assert 'group = "economy"' in result.stderr
    assert files(ws) == before


# -- git: diff and history across files ---------------------------------------------------------


def test_diff_and_history_read_every_file_at_each_revision(ws: Path) -> None:
    git(ws, "init", "-q")
    git(ws, "add", ".")
    git(ws, "commit", "-qm", "工作区", "--date", "2026-11-01T10:00:00+08:00")
    assert run("done", "R26-05/cases", "--evidence", "闽改办〔2026〕30号").code == 0
    assert run("log", "R26-02", "薪酬方案提交审议", "--month", "2026-11", "--replace").code == 0
    diff = run("diff")
    assert diff.code == 0
    assert "R26-05/cases" in diff.stdout and "R26-02" in diff.stdout
    git(ws, "commit", "-qam", "记录", "--date", "2026-11-20T10:00:00+08:00")
    records = json.loads(run("history", "--format", "json").stdout)
    assert len(records) == 2
    assert records[1]["done"] == records[0]["done"] + 1
    as_json = json.loads(run("diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    assert len(as_json["changes"]) >= 2


def test_a_single_ledger_beside_a_workspace_folder_still_reads_alone(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(ROOT / "ledger.toml", other / "ledger.toml")
    result = run("--ledger", str(other / "ledger.toml"), "check")
    assert result.stdout.splitlines()[-1].startswith(str(other / "ledger.toml")) or (
        "ledger.toml" in result.stdout.splitlines()[-1]
    )


def test_textconv_of_a_ledger_file_names_references_from_the_shared_file(ws: Path) -> None:
    out = run("git", "textconv", "groups/economy.toml").stdout
    assert "牵头单位: zrt（省自然资源厅）" in out
    assert "⚠" not in out  # its references are declared in shared.toml
    assert "⚠" not in run("git", "textconv", "shared.toml").stdout
    # a copy (git passes one) with a unit that is declared nowhere: that problem, at its line
    text = (ws / "groups/economy.toml").read_text(encoding="utf-8")
    copy = ws.parent / "blob.toml"
    copy.write_text(text.replace('lead = "zrt"', 'lead = "nobody"', 1), encoding="utf-8")
    marks = [x for x in run("git", "textconv", str(copy)).stdout.splitlines() if "⚠" in x]
    assert len(marks) == 1 and "nobody" in marks[0]


def test_report_cut_to_one_file_is_that_groups_circular(ws: Path) -> None:
    whole = run("report", "half", "--period", "2", "--out", "all.json")
    part = run(
        "report", "half", "--period", "2", "--file", "groups/economy.toml", "--out", "e.json"
    )
    assert whole.code == 0 and part.code == 0, part.stderr
    a = json.loads((ws / "all.json").read_text(encoding="utf-8"))
    b = json.loads((ws / "e.json").read_text(encoding="utf-8"))
    assert "经济体制改革专项小组" in json.dumps(b, ensure_ascii=False)
    assert json.dumps(a, ensure_ascii=False) != json.dumps(b, ensure_ascii=False)
    bad = run("report", "half", "--file", "groups/none.toml")
    assert bad.code == 2 and "groups/economy.toml" in bad.stderr


def test_git_install_and_a_merge_of_two_clerks_in_one_group_file(ws: Path) -> None:
    git(ws, "init", "-q", "-b", "main")
    assert run("git", "install").code == 0
    attributes = (ws / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "shared.toml diff=reformctl merge=reformctl" in attributes
    assert "groups/*.toml diff=reformctl merge=reformctl" in attributes
    git(ws, "add", ".")
    git(ws, "commit", "-qm", "工作区")
    git(ws, "checkout", "-qb", "clerk")
    assert run("done", "R26-12/evaluation", "--evidence", "闽发改〔2026〕88号").code == 0
    git(ws, "commit", "-qam", "评估完成")
    git(ws, "checkout", "-q", "main")
    assert run("log", "R26-21", "网办率达到92%", "--month", "2026-11", "--replace").code == 0
    git(ws, "commit", "-qam", "月度进展")
    # the driver runs as git runs it: a real process, from the repository's root
    proc = subprocess.run(
        ["git", "-c", "user.name=a", "-c", "user.email=a@b", "merge", "-q", "--no-edit", "clerk"],
        cwd=ws,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (ws / "groups/economy.toml").read_text(encoding="utf-8")
    assert "闽发改〔2026〕88号" in text and "网办率达到92%" in text
    assert run("check").code in (0, 1)
    diff = git(ws, "diff", "HEAD~1", "HEAD", "--", "groups/economy.toml")
    added = [x for x in diff.splitlines() if x.startswith("+节点 R26-12/evaluation")]
    assert any("闽发改〔2026〕88号" in x for x in added), diff  # in ledger terms
    assert "⚠" not in diff  # its references are judged with the shared file


def _header(ws: Any) -> tuple[int, dict[str, int]]:
    """The 台账 sheet's header row (whatever title rows sit above it) and its columns."""
    for r in range(1, 11):
        names = {c.value: c.column for c in ws[r] if c.value}
        if "编号" in names and "节点编号" in names:
            return r, names
    raise AssertionError("no header")


def test_an_edited_export_comes_back_to_the_files_that_hold_its_points(ws: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = ws.parent / "t.xlsx"
    assert run("export", "--out", str(out)).code == 0
    wb = openpyxl.load_workbook(out)
    sheet = wb["台账"]
    head, col = _header(sheet)
    edits = {
        ("R26-02", "procurement"): "闽医保〔2026〕50号",
        ("R26-12", "evaluation"): "闽发改〔2026〕77号",
    }
    for r in range(head + 1, sheet.max_row + 1):
        key = (sheet.cell(r, col["编号"]).value, sheet.cell(r, col["节点编号"]).value)
        if key in edits:
            sheet.cell(r, col["完成日期"]).value = dt.datetime(2026, 11, 27)
            sheet.cell(r, col["佐证材料"]).value = edits[key]
    wb.save(out)
    before = files(ws)
    dry = run("import", str(out), "--update", "--dry-run")
    assert dry.code == 0, dry.stderr
    assert "R26-02/procurement" in dry.stdout and "R26-12/evaluation" in dry.stdout
    assert files(ws) == before
    result = run("import", str(out), "--update")
    assert result.code == 0, result.stderr
    after = files(ws)
    assert sorted(f for f in after if after[f] != before.get(f)) == [
        "groups/economy.toml",
        "groups/health.toml",
    ]
    assert "闽医保〔2026〕50号" in after["groups/health.toml"].decode()
    assert run("check").code in (0, 1)


def test_fmt_checks_and_formats_every_file_of_the_workspace(ws: Path) -> None:
    health = ws / "groups/health.toml"
    health.write_text(health.read_text(encoding="utf-8") + "\n\n\n", encoding="utf-8")
    result = run("fmt", "--check")
    assert result.code == 1
    assert "groups/health.toml 不是规范格式" in result.stdout
    assert run("fmt").code == 0
    assert run("fmt", "--check").code == 0
    assert run("--ledger", "groups/health.toml", "fmt", "--check").code == 0


def test_rollover_carries_every_files_unfinished_work_into_one_ledger(ws: Path) -> None:
    result = run("rollover", "--to-year", "2027")
    assert result.code == 0, result.stderr
    nxt = loads((ws / "ledger-2027.toml").read_text(encoding="utf-8"))
    assert nxt["ledger"]["year"] == 2027
    groups = {p["group"] for p in nxt["points"].values()}
    assert len(groups) >= 4  # points from several of the workspace's files
    assert run("--today", "2027-01-05", "--ledger", "ledger-2027.toml", "check").code in (0, 1)


def test_shell_completion_offers_every_files_points(ws: Path) -> None:
    from tests.cli.test_completion import complete

    assert sorted(complete("bash", "reformctl show R26-1", cwd=ws / "groups")) == [
        f"R26-1{i}" for i in range(10)
    ]
    assert "省卫健委" in complete("bash", "reformctl list --unit 省卫", cwd=ws)


def test_the_cache_never_serves_a_workspace_whose_file_was_edited_by_hand(ws: Path) -> None:
    env = {"REFORMCTL_CACHE": "sync"}
    first = run("overdue", "--format", "json", env=env)
    assert first.code == 0
    assert run("overdue", "--format", "json", env=env).stdout == first.stdout  # warm
    health = ws / "groups/health.toml"
    text = health.read_text(encoding="utf-8")
    health.write_text(text.replace("due = 2026-09-30", "due = 2026-10-30", 1), encoding="utf-8")
    after = json.loads(run("overdue", "--format", "json", env=env).stdout)
    salary = next(r for r in after if (r["point"], r["milestone"]) == ("R26-02", "salary"))
    assert salary["days_overdue"] == 29  # 2026-10-30 to 2026-11-28, not the cached 59
    # a write leaves the model of the files as they now are
    assert run("done", "R26-02/salary", "--evidence", "闽卫〔2026〕1号", env=env).code == 0
    again = json.loads(run("overdue", "--format", "json", env=env).stdout)
    assert ("R26-02", "salary") not in {(r["point"], r["milestone"]) for r in again}


def test_a_key_two_files_define_differently_is_a_problem_in_the_second(ws: Path) -> None:
    (ws / "groups/zzz.toml").write_text("# 误写\npoints = 3\n", encoding="utf-8")
    result = run("check")
    assert result.code == 2
    assert any(x.startswith("groups/zzz.toml:2:1:") for x in result.stdout.splitlines()), (
        result.stdout
    )
    # and the other way round: a table in a later file, not a table in an earlier one
    (ws / "groups/zzz.toml").write_text("[feedback.F1]\nx = 1\n", encoding="utf-8")
    (ws / "groups/aaa.toml").write_text("feedback = 3\n", encoding="utf-8")
    shared = ws / "shared.toml"
    shared.write_text(
        "\n".join(line for line in shared.read_text(encoding="utf-8").splitlines()).split(
            "[feedback."
        )[0],
        encoding="utf-8",
    )
    lines = run("check").stdout.splitlines()
    assert any(x.startswith("groups/zzz.toml:1:1:") and "groups/aaa.toml" in x for x in lines)


READS = [
    ["list"],
    ["list", "--unit", "省卫健委", "--format", "json"],
    ["show", "R26-04"],
    ["overdue", "--soon", "7"],
    ["overdue", "--working-days", "--format", "csv"],
    ["progress", "--by", "group", "--format", "markdown"],
    ["progress", "--by", "point"],
    ["progress", "--by", "coop", "--format", "json"],
    ["unit", "list"],
    ["group", "list"],
    ["topic", "list"],
    ["meeting", "list"],
    ["pilot", "list"],
    ["case", "list"],
    ["outpost", "list"],
    ["feedback", "list"],
    ["publicity", "list"],
    ["report", "half", "--period", "2"],
    ["report", "year"],
    ["report", "quarter", "--period", "3"],
]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_every_read_command_says_the_same_of_a_workspace_as_of_its_ledger(
    single: Path, args: list[str]
) -> None:
    alone = run(*args)
    assert alone.code == 0, alone.stderr
    assert run("workspace", "split").code == 0
    together = run(*args)
    assert together.code == 0, together.stderr
    assert together.stdout.replace("reformctl.toml", "ledger.toml") == alone.stdout
