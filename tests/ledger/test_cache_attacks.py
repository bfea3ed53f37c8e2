"""Issue 22: the cache can never change an answer, whoever else can write where it lives.

Each attack runs the real CLI in a real process against a cache folder of the test's own (a
timeout turns a hang into a failure): an entry planted by someone who can write the folder, a
FIFO or a symlink to /dev/zero at an entry's name, a folder others may write or that is not the
user's own, a key file that is not private, and a workspace file's textconv served from an
entry made for the same bytes outside the workspace (in ``git log -p``).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reformctl import answers
from reformctl.errors import Problem
from reformctl.ledger import cache, store
from reformctl.ledger.read import load_text
from reformctl.model import Loc
from tests.conftest import BASE, ROOT, TODAY, Run, write_ledger

# BASE with its open milestone overdue on TODAY, and the same ledger with it done: what an
# attacker wants `check` to say about the first
OVERDUE = BASE
ALL_DONE = BASE.replace(
    "due = 2026-06-30\n", 'due = 2026-06-30\ndone = 2026-06-29\nevidence = "x"\n'
)
FOREIGN_UID = 54321


def cli(*args: str, cwd: Path, where: Path, timeout: float = 60, limit_memory: bool = False) -> Run:
    """The real entry point in a process of its own (this tree's code), its cache in
    ``where``, written before it exits (sync); a hang or a runaway read fails the test."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REFORMCTL_CACHE_DIR": str(where),
        "REFORMCTL_CACHE": "sync",
        "REFORMCTL_TODAY": TODAY,
    }

    def limit() -> None:  # a read of /dev/zero must not take the machine's memory
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.run(
        [sys.executable, "-m", "reformctl", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit if limit_memory else None,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def victim(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A ledger with one overdue milestone on TODAY, and an empty cache folder (0700)."""
    folder = tmp_path / "office"
    folder.mkdir()
    write_ledger(folder, OVERDUE)
    where = tmp_path / "cache"
    where.mkdir(mode=0o700)
    yield folder, where


def entry_path(where: Path, text: str, kind: str = "model", *parts: str) -> Path:
    return where / (cache.key(kind, text.encode(), *(parts or ("ledger.toml",))) + ".bin")


def clean_path(where: Path, text: str) -> Path:
    """The entry beside a model entry with no problem that says so (what a write reads)."""
    model = entry_path(where, text)
    return model.with_name("clean-" + model.name.removeprefix("model-"))


def answer_path(where: Path) -> Path:
    """The one answer entry in ``where`` (`check`'s, kept by the run before): its key holds
    the run's environment and folder, so it is found rather than computed."""
    found = sorted(where.glob(f"{answers.KIND}-*.bin"))
    assert len(found) == 1, found
    return found[0]


# Each attack on an entry is made on the model's entry and on the answer's (issue 25: a kept
# answer is read before the model, so the answer entry is what a `check` reads first).
KINDS = ["model", "answer"]


def attacked(where: Path, kind: str) -> Path:
    """The entry of ``kind`` the attack replaces, for the ledger OVERDUE after one `check`.
    For the model's, the answer is taken away (as if the attack came before it was kept):
    else `check` is answered, rightly, without reading the model's entry at all."""
    if kind == "answer":
        return answer_path(where)
    for kept in where.glob(f"{answers.KIND}-*.bin"):
        kept.unlink()
    return entry_path(where, OVERDUE)


def forged_model(monkeypatch: pytest.MonkeyPatch, made_in: Path, text: str, as_text: str) -> bytes:
    """An entry for ``text`` (under its name) holding the model of ``as_text``, made the way
    reformctl makes one, in the folder ``made_in`` (with that folder's secret)."""
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(made_in))
    monkeypatch.setenv("REFORMCTL_CACHE", "off")
    fake = load_text(as_text, "ledger.toml")
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    name = cache.key("model", text.encode(), "ledger.toml")
    cache.put_bytes(name, cache.dumps_model(fake.ledger, fake.problems))
    monkeypatch.delenv("REFORMCTL_CACHE_DIR")
    return (made_in / (name + ".bin")).read_bytes()


def forged_answer(made_in: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """An answer entry under ``name`` saying what `check` says of ALL_DONE (无逾期节点, exit
    0), made the way reformctl makes one, with the secret of the folder ``made_in``."""
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(made_in))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    store.put_bytes(name, answers._pack(0, "无逾期节点\n".encode(), b""))
    monkeypatch.delenv("REFORMCTL_CACHE_DIR")
    return (made_in / (name + ".bin")).read_bytes()


def assert_overdue_reported(result: Run) -> None:
    assert result.code == 1, result.stdout + result.stderr
    assert "R26-01/pilot" in result.stdout and "1 个节点逾期" in result.stdout


def test_fresh_answer_first(victim: tuple[Path, Path]) -> None:
    """What the attacks below must not change (and a cold then warm read agree)."""
    folder, where = victim
    assert_overdue_reported(cli("check", cwd=folder, where=where))
    assert entry_path(where, OVERDUE).is_file()
    assert_overdue_reported(cli("check", cwd=folder, where=where))


@pytest.mark.parametrize("kind", KINDS)
def test_a_planted_entry_fails_verification_and_is_rewritten(
    victim: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """An entry made elsewhere (the attacker's own cache, own secret) and copied to the name
    this ledger's model (or `check`'s answer) is kept under: on main, `check` said 无逾期节点
    (exit 0)."""
    folder, where = victim
    assert cli("check", cwd=folder, where=where).code == 1  # the folder and its key exist
    target = attacked(where, kind)
    if kind == "model":
        planted = forged_model(monkeypatch, tmp_path / "attacker", OVERDUE, ALL_DONE)
    else:
        planted = forged_answer(tmp_path / "attacker", target.name[: -len(".bin")], monkeypatch)
    target.write_bytes(planted)
    result = cli("check", cwd=folder, where=where)
    assert_overdue_reported(result)
    assert "无逾期节点" not in result.stdout
    assert target.read_bytes() != planted  # rewritten with the folder's own entry
    assert_overdue_reported(cli("check", cwd=folder, where=where))


@pytest.mark.parametrize("kind", KINDS)
def test_an_entry_copied_to_another_name_fails(victim: tuple[Path, Path], kind: str) -> None:
    """The digest covers the entry's name: the folder's own entry of another ledger (the same
    ledger with everything done), copied to this ledger's name, is not trusted."""
    folder, where = victim
    assert cli("check", cwd=folder, where=where).code == 1
    target = attacked(where, kind)
    kept = set(where.glob(f"{answers.KIND}-*.bin"))
    other = folder.parent / "other"
    other.mkdir()
    write_ledger(other, ALL_DONE)
    assert cli("check", cwd=other, where=where).code == 0
    if kind == "model":
        entry_path(where, ALL_DONE).replace(target)
    else:
        (theirs,) = set(where.glob(f"{answers.KIND}-*.bin")) - kept
        theirs.replace(target)
    assert_overdue_reported(cli("check", cwd=folder, where=where))


def test_a_write_told_the_text_has_no_problem_by_anything_else_reads_the_model(
    victim: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry that says the old text had no problem (so that a write need not load its
    model) is trusted only as any entry is: a FIFO there, one made with another secret, or
    another text's copied there is not; the write then reads the model (here: with problems,
    planted with the folder's own secret), and refuses as it refuses a ledger with problems."""
    folder, where = victim
    assert cli("check", cwd=folder, where=where).code == 1
    clean = clean_path(where, OVERDUE)
    assert clean.read_bytes()  # (made beside the model's entry)
    args = ("done", "R26-01/pilot", "--on", "2026-11-01", "--evidence", "闽林〔2026〕9号")
    other = tmp_path / "other"
    other.mkdir()
    write_ledger(other, ALL_DONE)
    assert cli("check", cwd=other, where=where).code == 0
    attacks = {
        "fifo": lambda: os.mkfifo(clean),
        "copied": lambda: clean_path(where, ALL_DONE).replace(clean),
        "planted": lambda: clean.write_bytes(b"\0" * 200),
    }
    for name, attack in attacks.items():
        clean.unlink(missing_ok=True)
        attack()
        # the model's entry says the text has a problem: only a write that reads it knows
        entry = entry_path(where, OVERDUE).name.removesuffix(".bin")
        monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(where))
        monkeypatch.setenv("REFORMCTL_CACHE", "sync")
        found = cache.loads_model(cache.get_bytes(entry) or b"")
        assert found is not None and found[0] is not None
        problem = Problem("schema-missing", Loc("ledger.toml", 1), {}, "hint-schema")
        cache.put_bytes(entry, cache.dumps_model(found[0], [problem]))
        monkeypatch.delenv("REFORMCTL_CACHE_DIR")
        monkeypatch.delenv("REFORMCTL_CACHE")
        result = cli(*args, cwd=folder, where=where, timeout=30)
        assert result.code == 2, (name, result.stderr)
        assert "闽林〔2026〕9号" not in (folder / "ledger.toml").read_text()


@pytest.mark.parametrize(
    ("command", "kind"), [("check", "model"), ("check", "answer"), ("done", "model")]
)
def test_a_fifo_at_an_entrys_name_is_ignored(
    victim: tuple[Path, Path], command: str, kind: str
) -> None:
    """On main, reading the entry waited for a writer forever: `check` hung, and `done` hung
    holding the ledger's lock (every other clerk was refused)."""
    folder, where = victim
    cli("check", cwd=folder, where=where)
    target = attacked(where, kind)
    target.unlink()
    os.mkfifo(target)
    if command == "done":  # (else the write, told the text had no problem, reads no model)
        clean_path(where, OVERDUE).unlink()
    if command == "check":
        assert_overdue_reported(cli("check", cwd=folder, where=where, timeout=30))
    else:
        args = ("done", "R26-01/pilot", "--on", "2026-11-01", "--evidence", "闽林〔2026〕9号")
        result = cli(*args, cwd=folder, where=where, timeout=30)
        assert result.code == 0, result.stderr
        assert 'evidence = "闽林〔2026〕9号"' in (folder / "ledger.toml").read_text()
        assert not (folder / "ledger.toml.lock").exists()
    assert stat.S_ISREG(target.lstat().st_mode) or not target.exists()
    if command == "check":  # replaced by the folder's own entry
        assert stat.S_ISREG(target.lstat().st_mode)


@pytest.mark.parametrize("kind", KINDS)
def test_a_symlink_to_dev_zero_is_not_followed(victim: tuple[Path, Path], kind: str) -> None:
    """On main, the entry was read to its end: /dev/zero has none (memory ran out)."""
    folder, where = victim
    cli("check", cwd=folder, where=where)
    target = attacked(where, kind)
    target.unlink()
    target.symlink_to("/dev/zero")
    assert_overdue_reported(cli("check", cwd=folder, where=where, limit_memory=True))
    assert not target.is_symlink()  # replaced by the folder's own entry


@pytest.mark.parametrize("kind", KINDS)
def test_a_symlink_to_a_valid_entry_is_not_followed(victim: tuple[Path, Path], kind: str) -> None:
    """Not even to an intact entry of this very folder: entries are never followed."""
    folder, where = victim
    cli("check", cwd=folder, where=where)
    target = attacked(where, kind)
    target.rename(where / "elsewhere.keep")
    target.symlink_to(where / "elsewhere.keep")
    assert_overdue_reported(cli("check", cwd=folder, where=where))
    assert not target.is_symlink()  # replaced by the folder's own entry


def planted_with_the_folders_key(
    folder: Path, where: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack a folder others may write allows: an entry made with the folder's own key
    (they could have put their key there, or read it), for this ledger's name."""
    cli("check", cwd=folder, where=where)
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(where))
    monkeypatch.setenv("REFORMCTL_CACHE", "off")
    fake = load_text(ALL_DONE, "ledger.toml")
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    cache._secrets.clear()
    cache.put_bytes(
        cache.key("model", OVERDUE.encode(), "ledger.toml"),
        cache.dumps_model(fake.ledger, fake.problems),
    )
    cache._secrets.clear()
    monkeypatch.delenv("REFORMCTL_CACHE_DIR")


@pytest.mark.parametrize("mode", [0o770, 0o702])
def test_a_folder_others_may_write_is_not_used(
    victim: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    folder, where = victim
    planted_with_the_folders_key(folder, where, monkeypatch)
    where.chmod(mode)
    before = sorted(p.name for p in where.iterdir())
    result = cli("--verbose", "check", cwd=folder, where=where)
    assert_overdue_reported(result)
    assert result.stderr.count("不予使用") == 1, result.stderr
    assert str(where) in result.stderr and f"{mode:04o}" in result.stderr
    assert sorted(p.name for p in where.iterdir()) == before  # nothing written there either
    quiet = cli("check", cwd=folder, where=where)
    assert_overdue_reported(quiet)
    assert quiet.stderr == ""  # said only with --verbose


def test_a_cache_dir_that_is_a_file_is_said_once(victim: tuple[Path, Path]) -> None:
    folder, where = victim
    where.rmdir()
    where.write_text("x", encoding="utf-8")
    result = cli("--verbose", "check", cwd=folder, where=where)
    assert_overdue_reported(result)
    assert result.stderr.count("不予使用") == 1 and str(where) in result.stderr, result.stderr
    assert where.read_text(encoding="utf-8") == "x"
    quiet = cli("check", cwd=folder, where=where)
    assert_overdue_reported(quiet)
    assert quiet.stderr == ""  # said only with --verbose


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_folder_another_user_owns_is_not_used(
    victim: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, where = victim
    planted_with_the_folders_key(folder, where, monkeypatch)
    os.chown(where, FOREIGN_UID, -1)
    result = cli("--lang", "en", "--verbose", "check", cwd=folder, where=where)
    assert result.code == 1 and "R26-01/pilot" in result.stdout
    assert result.stderr.count("not used") == 1 and "owner" in result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
@pytest.mark.parametrize("damage", ["mode", "owner", "size", "symlink", "fifo"])
def test_a_key_file_that_is_not_private_is_not_used(
    victim: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    folder, where = victim
    planted_with_the_folders_key(folder, where, monkeypatch)
    key = where / cache.SECRET
    if damage == "mode":
        key.chmod(0o644)
    elif damage == "owner":
        os.chown(key, FOREIGN_UID, -1)
    elif damage == "size":
        key.write_bytes(key.read_bytes() + b"\n")
    elif damage == "symlink":
        key.rename(where / "key.real")
        key.symlink_to(where / "key.real")
    else:
        key.unlink()
        os.mkfifo(key)
    result = cli("--verbose", "check", cwd=folder, where=where, timeout=30)
    assert_overdue_reported(result)
    assert "缓存密钥" in result.stderr


def test_the_folder_and_key_are_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    write_ledger(folder, OVERDUE)
    where = tmp_path / "deep" / "cache"
    assert_overdue_reported(cli("check", cwd=folder, where=where))
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    key = where / cache.SECRET
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    assert not list(where.glob("*.tmp")) and not list(where.glob(".*.tmp"))
    first = key.read_bytes()
    cli("check", cwd=folder, where=where)
    assert key.read_bytes() == first  # made once


# -- a workspace file's textconv and the same bytes outside it ----------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=办公室", "-c", "user.email=ggb@example.cn", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_textconv_in_a_workspace_is_not_served_from_the_same_bytes_outside_it(
    tmp_path: Path,
) -> None:
    """`git log -p` of a workspace file: its units are declared in shared.toml. The same bytes
    read alone (a copy outside the workspace) have undeclared units; on main that entry was
    served inside the workspace, and the log showed 未声明的单位 under every revision."""
    where = tmp_path / "cache"
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "ledger.toml", repo / "ledger.toml")
    assert cli("workspace", "split", "--by", "group", cwd=repo, where=where).code == 0
    git(repo, "init", "-q", "-b", "main")
    assert cli("git", "install", cwd=repo, where=where).code == 0
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "工作区")
    member = repo / "groups" / "economy.toml"
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(member, alone / "economy.toml")
    outside = cli("git", "textconv", "economy.toml", cwd=alone, where=where)
    assert "未声明的单位" in outside.stdout  # read alone, its units are declared nowhere
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REFORMCTL_CACHE_DIR": str(where),
        "REFORMCTL_CACHE": "sync",
    }
    log = subprocess.run(
        ["git", "log", "-p", "--", "groups/economy.toml"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "牵头单位" in log  # read through the textconv
    assert "未声明的单位" not in log and "⚠" not in log
    # and the other way round: the workspace's entry is not served outside it
    again = cli("git", "textconv", "economy.toml", cwd=alone, where=where)
    assert again.stdout == outside.stdout


def test_textconv_follows_the_language_and_the_workspace_configuration(tmp_path: Path) -> None:
    where = tmp_path / "cache"
    folder = tmp_path / "office"
    folder.mkdir()
    write_ledger(folder, OVERDUE.replace('lead = "lyj"', 'lead = "nobody"'))
    zh = cli("git", "textconv", "ledger.toml", cwd=folder, where=where)
    en = cli("--lang", "en", "git", "textconv", "ledger.toml", cwd=folder, where=where)
    assert "未声明" in zh.stdout and "未声明" not in en.stdout
    assert cli("git", "textconv", "ledger.toml", cwd=folder, where=where).stdout == zh.stdout


# -- reads bounded by the size an entry records (in process: what get_bytes takes) -------------


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob + b"\0" * 4096,  # more than it records
        lambda blob: blob[:-1],  # less
        lambda blob: (
            blob[: len(cache.MAGIC)]  # none at all
            + (0).to_bytes(cache.SIZE, "little")
            + blob[len(cache.MAGIC) + cache.SIZE : len(cache.MAGIC) + cache.SIZE + cache.DIGEST]
        ),
        # a size far beyond the file (and anything): refused before a byte of it is read
        lambda blob: (
            blob[: len(cache.MAGIC)]
            + (2**62).to_bytes(cache.SIZE, "little")
            + blob[len(cache.MAGIC) + cache.SIZE :]
        ),
    ],
)
def test_an_entry_is_read_only_to_the_size_it_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    cache.put_bytes("model-x", b"payload" * 1000)
    assert cache.get_bytes("model-x") == b"payload" * 1000
    entry = tmp_path / "cache" / "model-x.bin"
    reads: list[int] = []
    real_read = os.read

    def counting(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    monkeypatch.setattr(os, "read", counting)
    assert cache.get_bytes("model-x") is None
    assert sum(reads) <= entry.stat().st_size


def test_a_fifo_or_a_device_is_never_opened_to_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process too, with a FIFO nobody writes: the read returns at once (a guard thread
    fails the test instead of hanging the suite)."""
    import threading

    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    cache.put_bytes("model-y", b"y")
    fifo = tmp_path / "cache" / "model-y.bin"
    fifo.unlink()
    os.mkfifo(fifo)
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(cache.get_bytes("model-y")), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # unblock it (a writer opens the FIFO), then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("a read of a FIFO entry waited for a writer")
    assert got == [None]
