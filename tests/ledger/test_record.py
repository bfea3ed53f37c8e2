"""The record cannot be corrupted: writes are proven against the parser, keep what they do not
change (comments inside arrays, line endings), follow symlinks, and refuse rather than lose a
change made meanwhile or leave a lock behind."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from reformctl.ledger.lexer import scan
from reformctl.ledger.loader import load
from reformctl.ledger.parse import loads
from tests.conftest import BASE, run, write_ledger

# A milestone whose multi-line name ends with a line that looks like a comment, and a point
# whose multi-line path holds lines that look like headers.
TRAP = BASE.replace('name = "开展试点"', 'name = """甲\n#1"""').replace(
    'path = "出台政策文件"', "path = '''\n[points.R26-09]\n# 不是注释\n'''"
)


def facts(path: Path) -> dict[str, object]:
    return loads(path.read_text(encoding="utf-8"))


def test_trap_ledger_is_valid_and_lexed_exactly(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, TRAP)
    assert load(path).problems == []
    found = scan(TRAP)
    assert found.stopped is None
    assert ("points", "R26-09") not in [h.path for h in found.headers]


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (
            ["milestone", "add", "R26-01/more", "--name", "再推进", "--due", "2026-12-01"],
            lambda d: d["points"]["R26-01"]["milestones"]["more"]["name"] == "再推进",
        ),
        (
            ["log", "R26-01", "十一月进展", "--month", "2026-11"],
            lambda d: d["points"]["R26-01"]["progress"]["2026-11"] == "十一月进展",
        ),
        (
            ["done", "R26-01/pilot", "--on", "2026-11-01", "-e", "文号"],
            lambda d: (
                d["points"]["R26-01"]["milestones"]["pilot"]["done"].isoformat() == "2026-11-01"
            ),
        ),
        (
            [
                "point",
                "add",
                "R26-02",
                "--title",
                "新要点",
                "--group",
                "economy",
                "--lead",
                "fgw",
            ],
            lambda d: d["points"]["R26-02"]["title"] == "新要点",
        ),
    ],
)
def test_writes_next_to_multiline_strings_keep_every_fact(
    tmp_path: Path, args: list[str], check: object
) -> None:
    path = write_ledger(tmp_path, TRAP)
    before = facts(path)
    result = run(*args)
    assert result.code == 0, result.stderr
    after = facts(path)
    assert callable(check) and check(after)
    # the strings are untouched
    pilot = after["points"]["R26-01"]["milestones"]["pilot"]  # type: ignore[index]
    assert pilot["name"] == "甲\n#1"
    assert after["points"]["R26-01"]["path"] == before["points"]["R26-01"]["path"]  # type: ignore[index]
    assert run("check", "--fail-on", "never").code == 0


def test_removing_a_point_never_takes_its_neighbour(tmp_path: Path) -> None:
    text = BASE + (
        '\n[points.R26-02]\ntitle = "二"\ngroup = "economy"\nlead = "fgw"\nunits = []\n'
        "path = '''\n甲\n#1'''\noutcome = \"\"\nmajor = false\n"
        '\n[points.R26-03]\ntitle = "三"\ngroup = "economy"\nlead = "fgw"\nunits = []\n'
        'path = ""\noutcome = ""\nmajor = false\n'
    )
    path = write_ledger(tmp_path, text)
    assert run("point", "remove", "R26-02").code == 0
    points = facts(path)["points"]
    assert set(points) == {"R26-01", "R26-03"}  # type: ignore[arg-type]


def test_comment_inside_an_array_survives_extend_and_edit(tmp_path: Path) -> None:
    text = BASE.replace('units = ["fgw"]', 'units = [\n  "fgw",  # 发改委配合\n]').replace(
        'name = "开展试点"\ndue = 2026-06-30',
        'name = "开展试点"\ndue = 2026-06-30\nextensions = [\n'
        '  # 第一次延期：经省委改革办同意\n  { to = 2026-08-31, reason = "手写" },\n]',
    )
    path = write_ledger(tmp_path, text)
    assert run("extend", "R26-01/pilot", "--to", "2026-12-31", "--reason", "再延").code == 0
    new = path.read_text(encoding="utf-8")
    assert "  # 第一次延期：经省委改革办同意\n" in new
    assert '  { to = 2026-08-31, reason = "手写" },\n' in new
    added = (
        '  { to = 2026-12-31, reason = "再延", granted = 2026-11-28, approved_on = 2026-11-28 },'
    )
    assert added + "\n]" in new
    assert run("edit", "R26-01", "-u", "fgw", "-u", "lyj").code == 0
    new = path.read_text(encoding="utf-8")
    assert '  "fgw",  # 发改委配合\n  "lyj",\n]' in new
    assert facts(path)["points"]["R26-01"]["units"] == ["fgw", "lyj"]  # type: ignore[index]


