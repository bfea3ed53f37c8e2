"""The cache of the validated model: never trusted over the file, safe on corruption, atomic,
bounded, and shared safely by concurrent writers."""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reformctl.ledger import cache, store
from reformctl.ledger.loader import load
from reformctl.ledger.read import load_text
from tests.conftest import BASE, ROOT, run, write_ledger


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own, written synchronously (no detached writer to wait for)."""
    where = tmp_path / "cache"
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(where))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    return where


def entries(where: Path) -> list[Path]:
    return sorted(where.glob("model-*.bin")) if where.exists() else []


def counting_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often the ledger is really built (a cache miss)."""
    import reformctl.ledger.read as read

    calls: list[int] = []
    real = getattr(read, "build_ledger")  # noqa: B009

    def build(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(read, "build_ledger", build)
    return calls


def test_hit_gives_the_same_model_and_problems(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = BASE + '\n[points.R26-09]\ntitle = "x"\ngroup = "nope"\nlead = "lyj"\n'
    builds = counting_builds(monkeypatch)
    first = load_text(text, "ledger.toml")
    assert len(entries(cache_dir)) == 1 and builds == [1]
    second = load_text(text, "ledger.toml")
    assert builds == [1]  # from the cache
    assert second.ledger == first.ledger
    assert second.problems == first.problems and second.problems
    assert [p.loc for p in second.problems] == [p.loc for p in first.problems]
    # the positions still come from the text, lazily
    assert second.index.loc(("points", "R26-09"), "group") == first.index.loc(
        ("points", "R26-09"), "group"
    )


def test_sample_ledger_round_trips(cache_dir: Path) -> None:
    """Every type of the sample ledger (all sections) goes through the allow-listed unpickler."""
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    fresh = load_text(text, "ledger.toml")
    payload = cache.dumps_model(fresh.ledger, fresh.problems)
    assert cache.loads_model(payload) == (fresh.ledger, fresh.problems)


def test_an_entry_stores_each_string_and_date_once(cache_dir: Path) -> None:
    """Equal strings and dates (a unit's key on every point, a half-year's last day on many
    milestones) are one object in the entry and in what it loads into: the entry is smaller
    and loads faster, and the model is still equal to the one built."""
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    fresh = load_text(text, "ledger.toml")
    assert fresh.ledger is not None
    plain = pickle.dumps((fresh.ledger, fresh.problems), protocol=5)
    payload = cache.dumps_model(fresh.ledger, fresh.problems)
    loaded = cache.loads_model(payload)
    assert loaded == (fresh.ledger, fresh.problems)
    ledger = loaded[0]
    assert ledger is not None
    leads = [p.lead for p in ledger.points.values()]
    assert len(leads) > len(set(leads))  # the sample has units leading several points
    assert len({id(lead) for lead in leads}) == len(set(leads))
    dues = [m.due for p in ledger.points.values() for m in p.milestones]
    assert len({id(d) for d in dues}) == len(set(dues)) < len(dues)
    assert len(payload) < len(plain)


BROKEN = [
    BASE + '\n[points.R26-09]\ntitle = "x"\ngroup = "nope"\nlead = "lyj"\n',
    BASE.replace("due = 2026-06-30", 'due = "soon"'),
    BASE.replace("year = 2026", "year = -1").replace('lead = "fgw"', 'lead = "zzz"'),
    BASE.replace("done = 2026-03-28\n", "done = 2026-03-28\nbogus = [1, 2.5, true]\n"),
    BASE.replace('evidence = "闽林〔2026〕3号"', "evidence = 3"),
    BASE + "\n[units.fgw2]\nname = 1979-05-27T07:32:00Z\n",
    BASE + "\n[feedback.x]\nodd = { a = 1 }\n",
    BASE + "\nnot toml at all = = =\n",
]


@pytest.mark.parametrize("text", BROKEN)
def test_problems_of_every_kind_round_trip(cache_dir: Path, text: str) -> None:
    """Whatever build and the rules put in a problem's arguments goes through the
    allow-listed unpickler (else every read of that ledger would miss)."""
    fresh = load_text(text, "ledger.toml")
    assert fresh.problems
    assert cache.loads_model(cache.dumps_model(fresh.ledger, fresh.problems)) == (
        fresh.ledger,
        fresh.problems,
    )


def test_stale_entry_is_never_used_for_changed_text(
    cache_dir: Path, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = counting_builds(monkeypatch)
    before = load(ledger)
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("测试台账", "新台账"), "utf-8")
    after = load(ledger)
    assert builds == [1, 1]
    assert before.valid().settings.title == "测试台账"
    assert after.valid().settings.title == "新台账"
    assert len(entries(cache_dir)) == 2


def test_edited_by_hand_in_the_same_second(
    cache_dir: Path, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same size, same mtime (to the nanosecond), same inode, different bytes: a new key."""
    st = ledger.stat()
    assert load(ledger).valid().points["R26-01"].lead == "lyj"
    text = ledger.read_text(encoding="utf-8")
    edited = text.replace('lead = "lyj"', 'lead = "fgw"', 1)
    assert len(edited.encode()) == len(text.encode())
    with ledger.open("r+b") as fh:  # in place: the inode stays
        fh.write(edited.encode())
    os.utime(ledger, ns=(st.st_atime_ns, st.st_mtime_ns))
    now = ledger.stat()
    assert (now.st_size, now.st_mtime_ns, now.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    assert load(ledger).valid().points["R26-01"].lead == "fgw"


def test_the_name_is_part_of_the_key(cache_dir: Path) -> None:
    a = load_text(BASE, "a.toml")
    b = load_text(BASE, "b.toml")
    assert a.valid().points["R26-01"].loc.file == "a.toml"
    assert b.valid().points["R26-01"].loc.file == "b.toml"


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: b"",  # empty
        lambda blob: blob[: len(blob) // 2],  # cut short
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),  # one bit
        lambda blob: b"garbage" + blob,  # no magic
        lambda blob: blob[:40] + b"\0" * 20 + blob[60:],  # the digest
    ],
)
def test_corrupt_entry_is_ignored_and_rewritten(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    load_text(BASE, "ledger.toml")
    (entry,) = entries(cache_dir)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))  # type: ignore[operator]
    builds = counting_builds(monkeypatch)
    again = load_text(BASE, "ledger.toml")
    assert builds == [1]  # rebuilt, not read from the damaged entry
    assert again.valid().settings.title == "测试台账"
    assert entry.read_bytes() == good  # and the entry is whole again


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_intact_entry_with_a_foreign_pickle_is_refused(cache_dir: Path, tmp_path: Path) -> None:
    """A well-formed entry (right magic and digest) whose payload names anything outside the
    model is not unpickled: the unpickler resolves only the model's own types."""
    marker = tmp_path / "owned"
    name = cache.key("model", BASE.encode(), "ledger.toml")
    cache.put_bytes(name, pickle.dumps((_Evil(marker), [])))
    assert cache.get_bytes(name) is not None  # intact as bytes...
    assert load_text(BASE, "ledger.toml").valid().settings.title == "测试台账"  # ...not trusted
    assert not marker.exists()
    assert cache.loads_model(cache.get_bytes(name) or b"") is not None  # rewritten: a model
    assert cache.loads_model(pickle.dumps(("not", "a model"))) is None


def test_unreadable_or_unwritable_cache_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    assert load_text(BASE, "ledger.toml").valid().settings.title == "测试台账"


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = tmp_path / "cache"
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(where))
    monkeypatch.setenv("REFORMCTL_CACHE", "off")
    load_text(BASE, "ledger.toml")
    assert not where.exists()


def test_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REFORMCTL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "reformctl"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "reformctl"


def test_written_atomically_and_privately(cache_dir: Path) -> None:
    load_text(BASE, "ledger.toml")
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    (entry,) = entries(cache_dir)
    assert entry.stat().st_mode & 0o777 == 0o600
    assert not list(cache_dir.glob("*.tmp"))


def test_bounded_least_recently_used_go_first(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [BASE.replace("测试台账", f"台账{i}") for i in range(4)]
    for text in texts:
        load_text(text, "ledger.toml")
    assert len(entries(cache_dir)) == 4
    sizes = [p.stat().st_size for p in cache_dir.glob("*.bin")]  # models and their data
    # pretend the first is used again now, the second was used long ago
    first = cache_dir / (cache.key("model", texts[0].encode(), "ledger.toml") + ".bin")
    second = cache_dir / (cache.key("model", texts[1].encode(), "ledger.toml") + ".bin")
    os.utime(second, (1, 1))
    load_text(texts[0], "ledger.toml")  # a hit refreshes its time of use
    cache._trim(cache_dir, limit=sum(sizes) - 1)
    assert not second.exists() and first.exists()
    assert len(list(cache_dir.glob("*.bin"))) == len(sizes) - 1
    cache._trim(cache_dir, limit=0)
    assert not list(cache_dir.glob("*.bin"))


def test_dead_writers_temporary_files_are_cleaned(cache_dir: Path) -> None:
    load_text(BASE, "ledger.toml")
    old = cache_dir / ".model-x.1.2.tmp"
    old.write_bytes(b"half")
    os.utime(old, (1, 1))
    fresh = cache_dir / ".model-y.1.2.tmp"
    fresh.write_bytes(b"being written")
    cache._trim(cache_dir)
    assert not old.exists() and fresh.exists()


WRITER = """
import sys
from pathlib import Path
from reformctl.ledger.read import load_text
text = Path(sys.argv[1]).read_text(encoding="utf-8")
for _ in range(int(sys.argv[2])):
    assert load_text(text, "ledger.toml").valid().settings.title == "测试台账"
"""


def test_concurrent_writers_of_one_key(cache_dir: Path, tmp_path: Path) -> None:
    """Processes that miss at once all write the same entry: each reader sees a whole entry
    or none, never a torn one, and no temporary file is left."""
    source = tmp_path / "big.toml"
    points = "".join(
        f'\n[points.R26-{i:04}]\ntitle = "第{i}项"\ngroup = "economy"\nlead = "lyj"\n'
        'units = ["fgw"]\npath = "出台政策文件"\noutcome = "政策文件"\n'
        f'[points.R26-{i:04}.milestones.a]\nname = "节点"\ndue = 2026-06-30\n'
        for i in range(2, 400)
    )
    source.write_text(BASE + points, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(source), "15"],
            env=env,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    (entry,) = entries(cache_dir)
    assert not list(cache_dir.glob("*.tmp"))
    assert cache.loads_model(cache.get_bytes(entry.stem) or b"") is not None


def test_concurrent_writers_of_many_keys_stay_bounded(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writers racing to trim the same folder: removing an entry another removed is fine."""
    import threading

    monkeypatch.setattr(store, "MAX_BYTES", 8_000)  # (the store trims)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                cache.put_bytes(f"model-{n}-{i}", os.urandom(2_000))
        except BaseException as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    cache._trim(cache_dir)
    assert sum(p.stat().st_size for p in cache_dir.glob("*.bin")) <= 8_000


def test_cli_reads_hit_the_cache_and_a_write_leaves_its_model(
    ledger: Path, cache_dir: Path
) -> None:
    """`overdue` stores the model; `done` reads its old text from it and leaves the new
    ledger's model for the next read, which then matches a read without the cache."""
    first = run("overdue", "--format", "plain")
    assert len(entries(cache_dir)) == 1
    assert run("overdue", "--format", "plain").stdout == first.stdout
    done = run("done", "R26-01/pilot", "--on", "2026-11-20", "--evidence", "闽林〔2026〕9号")
    assert done.code == 0, done.stderr
    new_key = cache.key("model", ledger.read_bytes(), "ledger.toml")
    assert (cache_dir / (new_key + ".bin")).exists()
    cached = run("list", "--format", "json")
    os.environ["REFORMCTL_CACHE"] = "off"
    try:
        fresh = run("list", "--format", "json")
    finally:
        os.environ["REFORMCTL_CACHE"] = "sync"
    assert cached.stdout == fresh.stdout


def test_background_store_from_a_real_process(tmp_path: Path) -> None:
    """By default the entry is written by a detached process: the command does not wait for
    it, holds no pipe open for it, and the entry appears."""
    where = tmp_path / "bg-cache"
    path = write_ledger(tmp_path, BASE)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REFORMCTL_CACHE_DIR": str(where)}
    env.pop("REFORMCTL_CACHE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "reformctl", "--ledger", str(path), "list", "--format", "plain"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    for _ in range(200):
        if entries(where):
            break
        time.sleep(0.05)
    assert len(entries(where)) == 1
    again = subprocess.run(
        [sys.executable, "-m", "reformctl", "--ledger", str(path), "list", "--format", "plain"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert again.stdout == proc.stdout


def test_a_background_store_waits_for_the_end_of_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within ``stores_after`` (what the CLI wraps each command in) the detached writer
    starts when the command has done its work, not while it runs; it stores the problems as
    they were when the model was read, whatever the caller did with its list since. Outside
    it (a library caller, a long-lived process) nothing waits: nothing piles up."""
    where = tmp_path / "later"
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(where))
    monkeypatch.delenv("REFORMCTL_CACHE", raising=False)
    with cache.stores_after():
        loaded = load_text(BROKEN[0], "ledger.toml")
        assert loaded.problems and len(cache._pending) == 2  # the model, the scan
        time.sleep(0.3)
        assert not entries(where)  # put off, not stored yet
        loaded.problems.clear()
    assert cache._pending == []
    for _ in range(200):
        if entries(where):
            break
        time.sleep(0.05)
    payload = cache.get_bytes(entries(where)[0].name.removesuffix(".bin"))
    assert payload is not None
    found = cache.loads_model(payload)
    assert found is not None and found[1]  # the list as it was read, not as it is now
    load_text(BROKEN[1], "ledger.toml")
    assert cache._pending == []


def test_the_cli_stores_after_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = tmp_path / "cli-later"
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(where))
    monkeypatch.delenv("REFORMCTL_CACHE", raising=False)
    path = write_ledger(tmp_path, BASE.replace("测试台账", "另一个台账"))
    assert run("--ledger", str(path), "list").code == 0
    assert cache._pending == []  # handed to the detached writer when the command ended
    for _ in range(200):
        if entries(where):
            break
        time.sleep(0.05)
    assert len(entries(where)) == 1


def test_textconv_output_is_cached_by_blob_bytes(cache_dir: Path, tmp_path: Path) -> None:
    blob = write_ledger(tmp_path, BASE, "blob.toml")
    first = run("git", "textconv", str(blob))
    assert list(cache_dir.glob("textconv-*.bin"))
    assert run("git", "textconv", str(blob)).stdout == first.stdout
    blob.write_text(BASE.replace("测试台账", "另一台账"), encoding="utf-8")
    changed = run("git", "textconv", str(blob)).stdout
    assert "另一台账" in changed and "另一台账" not in first.stdout


def test_data_of_a_read_is_stored_for_a_writes_proof(cache_dir: Path) -> None:
    """The parsed data is stored beside the model, keyed by the same bytes, and is exactly
    what the parser gives for them."""
    from reformctl.ledger.parse import loads

    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    load_text(text, "ledger.toml")
    data = cache.cached_data(text.encode())
    assert data == loads(text)
    assert cache.cached_data((text + "\n").encode()) is None
    # each distinct string once (a unit's key on every point it leads)
    assert data is not None
    leads = [p["lead"] for p in data["points"].values()]
    assert len({id(lead) for lead in leads}) == len(set(leads)) < len(leads)


def test_write_uses_cached_old_data_and_still_parses_the_new_text(
    ledger: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the old text's data (and model) cached, a write parses neither text whole: the
    new one is proven by the sections it changed (ledger/spanproof.py) against the old data
    plus the change; a damaged data entry is ignored (then both are parsed whole)."""
    import reformctl.ledger.edit as edit
    import reformctl.ledger.spanproof as spanproof

    run("list")  # a read: model and data are cached
    parsed: list[int] = []
    real = getattr(edit, "loads")  # noqa: B009

    def counting(text: str) -> object:
        parsed.append(len(text))
        return real(text)

    monkeypatch.setattr(edit, "loads", counting)  # (fragments are parsed too: to plan)
    monkeypatch.setattr(spanproof, "loads", counting)
    old_len = len(ledger.read_text(encoding="utf-8"))
    done = run("done", "R26-01/pilot", "--on", "2026-11-20", "--evidence", "闽林〔2026〕9号")
    assert done.code == 0, done.stderr
    new_len = len(ledger.read_text(encoding="utf-8"))
    assert parsed and new_len not in parsed and old_len not in parsed  # sections only
    # the next write finds the new text's data, left by this one (whole, and as a step from
    # the old text's); damage both: they are ignored
    content = ledger.read_bytes()
    for kind in ("data", cache.DATA_STEP):
        entry = cache_dir / (cache.key(kind, content) + ".bin")
        assert entry.exists()
        entry.write_bytes(entry.read_bytes()[:-3])
    parsed.clear()
    again = run("log", "R26-01", "推进", "--month", "2026-11")
    assert again.code == 0, again.stderr
    newest = len(ledger.read_text(encoding="utf-8"))
    assert new_len in parsed and newest in parsed  # old and new parsed, as without a cache
    assert "2026-11" in ledger.read_text(encoding="utf-8")


def test_a_texts_places_come_from_the_cache_once_found(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lexer's headers of a text are stored the first time a place is asked for (or the
    model is built); the next read of the same bytes takes them from the cache, and gets the
    very places a scan gives. A damaged entry is scanned again."""
    import reformctl.ledger.source as source
    from reformctl.ledger.lexer import scan

    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    first = load_text(text, "ledger.toml")  # built: scanned, and the scan stored
    scans = sorted(cache_dir.glob("scan-*.bin"))
    assert len(scans) == 1
    where = ("points", "R26-02", "milestones")
    expected = first.index.loc(where, "plan")

    def no_scan(*args: object) -> object:
        raise AssertionError("scanned again")

    monkeypatch.setattr(source, "scan", no_scan)
    again = load_text(text, "ledger.toml")
    assert again.index.loc(where, "plan") == expected
    assert again.index.headers == scan(text).headers
    monkeypatch.setattr(source, "scan", scan)
    for damaged in ([("x",)], [1, 2]):  # a row too short; rows that are not rows
        cache.put_bytes(scans[0].name.removesuffix(".bin"), pickle.dumps((damaged, None)))
        third = load_text(text, "ledger.toml")
        assert third.index.headers == scan(text).headers  # the damaged entry was not believed


def test_a_write_leaves_the_new_texts_places(ledger: Path, cache_dir: Path) -> None:
    from reformctl.ledger.lexer import scan

    assert run("--ledger", str(ledger), "done", "R26-01/pilot", "--on", "2026-06-28").code == 0
    new = ledger.read_bytes()
    found = cache.cached_scan(new)
    assert found is not None
    assert [tuple(h) for h in scan(new.decode()).headers] == [tuple(r) for r in found[0]]


def test_a_writes_data_entry_is_the_new_texts_parse_each_string_once(
    ledger: Path, cache_dir: Path
) -> None:
    """A write proven by its sections leaves the new text's data as it is (the cached old
    data with the changed tables put in, not made shared again): exactly the parse of the new
    bytes, each distinct string of the old data still one object, and stored as it is read
    (no compression)."""
    import zlib

    from reformctl.ledger.parse import loads

    ledger.write_text((ROOT / "ledger.toml").read_text(encoding="utf-8"), encoding="utf-8")
    assert run("list").code == 0  # the old text's model, clean entry and data
    done = run("done", "R26-02/salary", "--on", "2026-11-20", "--evidence", "闽林〔2026〕9号")
    assert done.code == 0, done.stderr
    content = ledger.read_bytes()
    data = cache.cached_data(content)
    assert data == loads(content.decode("utf-8"))
    assert data is not None
    leads = [p["lead"] for p in data["points"].values()]
    assert len({id(lead) for lead in leads}) == len(set(leads)) < len(leads)
    entry = cache_dir / (cache.key("data", content) + ".bin")
    head = len(store.MAGIC) + store.SIZE + store.DIGEST
    packed = entry.read_bytes()[head:]
    assert len(zlib.decompress(packed)) + 100 > len(packed)  # stored, not compressed


def test_the_detached_writer_yields_once_the_next_write_has_its_entries(tmp_path: Path) -> None:
    """The detached writer makes a write's model (for a later read) at a lower priority, once
    the entries the next write reads are stored; a store made in the command's own process
    (``REFORMCTL_CACHE=sync``) changes nothing of its priority."""
    code = (
        "import os; from reformctl.ledger import store; store.yield_to_others();"
        " before = os.nice(0); store._writer = True; store.yield_to_others();"
        " group = os.path.exists('/proc/self/autogroup') and"
        " open('/proc/self/autogroup').read().split()[-1];"
        " print(before, os.nice(0), group or '-')"
    )
    # (a session of its own, as the detached writer has: its group's nice is its own to set)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    before, after, group = proc.stdout.split()
    assert int(after) == min(19, int(before) + store.LATER_NICE), proc.stderr
    assert group in ("-", after)  # where Linux groups a session's processes, the group yields


def test_detached_writers_make_their_models_one_at_a_time(tmp_path: Path) -> None:
    """Once it has yielded, a detached writer waits for the folder's writer lock, asleep, and
    holds it until it exits: writes back to back leave one model being made, not one each."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    env = {**os.environ, "REFORMCTL_CACHE_DIR": str(folder)}
    code = (
        "import sys; from reformctl.ledger import store; store._writer = True;"
        " print(store.yield_to_others(), flush=True); sys.stdin.read()"
    )

    def writer() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )

    first = writer()
    assert first.stdout is not None and first.stdout.readline().strip() == "True"
    second = writer()
    try:
        assert second.stdout is not None
        waiting, _, _ = select.select([second.stdout], [], [], 2.0)
        assert waiting == []  # (asleep on the lock: it has not yielded, so not printed)
        first.communicate("", timeout=60)
        waiting, _, _ = select.select([second.stdout], [], [], 60)
        assert waiting and second.stdout.readline().strip() == "True"
        second.communicate("", timeout=60)
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_a_writer_whose_text_was_written_over_makes_no_model(
    ledger: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A detached writer whose turn comes after its text was written over (another write, a
    restore, a checkout) stores what the next write reads and the whole data and headers, but
    not the model no read would find; a write on the text then still finds its entries, and
    its own writer makes its model without the one that was not made."""

    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    ledger.write_text(text, encoding="utf-8")
    assert run("list").code == 0
    first = ("done", "R26-02/salary", "--on", "2026-11-20", "--evidence", "闽医保〔2026〕9号")

    def written_over() -> bool:  # (as in the detached writer, once its turn comes)
        os.utime(ledger, ns=(1, 1))
        return True

    with monkeypatch.context() as patched:
        patched.setattr(store, "yield_to_others", written_over)
        assert run(*first).code == 0
    content = ledger.read_bytes()
    kinds = {p.name.split("-")[0] for p in cache_dir.glob("*.bin")}
    assert not cache_dir.joinpath(cache.key("model", content, "ledger.toml") + ".bin").exists()
    assert {cache.DATA_STEP, cache.SCAN_STEP, "clean", "data", "scan"} <= kinds
    assert cache.known_clean(content, "ledger.toml")

    log_without_a_whole_parse(monkeypatch)
    newest = ledger.read_bytes()
    found = cache.model_of(newest, "ledger.toml")
    assert found is not None
    with monkeypatch.context() as patched:
        patched.setenv("REFORMCTL_CACHE", "off")
        fresh = load_text(newest.decode("utf-8"), "ledger.toml")
    assert found == (fresh.ledger, fresh.problems)


SECOND = ("log", "R26-02", "推进", "--month", "2026-10", "--replace")


def log_without_a_whole_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second write (a progress entry), failing if it parses its text or the new one whole."""
    from reformctl.ledger import edit, write

    def no_whole_parse(*args: object) -> object:
        raise AssertionError("parsed whole")

    with monkeypatch.context() as patched:
        patched.setattr(edit, "prove", no_whole_parse)
        patched.setattr(write, "load_text", no_whole_parse)
        assert run(*SECOND).code == 0


def test_what_the_last_stores_hold_is_kept_not_freed(monkeypatch: pytest.MonkeyPatch) -> None:
    """At the end of a command the jobs handed to the detached writer (a write's model and
    data) are kept until the process exits, not freed object by object; a batch handed over
    earlier, to let a command that reads many ledgers go on, is freed."""
    monkeypatch.setattr(store, "_detach", lambda: True)  # this process: the parent
    monkeypatch.setattr(store, "_kept", [])
    monkeypatch.setattr(store, "_ready", lambda create: (Path(), b""))
    monkeypatch.setenv("REFORMCTL_CACHE", "on")
    first, second = (lambda: None), (lambda: None)
    with store.stores_after():
        store._schedule(first, None, heavy=True)
        store._schedule(second, None, heavy=True)  # the first batch goes: one heavy at a time
        assert store._kept == []
    assert store._kept == [second]


def test_the_next_write_needs_the_data_and_clean_entries_not_the_model(
    ledger: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write's new text gets its headers, data and clean entry before its model (the rules
    found no problem in it before it was written): when the model cannot be made, the next
    write still finds what it reads, proves its change by the sections it changed, and
    writes what a write without any cache writes."""
    from reformctl.ledger import write

    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    ledger.write_text(text, encoding="utf-8")
    assert run("list").code == 0

    def no_model(*args: object) -> object:
        raise RuntimeError("the model is not made")

    monkeypatch.setattr(write, "_model_after", no_model)
    first = ("done", "R26-02/salary", "--on", "2026-11-20", "--evidence", "闽医保〔2026〕9号")
    assert run(*first).code == 0
    content = ledger.read_bytes()
    name = cache.key("model", content, "ledger.toml")
    assert not (cache_dir / (name + ".bin")).exists()  # no model
    assert cache.known_clean(content, "ledger.toml") and cache.cached_data(content) is not None
    assert store.cached_scan(content) is not None

    log_without_a_whole_parse(monkeypatch)
    plain = ledger.with_name("plain.toml")
    plain.write_text(text, encoding="utf-8")
    off = {"REFORMCTL_CACHE": "off"}
    assert run("--ledger", str(plain), *first, env=off).code == 0
    assert run("--ledger", str(plain), *SECOND, env=off).code == 0
    assert ledger.read_bytes() == plain.read_bytes()


def test_a_text_hashed_ahead_is_keyed_as_one_hashed_when_keyed(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write hashes its old text in a thread while it decodes it: the key made with that
    digest is the key made without it; the thread is joined when the text is keyed, and
    before any fork (the detached writer must be the only thread of its process)."""
    content = (ROOT / "ledger.toml").read_bytes() * 8
    assert len(content) >= store._LARGE
    monkeypatch.setattr(store, "_digests", [])
    expected = store.key("data", content)
    monkeypatch.setattr(store, "_digests", [])
    store.digest_ahead(content)
    assert len(store._ahead) == 1
    assert store.key("data", content) == expected
    assert store._ahead == []
    store.digest_ahead(content + b"\n")  # never keyed: joined before a fork
    store._join_ahead()
    assert store._ahead == []


def test_a_model_entry_holds_each_distinct_string_and_date_once() -> None:
    """The model pickles with one object for each distinct string and date (units, dates,
    files named thousands of times): loaded, equal strings are one object, and the entry is
    the same bytes however often it is made."""
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REFORMCTL_CACHE", "off")
        loaded = load_text(text, "ledger.toml")
    assert loaded.ledger is not None
    payload = cache.dumps_model(loaded.ledger, loaded.problems)
    assert cache.dumps_model(loaded.ledger, loaded.problems) == payload
    found = cache.loads_model(payload)
    assert found is not None and found[0] == loaded.ledger
    points = list(found[0].points.values())
    leads = [p.lead for p in points]
    assert len({id(lead) for lead in leads}) == len(set(leads)) < len(leads)
    files = [p.loc.file for p in points]
    assert len({id(f) for f in files}) == 1 < len(files)
    dues = [ms.due for p in points for ms in p.milestones]
    assert len({id(d) for d in dues}) == len(set(dues)) < len(dues)


def test_a_writes_steps_give_its_new_texts_data_and_headers_exactly(
    ledger: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write proven by its sections stores its new text's data and headers as steps from
    its old text's entries: with the whole entries gone, a chain of steps gives exactly what
    a parse and a scan of the text give, and a write chained on it parses no text whole and
    writes what a write without any cache writes."""
    from reformctl.ledger import edit, write
    from reformctl.ledger.lexer import scan
    from reformctl.ledger.read import loads

    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    ledger.write_text(text, encoding="utf-8")
    assert run("list").code == 0
    writes = [
        ("done", "R26-02/salary", "--on", "2026-11-20", "--evidence", "闽医保〔2026〕9号"),
        ("log", "R26-02", "推进", "--month", "2026-10", "--replace"),
        ("done", "R26-05/cases", "--on", "2026-11-10", "--evidence", "闽改〔2026〕5号"),
        ("log", "R26-01", "又一次推进，多写几个字", "--month", "2026-11", "--replace"),
        ("extend", "R26-03/evaluation", "--to", "2027-03-31", "--reason", "待核定"),
    ]

    def no_whole_parse(*args: object) -> object:
        raise AssertionError("parsed whole")

    for i, args in enumerate(writes):
        with monkeypatch.context() as patched:
            if i:  # (the first write's old text was read whole by `list`: its entries are whole)
                patched.setattr(edit, "prove", no_whole_parse)
                patched.setattr(write, "load_text", no_whole_parse)
            assert run(*args).code == 0
        content = ledger.read_bytes()
        for kind in ("data", "scan"):  # only the steps are left: a chain of them, each time
            (cache_dir / (cache.key(kind, content) + ".bin")).unlink()
        new = content.decode("utf-8")
        assert cache.cached_data(content) == loads(new)
        found = store.cached_scan(content)
        assert found is not None
        assert found[0] == [tuple(h) for h in scan(new).headers] and found[1] is None
    plain = ledger.with_name("plain.toml")
    plain.write_text(text, encoding="utf-8")
    for args in writes:
        assert run("--ledger", str(plain), *args, env={"REFORMCTL_CACHE": "off"}).code == 0
    assert ledger.read_bytes() == plain.read_bytes()


def test_the_writer_stores_the_steps_before_it_yields_and_the_whole_entries_after(
    ledger: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the next write reads (the steps, the clean entry) is in before the detached writer
    lowers its priority; the whole data and headers, then the model, after."""
    text = (ROOT / "ledger.toml").read_text(encoding="utf-8")
    ledger.write_text(text, encoding="utf-8")
    assert run("list").code == 0
    before = {p.name for p in cache_dir.glob("*.bin")}

    def kinds() -> set[str]:
        return {p.name.split("-")[0] for p in cache_dir.glob("*.bin") if p.name not in before}

    seen: list[set[str]] = []
    monkeypatch.setattr(store, "yield_to_others", lambda: seen.append(kinds()))
    done = ("done", "R26-02/salary", "--on", "2026-11-20", "--evidence", "闽医保〔2026〕9号")
    assert run(*done).code == 0
    assert seen == [{cache.DATA_STEP, cache.SCAN_STEP, "clean"}]
    assert kinds() == {cache.DATA_STEP, cache.SCAN_STEP, "clean", "data", "scan", "model"}


def test_a_reads_writer_stores_the_model_before_it_yields_and_the_data_after(
    ledger: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first read's detached writer stores the model (what the next read needs) at the
    command's priority, then yields to the commands that follow before it parses and scans
    the whole text again for the data and headers a write would read (at 10,000 points ~0.6 s
    of CPU, which took a core from the writes run right after it)."""
    ledger.write_text((ROOT / "ledger.toml").read_text(encoding="utf-8"), encoding="utf-8")

    def kinds() -> set[str]:
        return {p.name.split("-")[0] for p in cache_dir.glob("*.bin")}

    seen: list[set[str]] = []
    monkeypatch.setattr(store, "yield_to_others", lambda: seen.append(kinds()))
    assert run("list").code == 0
    assert seen == [{"model", "clean"}]
    assert {"model", "clean", "data", "scan"} <= kinds()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ([1, 2, 3, 4], [1, 2, 3, 4]),  # nothing changed
        ([1, 2, 3, 4], [1, 2, 9, 3, 4]),  # one added between
        ([1, 2, 3, 4], [1, 3, 4]),  # one removed
        ([1, 2, 3, 4], [1, 2, 3, 4, 5]),  # one added at the end
        ([1, 2, 3, 4], [0, 1, 2, 3, 4]),  # one added at the start
        ([1, 2, 3, 4], [1, 7, 8, 4]),  # two changed
        ([1], []),
        ([], [1]),
    ],
)
def test_a_scan_step_gives_the_new_headers(cache_dir: Path, old: list[int], new: list[int]) -> None:
    """A step between two lists of headers, made on an old scan entry, gives the new list:
    headers kept at the start, moved at the end (by characters and lines), new between."""
    from reformctl.ledger.lexer import Header

    def headers(keys: list[int]) -> list[Header]:
        """A header a key, each table 10 characters long (9: 15, 7: 13), a line each 10."""
        out, at = [], 0
        for k in keys:
            out.append(Header(("points", f"R{k}"), at, at + 10, at // 10 + 1, 1, False))
            at += 10 + (k == 9) * 5 + (k == 7) * 3
        return out

    old_h, new_h = headers(old), headers(new)
    base = b"old text" * 10000
    content = b"new text" * 10000
    store.store_scan(base, old_h, None)
    step = (store.key("scan", base), store.key("scanstep", base), *cache._scan_step(old_h, new_h))
    store.put_bytes(store.key("scanstep", content), pickle.dumps(step, protocol=5))
    found = store.cached_scan(content)
    assert found == ([tuple(h) for h in new_h], None)
