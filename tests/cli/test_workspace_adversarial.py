"""Workspaces under attack: odd configurations, odd member files and odd ledgers, each through
the real CLI. Bad input is exit 2 naming file:line:col with nothing written, never exit 3; a
write stays inside the workspace; nothing is silently dropped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reformctl.ledger.parse import loads
from tests.cli.test_workspace import git
from tests.conftest import BASE, ROOT, run


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.parts and not p.name.endswith(".lock")
    }


def output(result: object) -> str:
    return getattr(result, "stdout", "") + getattr(result, "stderr", "")


# -- member files -------------------------------------------------------------------------------


def test_ledger_table_in_a_member_names_the_section_not_a_message_key(ws: Path) -> None:
    (ws / "groups/zz.toml").write_text('[ledger]\ntitle = "x"\n', encoding="utf-8")
    result = run("check")
    assert result.code == 2
    text = output(result)
    assert "groups/zz.toml:1:1:" in text
    assert "section-ledger" not in text and "[ledger]" in text


@pytest.mark.parametrize("body", ["points = 3\n", '[[points]]\ntitle = "x"\n', "feedback = 1\n"])
def test_a_section_that_is_not_a_table_in_a_later_member_is_a_problem(ws: Path, body: str) -> None:
    # "zz" sorts after the files that hold points: it used to be dropped without a word
    (ws / "groups/zz.toml").write_text(body, encoding="utf-8")
    result = run("check")
    assert result.code == 2, output(result)
    assert "groups/zz.toml:1:1:" in output(result)
    before = snapshot(ws)
    assert run("done", "R26-02/salary", "--evidence", "x").code == 2
    assert snapshot(ws) == before


def test_a_member_whose_schema_differs_from_the_shared_file_is_a_problem(ws: Path) -> None:
    (ws / "groups/zz.toml").write_text("schema = 2\n", encoding="utf-8")
    result = run("check")
    assert result.code == 2, output(result)
    assert "groups/zz.toml:1:1:" in output(result)


def test_a_symlinked_member_pointing_outside_the_root_is_refused(ws: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.toml"
    text = (ws / "groups/health.toml").read_text(encoding="utf-8")
    outside.write_text(text, encoding="utf-8")
    (ws / "groups/health.toml").unlink()
    (ws / "groups/health.toml").symlink_to(outside)
    before = outside.read_bytes()
    result = run("done", "R26-02/salary", "--evidence", "x")
    assert result.code == 2, output(result)
    assert "reformctl.toml:4:1:" in output(result)  # the ledgers line
    assert outside.read_bytes() == before
    assert "Traceback" not in output(result)


# -- the configuration --------------------------------------------------------------------------


def test_a_glob_that_matches_reformctl_toml_does_not_make_it_a_ledger_file(tmp_path: Path) -> None:
    # every file at the root: `*.toml` matches the shared file (left out) and the
    # configuration itself (must be left out too)
    shutil.copy(ROOT / "ledger.toml", tmp_path / "ledger.toml")
    assert run("workspace", "split").code == 0
    for f in (tmp_path / "groups").iterdir():
        f.rename(tmp_path / f.name)
    (tmp_path / "groups").rmdir()
    (tmp_path / "reformctl.toml").write_text(
        '[workspace]\nshared = "shared.toml"\nledgers = ["*.toml"]\n', encoding="utf-8"
    )
    result = run("check")
    assert result.code in (0, 1), output(result)


def test_an_outer_workspace_glob_does_not_read_a_nested_workspace_config(ws: Path) -> None:
    inner = ws / "sub"
    inner.mkdir()
    (inner / "reformctl.toml").write_text(
        '[workspace]\nshared = "s.toml"\nledgers = []\n', encoding="utf-8"
    )
    (inner / "s.toml").write_text("schema = 1\n", encoding="utf-8")
    (ws / "reformctl.toml").write_text(
        '[workspace]\nshared = "shared.toml"\nledgers = ["groups/*.toml", "sub/*.toml"]\n',
        encoding="utf-8",
    )
    result = run("check")
    assert result.code in (0, 1), output(result)


# -- split --------------------------------------------------------------------------------------


def test_split_by_a_very_long_city_name_is_never_an_internal_error(tmp_path: Path) -> None:
    city = "长" * 200
    text = BASE.replace("major = true\n", f'major = true\ncity = "{city}"\n', 1)
    (tmp_path / "ledger.toml").write_text(text, encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("workspace", "split", "--by", "city")
    assert result.code in (0, 2), output(result)
    if result.code == 2:
        assert snapshot(tmp_path) == before
        return
    data = loads(
        "".join(
            p.read_text(encoding="utf-8").replace("schema = 1\n", "")
            for p in sorted((tmp_path / "cities").iterdir())
        )
    )
    assert data["points"]["R26-01"]["city"] == city
    assert run("workspace", "join").code == 0
    assert loads((tmp_path / "ledger.toml").read_text(encoding="utf-8")) == loads(text)


# -- git ----------------------------------------------------------------------------------------


def test_diff_across_the_split_commit_shows_no_change_of_facts(tmp_path: Path) -> None:
    shutil.copy(ROOT / "ledger.toml", tmp_path / "ledger.toml")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "台账")
    assert run("workspace", "split").code == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "拆分")
    result = run("diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.code == 0, output(result)
    assert json.loads(result.stdout)["changes"] == []
    # and back: a joined working tree compared with the workspace's revision
    assert run("workspace", "join").code == 0
    result = run("diff", "HEAD", "--format", "json")
    assert result.code == 0, output(result)
    assert json.loads(result.stdout)["changes"] == []


def test_split_by_a_very_long_group_key_is_never_an_internal_error(tmp_path: Path) -> None:
    key = "g" * 300
    text = BASE.replace("economy", key)
    (tmp_path / "ledger.toml").write_text(text, encoding="utf-8")
    assert run("check").code in (0, 1)
    result = run("workspace", "split", "--by", "group")
    assert result.code == 0, output(result)
    config = loads((tmp_path / "reformctl.toml").read_text(encoding="utf-8"))
    assert [spec["group"] for spec in config["ledgers"].values()] == [key]
    assert run("check").code in (0, 1)
    # a new point of the group goes to its file
    added = run("point", "add", "R26-09", "--title", "新", "--group", key, "--lead", "fgw")
    assert added.code == 0, output(added)
    (member,) = (tmp_path / "groups").iterdir()
    assert "R26-09" in loads(member.read_text(encoding="utf-8"))["points"]


def test_diff_with_a_revision_whose_folders_are_gone_is_not_git_missing(ws: Path) -> None:
    git(ws, "init", "-q")
    git(ws, "add", ".")
    git(ws, "commit", "-qm", "工作区")
    (ws / "groups").rename(ws / "teams")
    config = (ws / "reformctl.toml").read_text(encoding="utf-8")
    (ws / "reformctl.toml").write_text(config.replace("groups/", "teams/"), encoding="utf-8")
    assert run("check").code in (0, 1)
    result = run("diff", "HEAD", "--format", "json")
    assert result.code == 0, output(result)
    assert json.loads(result.stdout)["changes"] == []
    assert run("history").code == 0


@pytest.mark.parametrize("pattern", ["groups/**x.toml", "x/[z-a].toml", "x/[!]a].toml"])
def test_an_odd_glob_is_never_an_internal_error(ws: Path, pattern: str) -> None:
    config = ws / "reformctl.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('ledgers = ["groups/*.toml"]', f'ledgers = ["groups/*.toml", "{pattern}"]'),
        encoding="utf-8",
    )
    assert run("check").code in (0, 1)
    git(ws, "init", "-q")
    git(ws, "add", ".")
    git(ws, "commit", "-qm", "工作区")
    result = run("diff", "HEAD", "--format", "json")
    assert result.code == 0, output(result)
    assert json.loads(result.stdout)["changes"] == []
    assert run("history").code == 0


DOTTED = """\
points.Z1.title = "点式键的要点"
points.Z1.group = "economy"
points.Z1.lead = "fgw"
points.Z1.units = ["fgw"]
points.Z1.path = "p"
points.Z1.outcome = "政策文件"
points.Z1.milestones.a = { name = "节点", due = 2026-12-30 }
"""


def test_a_write_to_a_point_without_a_header_names_its_own_file_cached_or_not(ws: Path) -> None:
    (ws / "groups/zz.toml").write_text(DOTTED, encoding="utf-8")
    assert run("check").code in (0, 1)  # the model is cached now
    before = snapshot(ws)
    for _ in range(2):
        result = run("done", "Z1/a", "--evidence", "x")
        assert result.code == 2
        assert output(result).startswith("groups/zz.toml"), output(result)
    assert snapshot(ws) == before


def test_a_file_named_with_dot_slash_in_ledgers_tables_is_the_member(ws: Path) -> None:
    config = ws / "reformctl.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('[ledgers."groups/economy.toml"]', '[ledgers."./groups/economy.toml"]'),
        encoding="utf-8",
    )
    assert run("check").code in (0, 1)
    result = run("point", "add", "R26-60", "--title", "新", "--group", "economy", "--lead", "fgw")
    assert result.code == 0, output(result)
    assert "R26-60" in (ws / "groups/economy.toml").read_text(encoding="utf-8")


def test_one_group_given_two_files_is_a_configuration_problem(ws: Path) -> None:
    config = ws / "reformctl.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('group = "health"', 'group = "economy"'), encoding="utf-8")
    before = snapshot(ws)
    result = run("point", "add", "R26-60", "--title", "新", "--group", "economy", "--lead", "fgw")
    assert result.code == 2
    lines = output(result).splitlines()
    assert len(lines) == 1 and lines[0].startswith("reformctl.toml:"), lines
    assert "groups/economy.toml" in lines[0]
    assert snapshot(ws) == before


def test_join_refusing_keys_before_the_first_table_names_their_line(ws: Path) -> None:
    (ws / "groups/zz.toml").write_text("# 注释\n\n" + DOTTED, encoding="utf-8")
    assert run("check").code in (0, 1)
    before = snapshot(ws)
    result = run("workspace", "join")
    assert result.code == 2
    lines = output(result).splitlines()
    assert len(lines) == 1 and lines[0].startswith("groups/zz.toml:3:1:"), lines
    assert snapshot(ws) == before


def test_join_into_a_folder_that_does_not_exist_is_refused_not_a_crash(ws: Path) -> None:
    before = snapshot(ws)
    result = run("workspace", "join", "--out", str(ws / "no/such/folder/ledger.toml"))
    assert result.code == 2, output(result)
    assert len(output(result).splitlines()) == 1
    assert snapshot(ws) == before


def test_split_where_a_file_stands_in_the_folders_place_is_refused(tmp_path: Path) -> None:
    shutil.copy(ROOT / "ledger.toml", tmp_path / "ledger.toml")
    (tmp_path / "groups").write_text("x", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("workspace", "split")
    assert result.code == 2, output(result)
    assert len(output(result).splitlines()) == 1
    assert snapshot(tmp_path) == before


def test_ledger_naming_a_member_of_a_broken_workspace_says_the_configuration(ws: Path) -> None:
    config = ws / "reformctl.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('shared = "shared.toml"', "shared = 3"),
        encoding="utf-8",
    )
    before = snapshot(ws)
    for args in (["check"], ["done", "R26-03/coverage", "--evidence", "x"]):
        result = run("--ledger", "groups/economy.toml", *args)
        assert result.code == 2
        lines = output(result).splitlines()
        assert len(lines) == 1 and lines[0].startswith("reformctl.toml:3:1:"), lines
    assert snapshot(ws) == before
    # a ledger of its own beside it is still read alone
    shutil.copy(ROOT / "ledger.toml", ws / "ledger-2027.toml")
    assert run("--ledger", "ledger-2027.toml", "check").code in (0, 1)


def test_splitting_a_ledger_that_is_not_utf8_names_the_byte(tmp_path: Path) -> None:
    """Found by the fuzz test: the split parsed text with the bad byte escaped (exit 3)."""
    raw = BASE.encode().replace("测试台账".encode(), "测试".encode() + b"\xff" + "账".encode())
    (tmp_path / "ledger.toml").write_bytes(raw)
    before = snapshot(tmp_path)
    result = run("workspace", "split")
    assert result.code == 2
    assert result.stderr.strip().startswith("ledger.toml:4:")
    assert snapshot(tmp_path) == before


def test_a_member_that_is_not_utf8_named_with_ledger_is_a_problem_not_a_crash(ws: Path) -> None:
    member = next((ws / "groups").glob("*.toml"))
    member.write_bytes(member.read_bytes().replace("改革".encode(), b"\xff", 1))
    for args in (["--ledger", str(member), "check"], ["check"]):
        result = run(*args)
        assert result.code == 2, (args, result.stderr)
        assert result.stdout.startswith(f"groups/{member.name}:1:"), result.stdout