def test_symlinked_ledger_writes_and_locks_the_target(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    real = write_ledger(shared, BASE)
    work = tmp_path / "work"
    work.mkdir()
    link = work / "ledger.toml"
    link.symlink_to(real)
    os.chdir(work)
    assert run("done", "R26-01/pilot", "-e", "文号").code == 0
    assert link.is_symlink()
    assert "文号" in real.read_text(encoding="utf-8")
    # the lock is the target's: a clerk on the other path is refused while it is held
    (shared / "ledger.toml.lock").write_text(f"{os.getpid()} {socket.gethostname()} 0\n")
    result = run("log", "R26-01", "x", "--month", "2026-11", env={"REFORMCTL_LOCK_TIMEOUT": "0.1"})
    assert result.code == 2
    assert "正由另一进程写入" in result.stderr
    assert str(real) in result.stderr


def test_change_made_meanwhile_is_never_reverted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write racing git: the file changes between read and rename; the write is refused."""
    from reformctl.ledger import write

    path = write_ledger(tmp_path, BASE)
    real_replace = write.replace_verified

    def git_checkout_meanwhile(
        target: Path, text: str, verify: object = None, *more: object
    ) -> None:
        target.write_text(BASE.replace("测试台账", "git 改过的台账"), encoding="utf-8")
        real_replace(target, text, verify, *more)  # type: ignore[arg-type]

    monkeypatch.setattr(write, "replace_verified", git_checkout_meanwhile)
    result = run("done", "R26-01/pilot")
    assert result.code == 2
    assert "改动" in result.stderr
    assert "git 改过的台账" in path.read_text(encoding="utf-8")


def test_read_only_ledger_is_refused_with_a_hint(ledger: Path) -> None:
    ledger.chmod(0o444)
    before = ledger.read_bytes()
    result = run("done", "R26-01/pilot")
    assert result.code == 2
    assert "chmod u+w" in result.stderr
    assert ledger.read_bytes() == before


def test_empty_lock_is_explained_with_the_command_to_clear_it(ledger: Path) -> None:
    (ledger.parent / "ledger.toml.lock").write_text("")
    result = run("done", "R26-01/pilot", env={"REFORMCTL_LOCK_TIMEOUT": "0.1"})
    assert result.code == 2
    assert "rm ledger.toml.lock" in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e9", "abc"])
def test_bad_lock_timeout_is_the_default_not_forever(
    ledger: Path, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reformctl.ledger import lock

    # the default (5 s) made short: the test is that a bad value waits the default, not how
    # long the default is, and a busy lock is waited out to the end before the refusal
    monkeypatch.setattr(lock, "DEFAULT_TIMEOUT", 0.2)
    (ledger.parent / "ledger.toml.lock").write_text("1 elsewhere 0\n")
    import time

    start = time.monotonic()
    result = run("done", "R26-01/pilot", env={"REFORMCTL_LOCK_TIMEOUT": value})
    assert result.code == 2
    assert time.monotonic() - start < 30


def test_failure_to_write_the_lock_leaves_none(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while the lock is written: no lock file is left to block later writes."""
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if data.startswith(str(os.getpid()).encode()):
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    result = run("done", "R26-01/pilot")
    assert result.code == 2
    assert "No space left on device" in result.stderr
    assert sorted(p.name for p in ledger.parent.iterdir()) == ["ledger.toml"]
    monkeypatch.setattr(os, "write", real_write)
    assert run("done", "R26-01/pilot").code == 0


def test_temp_files_of_dead_writers_are_cleaned(ledger: Path) -> None:
    stale = ledger.parent / ".ledger.toml.999999.tmp"
    stale.write_text("half a ledger")
    assert run("done", "R26-01/pilot").code == 0
    assert not stale.exists()


def test_mixed_line_endings_keep_every_untouched_line(tmp_path: Path) -> None:
    lines = BASE.split("\n")
    # mostly CRLF, two lines LF
    raw = "".join(
        line + ("\n" if i in (3, 8) else "\r\n") for i, line in enumerate(lines[:-1])
    ).encode()
    path = tmp_path / "ledger.toml"
    path.write_bytes(raw)
    assert run("done", "R26-01/pilot", "-e", "文号").code == 0
    new = path.read_bytes()
    for i in (3, 8):
        assert (lines[i] + "\n").encode() in new and (lines[i] + "\r\n").encode() not in new
    assert b"done = 2026-11-28\r\n" in new


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null"])
def test_device_files_are_refused(special: str) -> None:
    result = run("--ledger", special, "check")
    assert result.code == 2
    assert "不是普通文件" in result.stdout + result.stderr


def test_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "ledger.toml"
    os.mkfifo(fifo)
    result = run("check")
    assert result.code == 2


def test_remove_with_dependants_is_refused_even_with_force(tmp_path: Path) -> None:
    text = BASE + (
        '\n[outposts.jj]\nname = "晋江"\nkind = "county"\n'
        '\n[feedback.FB-0001]\noutpost = "jj"\non = 2026-05-01\npoint = "R26-01"\ntext = "好"\n'
    )
    path = write_ledger(tmp_path, text)
    before = path.read_bytes()
    result = run("point", "remove", "R26-01", "--force")
    assert result.code == 2
    assert "R26-01" in result.stderr
    assert path.read_bytes() == before


def test_a_write_is_proven_against_the_whole_parsed_text(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a splice landed somewhere else than meant, the proof refuses it."""
    from reformctl.ledger import edit

    real = edit.Source.apply

    def misplaced(self: edit.Source, splices: object) -> str:
        return real(self, splices).replace('title = "测试台账"', 'title = "被改了"')  # type: ignore[arg-type]

    monkeypatch.setattr(edit.Source, "apply", misplaced)
    before = ledger.read_bytes()
    result = run("done", "R26-01/pilot")
    assert result.code == 2
    assert "ledger.title" in result.stderr
    assert ledger.read_bytes() == before


@pytest.mark.parametrize(
    "snippet",
    ['bad = "\\e"', 'bad = "\\x41"', "bad = { a = 1, }", "bad = { a = 1,\n b = 2 }"],
)
def test_toml_1_1_is_refused_as_tomllib_refuses_it(tmp_path: Path, snippet: str) -> None:
    import tomllib

    text = BASE.replace("schema = 1\n", f"schema = 1\n{snippet}\n")
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    write_ledger(tmp_path, text)
    result = run("check")
    assert result.code == 2
    assert result.stdout.startswith("ledger.toml:2:")


def test_a_write_whose_file_reads_back_otherwise_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file is read back once: bytes other than those meant (a disk, a file
    system that lost or changed them) refuse the write, and the old file stands."""
    path = write_ledger(tmp_path, BASE)
    before = path.read_bytes()
    real = Path.read_bytes

    def damaged(self: Path) -> bytes:
        data = real(self)
        return data[:-2] + b"x\n" if self.name.endswith(".tmp") else data

    monkeypatch.setattr(Path, "read_bytes", damaged)
    result = run("done", "R26-01/pilot")
    assert result.code != 0
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_write_refused_after_its_bytes_were_staged_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new bytes go to the temporary file (and the disk) while the change is proven and
    checked; a write refused then removes it: the ledger stands byte for byte, and no
    temporary file is left."""
    from reformctl.ledger import write

    path = write_ledger(tmp_path, BASE)
    before = path.read_bytes()
    staged: list[Path] = []

    def refuse(*args: object, **kwargs: object) -> object:
        for _ in range(200):  # being written beside the rules, by a thread
            staged.extend(tmp_path.glob(".*.tmp"))
            if staged:
                break
            time.sleep(0.01)
        raise RuntimeError("a rule refuses")

    monkeypatch.setattr(write, "_no_new_problems", refuse)
    assert run("done", "R26-01/pilot").code != 0
    assert staged
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_write_whose_staged_file_cannot_be_synced_fails_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thread that writes and syncs the temporary file fails (a full disk): the write
    fails as when it wrote the file itself, the ledger stands, no temporary file is left."""
    import errno

    path = write_ledger(tmp_path, BASE)
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = run("done", "R26-01/pilot")
    assert result.code == 2
    assert os.strerror(errno.ENOSPC) in result.stderr
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))
