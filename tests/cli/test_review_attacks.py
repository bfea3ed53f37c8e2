"""`review` attacked as a clerk would attack it (issue 22): each attack in a real git repository
built in tmp (real ``git``, fixed author, committer and dates, no user or system git config) and
judged by the real CLI in a real process. Each of (a)–(d) passed with exit 0 before review judged
every commit against what it received, merges three ways, members at BASE and committers too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_review import FINANCE, FOREST, OFFICE, POINTS, SHARED, STRANGER
from tests.conftest import Run, run

Who = tuple[str, str]


class Repo:
    """A repository whose every git command runs with fixed identities and dates and without
    the user's or the system's git configuration."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tick = 0
        root.mkdir(parents=True, exist_ok=True)
        self.home = root.parent / (root.name + "-home")
        self.home.mkdir(exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def env(self, author: Who, committer: Who | None = None) -> dict[str, str]:
        self.tick += 1
        when = f"2026-05-01T10:{self.tick // 60:02}:{self.tick % 60:02}+08:00"
        committer = committer or author
        return {
            **os.environ,
            "HOME": str(self.home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": committer[0],
            "GIT_COMMITTER_EMAIL": committer[1],
            "GIT_COMMITTER_DATE": when,
        }

    def git(
        self, *args: str, who: Who = OFFICE, committer: Who | None = None, check: bool = True
    ) -> str:
        proc = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env=self.env(who, committer),
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
        return proc.stdout

    def commit(
        self, who: Who, message: str, committer: Who | None = None, key: Path | None = None
    ) -> str:
        """Commit everything as ``who`` (committed by ``committer``, else the same person),
        signed with the SSH ``key`` where one is given."""
        self.git("add", "-A", who=who)
        sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"] if key else []
        args = [*sign, "commit", "-q", "--allow-empty", "-m", message, *(["-S"] if key else [])]
        self.git(*args, who=who, committer=committer)
        return self.git("rev-parse", "HEAD").strip()

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def read(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> None:
        text = self.read(name)
        assert old in text, old
        self.write(name, text.replace(old, new, 1))

    def review(self, *args: str, lang: str = "zh") -> Run:
        env = {"HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
        return run("--lang", lang, "review", *args, cwd=self.root, env=env)

    def report(self, *args: str) -> tuple[int, dict[str, Any]]:
        result = self.review(*args, "--format", "json")
        assert result.code in (0, 1), result.stderr
        return result.code, json.loads(result.stdout)


def changes(report: dict[str, Any]) -> list[tuple[str, str, str | None, str, bool]]:
    """(subject, kind, field, reason, ok) of every judged change."""
    return [
        (c["subject"], ch["kind"], ch["field"], ch["reason"], ch["ok"])
        for c in report["commits"]
        for ch in c["changes"]
    ]


def out_of_remit(report: dict[str, Any]) -> list[tuple[str, str, str | None, str, bool]]:
    return [c for c in changes(report) if not c[4]]


LEDGER = SHARED + "\n" + POINTS
FOREST_IN_OFFICE = LEDGER.replace(
    'members = ["陈明 <chenming@ggb.example>"]',
    'members = ["陈明 <chenming@ggb.example>", "郑涛 <zhengtao@lyj.example>"]',
)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = Repo(tmp_path / "repo")
    r.write("ledger.toml", LEDGER)
    r.commit(OFFICE, "台账")
    r.git("tag", "base")
    return r


# -- (a) delete the ledger, re-create it with yourself in the office ---------------------------


def test_a_recreated_ledger_is_judged_against_the_base(repo: Repo) -> None:
    repo.git("rm", "-q", "ledger.toml", who=FOREST)
    repo.commit(FOREST, "删除台账")
    moved = FOREST_IN_OFFICE.replace("due = 2026-06-30\n", "due = 2026-12-31\n")
    repo.write("ledger.toml", moved)
    repo.commit(FOREST, "重建台账")
    repo.write("ledger.toml", LEDGER.replace("due = 2026-06-30\n", "due = 2026-12-31\n"))
    repo.commit(FOREST, "退出改革办")
    code, report = repo.report("base")
    assert code == 1
    bad = out_of_remit(report)
    assert ("删除台账", "ledger-removed", None, "office-only", False) in bad
    assert ("重建台账", "unit-changed", "members", "office-only", False) in bad
    assert ("重建台账", "milestone-changed", "due", "office-only", False) in bad
    # the last commit is judged with the members at BASE, not those the range wrote
    assert ("退出改革办", "unit-changed", "members", "office-only", False) in bad
    text = repo.review("base")
    assert text.code == 1
    assert "✗ ledger.toml:3: 删除整个台账 — 超出职责范围：此类变化须由省委改革办办理" in text.stdout


def test_a_ledger_renamed_away_and_back_is_judged_against_the_base(repo: Repo) -> None:
    repo.git("mv", "ledger.toml", "old.toml", who=FOREST)
    repo.commit(FOREST, "改名")
    repo.git("mv", "old.toml", "ledger.toml", who=FOREST)
    repo.edit("ledger.toml", "due = 2026-06-30\n", "due = 2026-12-31\n")
    repo.commit(FOREST, "改回并顺延")
    code, report = repo.report("base")
    assert code == 1
    assert out_of_remit(report) == [
        ("改名", "ledger-removed", None, "office-only", False),
        ("改回并顺延", "milestone-changed", "due", "office-only", False),
    ]


def test_the_office_may_recreate_the_ledger(repo: Repo) -> None:
    repo.git("rm", "-q", "ledger.toml")
    repo.commit(OFFICE, "删除台账")
    repo.write("ledger.toml", LEDGER.replace("due = 2026-06-30\n", "due = 2026-12-31\n"))
    repo.commit(OFFICE, "重建台账")
    code, report = repo.report("base")
    assert code == 0
    assert changes(report) == [
        ("删除台账", "ledger-removed", None, "office", True),
        ("重建台账", "milestone-changed", "due", "office", True),
    ]


# -- (b) merge an unrelated history whose root makes you a member ------------------------------


def test_b_an_unrelated_root_is_judged_against_the_base(repo: Repo) -> None:
    repo.git("checkout", "-q", "--orphan", "evil", who=FOREST)
    repo.write("ledger.toml", FOREST_IN_OFFICE)
    repo.commit(FOREST, "另起历史")
    repo.git("checkout", "-q", "main", who=FOREST)
    repo.git(
        "merge", "-q", "--allow-unrelated-histories", "-m", "合并", "evil",
        who=FOREST, check=False,
    )  # fmt: skip
    repo.git("checkout", "--theirs", "ledger.toml", who=FOREST)
    repo.commit(FOREST, "合并")
    repo.edit("ledger.toml", "due = 2026-06-30\n", "due = 2026-12-31\n")
    repo.commit(FOREST, "顺延")
    code, report = repo.report("base")
    assert code == 1
    assert out_of_remit(report) == [
        ("另起历史", "unit-changed", "members", "office-only", False),
        ("顺延", "milestone-changed", "due", "office-only", False),
    ]
    # the merge took the other side's ledger as it was: no change of its own
    assert [c for c in report["commits"] if len(c["parents"]) == 2] == []


# -- (c) merge main, put the ledger back as before: the office's extension undone --------------


def test_c_a_merge_that_undoes_the_other_side_is_the_mergers_change(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "lyj", who=FOREST)
    repo.edit("ledger.toml", "due = 2026-03-31\n", "due = 2026-03-31\ndone = 2026-03-28\n")
    repo.commit(FOREST, "方案印发")
    repo.git("checkout", "-q", "main")
    repo.edit(
        "ledger.toml",
        "due = 2026-06-30\n",
        'due = 2026-06-30\nextensions = [{to = 2026-09-30, reason = "试点县调整"}]\n',
    )
    repo.commit(OFFICE, "延期")
    repo.git("checkout", "-q", "lyj", who=FOREST)
    before = repo.read("ledger.toml")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "main", who=FOREST, check=False)
    repo.write("ledger.toml", before)  # the ledger as it was before the merge
    repo.commit(FOREST, "合并主线")
    assert repo.git("diff", "main", "HEAD", "--stat").strip()  # git sees the extension undone
    code, report = repo.report("base")
    assert code == 1
    assert out_of_remit(report) == [
        ("合并主线", "extensions-changed", None, "office-only", False),
    ]
    ok = [c for c in changes(report) if c[4]]
    assert ("方案印发", "done", None, "lead", True) in ok
    assert ("延期", "extended", None, "office", True) in ok


def test_c_an_honest_merge_has_no_changes_of_its_own(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "lyj", who=FOREST)
    repo.edit("ledger.toml", "due = 2026-03-31\n", "due = 2026-03-31\ndone = 2026-03-28\n")
    repo.commit(FOREST, "方案印发")
    repo.git("checkout", "-q", "main")
    repo.edit("ledger.toml", "due = 2026-06-30\n", "due = 2026-09-30\n")
    repo.commit(OFFICE, "顺延")
    repo.git("checkout", "-q", "lyj", who=FOREST)
    repo.git("merge", "-q", "--no-ff", "-m", "合并主线", "main", who=FOREST)
    code, report = repo.report("base")
    assert code == 0, report
    merges = [c for c in report["commits"] if len(c["parents"]) == 2]
    assert merges == []


# -- (d) commit with an office member as the author --------------------------------------------


def test_d_the_committer_is_judged_too(repo: Repo) -> None:
    repo.edit("ledger.toml", "due = 2026-06-30\n", "due = 2026-12-31\n")
    repo.commit(OFFICE, "顺延", FOREST)  # `git commit --author=<office>` by the forest clerk
    code, report = repo.report("base")
    assert code == 1
    (only,) = report["commits"]
    assert (only["email"], only["committer_email"]) == (OFFICE[1], FOREST[1])
    (change,) = only["changes"]
    assert (change["reason"], change["ok"], change["party"]) == ("office-only", False, "committer")
    text = repo.review("base")
    assert "提交者 郑涛 <zhengtao@lyj.example>" in text.stdout
    # trusting the author alone lets it through; trusting the committer alone does not
    assert repo.review("base", "--trust", "author").code == 0
    assert repo.review("base", "--trust", "committer").code == 1


# -- identity: the committer, --trust, platform committers -------------------------------------
PLATFORM = ("GitHub", "noreply@github.com")
DONE = ("due = 2026-03-31\n", "due = 2026-03-31\ndone = 2026-03-28\n")
MOVED = ("due = 2026-06-30\n", "due = 2026-12-31\n")


def test_an_office_member_committing_a_units_patch_is_in_remit(repo: Repo) -> None:
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发", OFFICE)  # the unit's patch, applied by the office
    code, report = repo.report("base")
    assert code == 0
    (commit,) = report["commits"]
    assert commit["committer_units"] == ["ggb"]
    assert [(ch["reason"], ch["party"]) for ch in commit["changes"]] == [("lead", "author")]


def test_a_committer_of_no_unit_is_not_trusted(repo: Repo) -> None:
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发", STRANGER)
    code, report = repo.report("base")
    assert code == 1
    (change,) = report["commits"][0]["changes"]
    assert (change["reason"], change["party"]) == ("not-member", "committer")
    text = repo.review("base")
    assert "；提交者 某人 <someone@example.com>（不是任何单位的成员）" in text.stdout
    assert "— 提交者 某人 <someone@example.com>：不是任何单位的成员" in text.stdout
    assert repo.review("base", "--trust", "author").code == 0
    english = repo.review("base", "--trust", "committer", lang="en")
    assert english.code == 1
    assert "; committed by 某人 <someone@example.com> (a member of no unit)" in english.stdout
    assert "— committer 某人 <someone@example.com>: a member of no unit" in english.stdout


def test_platform_committers_are_judged_by_the_author_alone(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write(
        "ledger.toml",
        LEDGER.replace(
            'office_unit = "ggb"\n',
            'office_unit = "ggb"\nplatform_committers = ["GitHub <noreply@github.com>"]\n',
        ),
    )
    repo.commit(OFFICE, "台账")
    repo.git("tag", "base")
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发", PLATFORM)  # a web merge or squash on the platform
    assert repo.review("base").code == 0
    repo.edit("ledger.toml", *MOVED)
    repo.commit(FOREST, "顺延", PLATFORM)
    code, report = repo.report("base")
    assert code == 1
    assert [(c[0], c[3], c[4]) for c in changes(report)] == [
        ("方案印发", "lead", True),
        ("顺延", "office-only", False),  # the author's remit decides
    ]
    assert report["commits"][1]["changes"][0]["party"] == "author"
    text = repo.review("base")
    assert "；由平台账号 GitHub <noreply@github.com> 提交（只核对作者）" in text.stdout


def test_platform_committers_the_range_names_do_not_count(repo: Repo) -> None:
    repo.edit(
        "ledger.toml",
        'office_unit = "ggb"\n',
        'office_unit = "ggb"\nplatform_committers = ["noreply@github.com"]\n',
    )
    repo.commit(OFFICE, "平台账号")
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发", PLATFORM)
    code, report = repo.report("base")
    assert code == 1
    assert [(c[0], c[3]) for c in changes(report)] == [
        ("平台账号", "office"),
        ("方案印发", "not-member"),  # the platform is named at BASE or not at all
    ]


# -- --require-signed ---------------------------------------------------------------------------
needs_ssh_keygen = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="signing commits needs ssh-keygen"
)


def keygen(folder: Path, name: str) -> Path:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key


def allowed(key: Path, principal: str) -> str:
    kind, blob = key.with_suffix(".pub").read_text().split()[:2]
    return f"{principal} {kind} {blob}\n"


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Repo, dict[str, Path]]:
    keys = {name: keygen(tmp_path, name) for name in ("office", "forest", "outsider", "nobody")}
    repo = Repo(tmp_path / "repo")
    repo.write(
        ".reformctl/allowed_signers",
        allowed(keys["office"], OFFICE[1])
        + allowed(keys["forest"], FOREST[1])
        + allowed(keys["nobody"], STRANGER[1]),  # an allowed signer who is no member
    )
    repo.write(
        "ledger.toml",
        LEDGER.replace(
            'office_unit = "ggb"\n',
            'office_unit = "ggb"\nallowed_signers = ".reformctl/allowed_signers"\n',
        ),
    )
    repo.commit(OFFICE, "台账", key=keys["office"])
    repo.git("tag", "base")
    return repo, keys


@needs_ssh_keygen
def test_signed_by_a_member_entitled_to_it(signed: tuple[Repo, dict[str, Path]]) -> None:
    repo, keys = signed
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发", key=keys["forest"])
    code, report = repo.report("base", "--require-signed")
    assert code == 0
    (commit,) = report["commits"]
    assert (commit["signature"], commit["signer"]) == ("good", FOREST[1])
    text = repo.review("base", "--require-signed")
    assert "；签名者 郑涛 <zhengtao@lyj.example>（省林业局）" in text.stdout


@needs_ssh_keygen
def test_require_signed_judges_the_key_not_the_names(signed: tuple[Repo, dict[str, Path]]) -> None:
    repo, keys = signed
    repo.edit("ledger.toml", *MOVED)
    repo.commit(OFFICE, "冒名顺延", OFFICE, key=keys["forest"])  # author and committer forged
    repo.edit("ledger.toml", '2026-03 = "实施方案起草中"\n', '2026-03 = "起草中"\n')
    repo.commit(FOREST, "未签名")
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "外人密钥", key=keys["outsider"])
    repo.edit("ledger.toml", "done = 2026-03-28\n", "done = 2026-03-27\n")
    repo.commit(FOREST, "非成员签名", key=keys["nobody"])
    assert repo.review("base").code == 0  # by the names alone, every change is in remit
    code, report = repo.report("base", "--require-signed")
    assert code == 1
    got = [
        (c["subject"], c["signature"], ch["reason"], ch["party"])
        for c in report["commits"]
        for ch in c["changes"]
    ]
    assert got == [
        ("冒名顺延", "good", "office-only", "signer"),
        ("未签名", "unsigned", "unsigned", "signer"),
        ("外人密钥", "unverified", "unverified", "signer"),
        ("非成员签名", "good", "not-member", "signer"),
    ]
    text = repo.review("base", "--require-signed").stdout
    assert "签名者 郑涛 <zhengtao@lyj.example>：超出职责范围：此类变化须由省委改革办办理" in text
    assert "超出职责范围：提交未签名" in text
    assert "超出职责范围：签名未通过 git verify-commit 核验" in text
    assert "签名者 someone@example.com：不是任何单位的成员" in text


@needs_ssh_keygen
def test_signers_the_range_adds_do_not_count(signed: tuple[Repo, dict[str, Path]]) -> None:
    repo, keys = signed
    # the outsider's key made the office's, in a commit that touches no ledger fact
    with (repo.root / ".reformctl" / "allowed_signers").open("a") as fh:
        fh.write(allowed(keys["outsider"], OFFICE[1]))
    repo.commit(FOREST, "加签名者", key=keys["forest"])
    repo.edit("ledger.toml", *MOVED)
    repo.commit(OFFICE, "顺延", OFFICE, key=keys["outsider"])
    code, report = repo.report("base", "--require-signed")
    assert code == 1
    assert [(c[0], c[3]) for c in changes(report)] == [("顺延", "unverified")]


def test_require_signed_needs_allowed_signers(repo: Repo) -> None:
    result = repo.review("base", "--require-signed")
    assert result.code == 2
    assert result.stderr.strip() == (
        "--require-signed 需要 base 的台账在 [ledger] allowed_signers 中指明允许的签名者文件"
    )
    repo.edit(
        "ledger.toml", 'office_unit = "ggb"\n', 'office_unit = "ggb"\nallowed_signers = "x"\n'
    )
    repo.commit(OFFICE, "签名者文件")
    missing = repo.review("HEAD", "--require-signed")
    assert missing.code == 2
    assert "[ledger] allowed_signers 指明的 x 不在 HEAD 中" in missing.stderr


# -- a workspace -------------------------------------------------------------------------------
def test_a_clerk_recreating_a_workspace_is_judged_against_the_base(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "ws")
    config = '[workspace]\nshared = "shared.toml"\nledgers = ["groups/*.toml"]\n'
    repo.write("reformctl.toml", config)
    repo.write("shared.toml", SHARED)
    repo.write("groups/ecology.toml", "schema = 1\n\n" + POINTS)
    repo.commit(OFFICE, "工作区")
    repo.git("tag", "base")
    repo.git("rm", "-q", "reformctl.toml", "groups/ecology.toml", who=FOREST)
    repo.commit(FOREST, "拆掉")
    repo.write("reformctl.toml", config)
    repo.write("shared.toml", FOREST_IN_OFFICE.split("\n[points.")[0])
    repo.write("groups/ecology.toml", "schema = 1\n\n" + POINTS.replace(*MOVED))
    repo.commit(FOREST, "重建")
    code, report = repo.report("base")
    assert code == 1
    assert out_of_remit(report) == [
        ("拆掉", "ledger-removed", None, "office-only", False),
        ("重建", "unit-changed", "members", "office-only", False),
        ("重建", "milestone-changed", "due", "office-only", False),
    ]
    by_kind = {ch["kind"]: ch for c in report["commits"] for ch in c["changes"]}
    assert (by_kind["milestone-changed"]["file"], by_kind["unit-changed"]["file"]) == (
        "groups/ecology.toml",
        "shared.toml",
    )


# -- further attacks -----------------------------------------------------------------------------
EXTENDED = (
    "due = 2026-06-30\n",
    'due = 2026-06-30\nextensions = [{to = 2026-09-30, reason = "试点县调整"}]\n',
)
LOGGED = ('2026-03 = "实施方案起草中"\n', '2026-03 = "实施方案起草中"\n2026-04 = "资金到位"\n')


def test_an_octopus_merge_that_drops_one_side(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "czt", who=FINANCE)
    repo.edit("ledger.toml", *LOGGED)
    repo.commit(FINANCE, "财政厅报进展")
    repo.git("checkout", "-q", "main")
    repo.edit("ledger.toml", *EXTENDED)
    repo.commit(OFFICE, "延期")
    repo.git("checkout", "-q", "-b", "lyj", "base", who=FOREST)
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发")
    repo.git("merge", "-q", "--no-ff", "-m", "章鱼合并", "czt", "main", who=FOREST)
    assert repo.review("base").code == 0  # an honest octopus merge: nothing of its own
    repo.edit("ledger.toml", 'extensions = [{to = 2026-09-30, reason = "试点县调整"}]\n', "")
    repo.git("add", "-A", who=FOREST)
    repo.git("commit", "-q", "--amend", "--no-edit", who=FOREST)
    assert len(repo.git("log", "-1", "--format=%P").split()) == 3
    code, report = repo.report("base")
    assert code == 1
    assert out_of_remit(report) == [("章鱼合并", "extensions-changed", None, "office-only", False)]


def test_a_merge_with_strategy_ours_drops_the_other_side(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "lyj", who=FOREST)
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发")
    repo.git("checkout", "-q", "main")
    repo.edit("ledger.toml", *EXTENDED)
    repo.commit(OFFICE, "延期")
    repo.git("checkout", "-q", "lyj", who=FOREST)
    repo.git("merge", "-q", "-s", "ours", "-m", "合并主线", "main", who=FOREST)
    code, report = repo.report("base")
    assert code == 1
    assert out_of_remit(report) == [("合并主线", "extensions-changed", None, "office-only", False)]


def test_a_merge_where_both_sides_changed_one_fact(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "other")
    repo.edit("ledger.toml", "due = 2026-06-30\n", "due = 2026-08-31\n")
    repo.commit(OFFICE, "改为八月")
    repo.git("checkout", "-q", "main")
    repo.edit("ledger.toml", "due = 2026-06-30\n", "due = 2026-07-31\n")
    repo.commit(OFFICE, "改为七月")
    repo.git("merge", "-q", "other", who=FOREST, check=False)  # a conflict: both moved it
    text = repo.read("ledger.toml")
    start, end = text.index("<<<<<<<"), text.index(">>>>>>>")
    resolved = text[:start] + "due = 2026-08-31\n" + text[text.index("\n", end) + 1 :]
    repo.write("ledger.toml", resolved)
    repo.commit(FOREST, "合并")
    assert repo.review("base").code == 0  # one side's value: that side's (the office's)
    repo.edit("ledger.toml", "due = 2026-08-31\n", "due = 2026-09-30\n")
    repo.git("add", "-A", who=FOREST)
    repo.git("commit", "-q", "--amend", "--no-edit", who=FOREST)
    code, report = repo.report("base")
    assert code == 1  # a value neither side had: the merger's own
    assert out_of_remit(report) == [("合并", "milestone-changed", "due", "office-only", False)]


def test_members_and_a_due_date_changed_in_one_commit(repo: Repo) -> None:
    repo.write("ledger.toml", FOREST_IN_OFFICE.replace(*MOVED))
    repo.commit(FOREST, "入办并顺延")
    code, report = repo.report("base")
    assert code == 1
    assert out_of_remit(report) == [
        ("入办并顺延", "unit-changed", "members", "office-only", False),
        ("入办并顺延", "milestone-changed", "due", "office-only", False),
    ]


def test_members_the_office_adds_in_the_range_count_from_the_next_base(repo: Repo) -> None:
    repo.edit(
        "ledger.toml",
        'members = ["郑涛 <zhengtao@lyj.example>"]',
        'members = ["郑涛 <zhengtao@lyj.example>", "吴静 <wujing@czt.example>"]',
    )
    repo.commit(OFFICE, "财政厅同志协助林业局")
    repo.edit("ledger.toml", *DONE)
    repo.commit(FINANCE, "方案印发")
    code, report = repo.report("base")
    assert code == 1
    assert [(c[0], c[3]) for c in changes(report)] == [
        ("财政厅同志协助林业局", "office"),
        ("方案印发", "lead-only"),  # still a member of 省财政厅 only, as BASE says
    ]
    assert repo.review("HEAD~1").code == 0  # once the office's change is the base


def test_history_rewritten_so_the_base_is_not_an_ancestor(repo: Repo) -> None:
    repo.git("checkout", "-q", "--orphan", "rewritten", who=FOREST)
    repo.write("ledger.toml", FOREST_IN_OFFICE.replace(*MOVED))
    repo.commit(FOREST, "重写历史")
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发")
    code, report = repo.report("base", "rewritten")
    assert code == 1
    assert out_of_remit(report) == [
        ("重写历史", "unit-changed", "members", "office-only", False),
        ("重写历史", "milestone-changed", "due", "office-only", False),
    ]


def test_a_base_without_a_ledger_trusts_nobody(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("README.md", "台账仓库\n")
    repo.commit(OFFICE, "初始化")
    repo.git("tag", "empty")
    repo.write("ledger.toml", LEDGER)
    repo.commit(OFFICE, "台账")
    code, report = repo.report("empty")
    assert code == 1  # no members at BASE: nobody's remit can be known
    assert {c[3] for c in changes(report)} == {"not-member"}


def test_a_configuration_naming_other_files_is_the_offices_change(repo: Repo) -> None:
    # a workspace beside the ledger, made of a copy of it: every command now reads the copy,
    # and the ledger the office knows is changed where no review reads it
    repo.write("reformctl.toml", '[workspace]\nshared = "copy.toml"\nledgers = ["parts/*.toml"]\n')
    repo.write("copy.toml", LEDGER)
    repo.commit(FOREST, "另立台账")
    repo.edit("ledger.toml", *MOVED)
    repo.commit(FOREST, "改原台账")
    code, report = repo.report("base")
    assert code == 1
    (change,) = [ch for c in report["commits"] for ch in c["changes"]]
    assert (change["kind"], change["before"], change["after"], change["reason"]) == (
        "ledger-files-changed",
        "ledger.toml",
        "copy.toml, reformctl.toml",
        "office-only",
    )
    assert "台账所含文件变更：ledger.toml → copy.toml, reformctl.toml" in repo.review("base").stdout


def test_repeated_syncs_and_a_merge_back_own_nothing(repo: Repo) -> None:
    # no false alarm: a clerk's branch that merges main twice, criss-crossed with the office
    repo.git("checkout", "-q", "-b", "lyj", who=FOREST)
    repo.edit("ledger.toml", *DONE)
    repo.commit(FOREST, "方案印发")
    repo.git("checkout", "-q", "main")
    repo.edit("ledger.toml", *EXTENDED)
    repo.commit(OFFICE, "延期")
    repo.git("checkout", "-q", "lyj", who=FOREST)
    repo.git("merge", "-q", "--no-ff", "-m", "同步一", "main", who=FOREST)
    repo.edit("ledger.toml", *LOGGED)
    repo.commit(FOREST, "报进展")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "改革办合并", "lyj")
    repo.edit("ledger.toml", 'name = "开展试点"\n', 'name = "开展试点工作"\n')
    repo.commit(OFFICE, "改名")
    repo.git("checkout", "-q", "lyj", who=FOREST)
    repo.git("merge", "-q", "--no-ff", "-m", "同步二", "main", who=FOREST)
    code, report = repo.report("base", "lyj")
    assert code == 0, out_of_remit(report)
    assert [c for c in report["commits"] if len(c["parents"]) > 1] == []
    assert repo.review("base", "main").code == 0


# -- who leads a point is read at BASE too; a criss-cross merge against every base -------------
def tree_commit(repo: Repo, parents: list[str], text: str, who: Who, message: str) -> str:
    """A commit of ``text`` as the ledger with exactly these ``parents`` (no work tree
    moved): merges whose result git would not give, as a clerk can make by hand."""
    repo.write("ledger.toml", text)
    repo.git("add", "-A", who=who)
    tree = repo.git("write-tree", who=who).strip()
    args = ["commit-tree", tree, "-m", message]
    for parent in parents:
        args += ["-p", parent]
    return repo.git(*args, who=who).strip()


def office_gives_r26_01_to_fgw(repo: Repo) -> str:
    """The office moves R26-01's lead from 省林业局 to 省发改委 and tags it ``moved``."""
    repo.git("checkout", "-q", "main")
    repo.edit("ledger.toml", 'lead = "lyj"\nunits = ["czt"]', 'lead = "fgw"\nunits = ["czt"]')
    moved = repo.commit(OFFICE, "改由发改委牵头")
    repo.git("tag", "moved")
    return moved


def test_a_criss_cross_merge_is_judged_against_every_base(repo: Repo) -> None:
    """The office moves the pilot's due date, merges it with another change of its own, and
    takes the move back; the forest clerk merges the two office commits afresh and then main
    keeping the moved date. Against one of the two merge bases the date is the other side's
    (whose change lies before BASE); against the other it undoes main's take-back."""
    c0 = repo.git("rev-parse", "HEAD").strip()
    renamed = LEDGER.replace('outcome = "政策文件"', 'outcome = "政策文件（省级）"')
    moved = LEDGER.replace("due = 2026-06-30\n", "due = 2026-12-31\n")
    both = renamed.replace("due = 2026-06-30\n", "due = 2026-12-31\n")
    o1 = tree_commit(repo, [c0], moved, OFFICE, "顺延试点")
    s1 = tree_commit(repo, [c0], renamed, OFFICE, "成果形式")
    o2 = tree_commit(repo, [o1, s1], both, OFFICE, "合并")
    o3 = tree_commit(repo, [o2], renamed, OFFICE, "撤回顺延")
    repo.git("update-ref", "refs/heads/main", o3)
    repo.git("reset", "-q", "--hard", "main")
    repo.git("tag", "cc-base")
    m1 = tree_commit(repo, [o1, s1], both, FOREST, "同步")
    head = tree_commit(repo, [o3, m1], both, FOREST, "合并主线")
    assert len(repo.git("merge-base", "--all", o3, m1).split()) == 2  # criss-cross
    code, report = repo.report("cc-base", head)
    assert code == 1
    assert ("合并主线", "milestone-changed", "due", "office-only", False) in out_of_remit(report)


def test_a_merges_own_done_is_judged_by_the_lead_at_base(repo: Repo) -> None:
    """The forest clerk checks out a commit from before the office gave R26-01 to 省发改委,
    merges main and records done in the merge: the merge's first parent still has 省林业局
    leading, BASE does not."""
    c0 = repo.git("rev-parse", "HEAD").strip()
    office_gives_r26_01_to_fgw(repo)
    repo.git("checkout", "-q", c0, who=FOREST)
    repo.git("merge", "-q", "--no-ff", "--no-commit", "main", who=FOREST, check=False)
    repo.edit("ledger.toml", "due = 2026-03-31\n", "due = 2026-03-31\ndone = 2026-03-28\n")
    head = repo.commit(FOREST, "合并主线")
    code, report = repo.report("moved", head)
    assert code == 1
    assert ("合并主线", "done", None, "lead-only", False) in out_of_remit(report)


def test_a_branch_from_before_a_reassignment_keeps_no_remit(repo: Repo) -> None:
    """A branch made before the office gave R26-01 to 省发改委 records done on it (its parent
    still has 省林业局 leading) and merges main cleanly: at BASE 省林业局 leads nothing."""
    repo.git("branch", "lyj", who=FOREST)
    office_gives_r26_01_to_fgw(repo)
    repo.git("checkout", "-q", "lyj", who=FOREST)
    repo.edit("ledger.toml", "due = 2026-03-31\n", "due = 2026-03-31\ndone = 2026-03-28\n")
    repo.commit(FOREST, "方案印发")
    repo.git("merge", "-q", "--no-ff", "-m", "合并主线", "main", who=FOREST)
    code, report = repo.report("moved")
    assert code == 1
    assert ("方案印发", "done", None, "lead-only", False) in out_of_remit(report)
    # and progress by the unit that still co-operates at BASE and in the branch is in remit
    repo.edit(
        "ledger.toml", '2026-03 = "实施方案起草中"\n', '2026-03 = "实施方案起草中"\n2026-04 = "x"\n'
    )
    repo.commit(FINANCE, "进展")
    code, report = repo.report("lyj")
    assert code == 0, out_of_remit(report)
