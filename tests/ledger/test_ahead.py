"""A large text's later parts parsed by a helper process (reformctl.ledger.ahead).

Whatever the helper gives, the read's data is the whole parse's: with the helper's parts taken
(on hostile documents cut into parts of every size, the helper forced on for small texts), and
when the helper gives nothing, a message cut short (its whole parts taken), something that
is not its parts, or is killed at work. A syntax error in a part the helper had is reported as the whole parse reports
it. The helper is always reaped. The parts are cut where :func:`byparts._grid` says, by the
text alone; the helper's message, a pickle a part, shares each key and date in a part and is
the parser's data. Through
the real CLI, on a ledger of over a megabyte: the first read with the helper prints what it
prints on one core, and the helper did run.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import io
import itertools
import math
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger import ahead, byparts, parse
from reformctl.ledger.parse import parse_toml
from reformctl.ledger.source import SourceIndex
from tests.conftest import examples, write_ledger
from tests.ledger.test_byparts import TEXTS, Refuser, layouts
from tests.ledger.test_incremental import NAME, generated
from tests.ledger.test_spanproof import assert_is_the_whole_parse

# (a fork from a test process that runs other threads, pytest-xdist's: the helper only
# parses and writes its pipe, which no other thread holds)
pytestmark = pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")


@contextlib.contextmanager
def forced() -> Iterator[list[int]]:
    """The helper forced on for texts of any size (as for a large one on two cores); the
    helpers started, by their process ids."""
    started: list[int] = []
    real = ahead.start

    def start(text: str, cuts: list[int]) -> ahead.Ahead | None:
        got = real(text, cuts)
        if got is not None:
            started.append(got._pid)
        return got

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(byparts, "AHEAD_FROM", 0)
        patch.setattr(ahead, "_LEAST_PARTS", 2)
        patch.setattr(ahead, "_two_cores", lambda: True)
        patch.setattr(ahead, "_threads", lambda: False)
        patch.setattr(ahead, "start", start)
        yield started


@pytest.fixture
def helper() -> Iterator[list[int]]:
    with forced() as started:
        yield started


def read_by_parts(text: str, size: int) -> dict[str, Any] | None:
    return byparts.by_parts(text, SourceIndex(text, NAME), size, Refuser())


def assert_reaped(pids: list[int]) -> None:
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(TEXTS, layouts()), st.integers(1, 64))
def test_whatever_the_parts_answer_with_the_helper_is_the_whole_parse(text: str, size: int) -> None:
    with forced() as helper:
        found = read_by_parts(text, size)
    assert_is_the_whole_parse(text, found)
    assert_reaped(helper)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(3, 25), st.integers(0, 10_000), st.sampled_from([64, 256, 1024]))
def test_a_generated_ledger_takes_the_helpers_parts(n: int, seed: int, size: int) -> None:
    """The helper's parts are taken (each part after its first comes from the helper, none
    parsed here) and the data is the whole parse's."""
    text = generated(n, seed)
    parsed_here: list[str] = []
    real = parse.loads

    def loads(part: str) -> dict[str, Any]:
        parsed_here.append(part)
        return real(part)

    with forced() as helper, pytest.MonkeyPatch.context() as patch:
        patch.setattr(byparts, "loads", loads)
        found = read_by_parts(text, size)
    assert found is not None  # (taken: no collision from a part's data out of its place)
    assert_is_the_whole_parse(text, found)
    cuts = byparts._grid(text, size)
    first = bisect.bisect_left(cuts, int(len(text) * (1 - ahead.SHARE)), 1)
    if first < len(cuts):
        assert len(helper) == 1
        assert parsed_here == [text[cuts[j] : cuts[j + 1]] for j in range(first)]
    else:
        assert not helper and len(parsed_here) == len(cuts)
    assert_reaped(helper)


def _helpers(monkeypatch: pytest.MonkeyPatch, send: Any) -> None:
    monkeypatch.setattr(ahead, "_parse_and_send", send)


def _nothing(text: str, bounds: list[int], fd: int, parent: int) -> None:
    pass


def _message(text: str, bounds: list[int]) -> bytes:
    """The helper's message: each part's data, a pickle of its own."""
    message, one = io.BytesIO(), dict[Any, Any]()
    for a, b in itertools.pairwise(bounds):
        ahead._pickled(parse.loads(text[a:b]), one, message)
    return message.getvalue()


def _cut_short(text: str, bounds: list[int], fd: int, parent: int) -> None:
    message = _message(text, bounds)
    os.write(fd, message[: len(message) // 2])


def _some_parts(text: str, bounds: list[int], fd: int, parent: int) -> None:
    os.write(fd, _message(text, bounds[:3]) + b"\x80\x05junk")


def _not_parts(text: str, bounds: list[int], fd: int, parent: int) -> None:
    os.write(fd, pickle.dumps([{"points": {}}]))


def _wrong_parts(text: str, bounds: list[int], fd: int, parent: int) -> None:
    os.write(fd, pickle.dumps(None) + pickle.dumps(7) + pickle.dumps("x"))


def _killed(text: str, bounds: list[int], fd: int, parent: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize(
    "send", [_nothing, _cut_short, _some_parts, _not_parts, _wrong_parts, _killed]
)
def test_whatever_the_helper_gives_the_data_is_the_whole_parse(
    helper: list[int], monkeypatch: pytest.MonkeyPatch, send: Any
) -> None:
    _helpers(monkeypatch, send)
    text = generated(8, 3)
    for size in (64, 512):
        helper.clear()
        found = read_by_parts(text, size)
        assert found is not None and helper
        assert_is_the_whole_parse(text, found)
        assert_reaped(helper)


def test_a_syntax_error_in_the_helpers_parts_is_the_whole_parses(helper: list[int]) -> None:
    """The helper stops at the part it cannot parse; this process parses it, fails, and the
    whole parse says where."""
    good = generated(10, 4)
    at = good.rindex("\n[points.")
    bad = good[:at] + "\nk = \n" + good[at:]
    helper.clear()
    found, problems = byparts.parse_by_parts(bad, NAME, SourceIndex(bad, NAME), 64, Refuser())
    whole, expected = parse_toml(bad, NAME)
    assert helper and found is None and whole is None
    assert [(p.code, p.loc) for p in problems] == [(p.code, p.loc) for p in expected]
    assert_reaped(helper)


@pytest.mark.parametrize(
    "spoil",
    [
        "xs = [\n[1],\n]\n",  # (a line that starts with `[` and is no header: not taken)
        'note = """\n[points.X]\n"""\n',  # (a multi-line string: the lexer's parts)
    ],
)
def test_a_helper_no_longer_needed_is_killed_and_reaped(
    helper: list[int], monkeypatch: pytest.MonkeyPatch, spoil: str
) -> None:
    """Headers that the lines cannot vouch for: the parts are not taken, or the lexer's are
    read; the helper, still at work, is let go."""

    def slow(text: str, bounds: list[int], fd: int, parent: int) -> None:
        signal.pause()

    _helpers(monkeypatch, slow)
    text = generated(8, 5).replace("\n[points.", "\n" + spoil + "[points.", 1)
    helper.clear()
    found = read_by_parts(text, 64)
    assert_is_the_whole_parse(text, found)
    assert helper
    assert_reaped(helper)


def test_no_helper_on_one_core_under_other_threads_or_for_few_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = generated(8, 6)
    cuts = byparts._grid(text, 64)
    monkeypatch.setattr(ahead, "_threads", lambda: False)
    monkeypatch.setattr(ahead, "_two_cores", lambda: False)
    assert ahead.start(text, cuts) is None
    monkeypatch.setattr(ahead, "_two_cores", lambda: True)
    assert ahead.start(text, cuts[:3]) is None
    monkeypatch.setattr(ahead, "_threads", lambda: True)
    assert ahead.start(text, cuts) is None


def _signals(text: str, bounds: list[int], fd: int, parent: int) -> None:
    """A helper that says how it handles the signals that stop a command, and what it holds."""
    said = {
        "handlers": [int(signal.getsignal(s)) for s in ahead._STOPPING],  # type: ignore[arg-type]
        "held": sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])),
    }
    os.write(fd, pickle.dumps(said))


def test_the_helper_stops_as_a_process_does_and_the_reader_keeps_its_signals(
    helper: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C, SIGTERM and SIGHUP stop the helper by their default action (never the CLI's
    handler, run in a second process), and both processes hold what the reader held."""
    _helpers(monkeypatch, _signals)
    text = generated(8, 9)
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    handlers = [signal.getsignal(s) for s in ahead._STOPPING]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # (Python's own)
    started = ahead.start(text, byparts._grid(text, 64))
    assert started is not None
    said = started.part(started.first)
    started.close()
    assert said is not None
    assert said["handlers"] == [
        int(signal.SIG_IGN if h is signal.SIG_IGN else signal.SIG_DFL) for h in handlers
    ]
    assert said["held"] == sorted(int(s) for s in before)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
    assert [signal.getsignal(s) for s in ahead._STOPPING] == handlers


def test_no_room_for_the_helpers_message_leaves_its_parts_to_the_reader(
    helper: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Short:
        def __getattr__(self, name: str) -> Any:
            return getattr(os, name)

        @staticmethod
        def read(fd: int, n: int) -> bytes:
            raise MemoryError

    monkeypatch.setattr(ahead, "os", Short())
    text = generated(8, 10)
    helper.clear()
    found = read_by_parts(text, 64)
    assert found is not None and helper
    assert_is_the_whole_parse(text, found)
    assert_reaped(helper)


@pytest.mark.parametrize(
    ("files", "cpus"),
    [
        ({"/proc/self/cgroup": "0::/a\n", "/sys/fs/cgroup/a/cpu.max": "100000 100000"}, 1.0),
        ({"/proc/self/cgroup": "0::/\n", "/sys/fs/cgroup/cpu.max": "250000 100000"}, 2.5),
        ({"/proc/self/cgroup": "0::/a\n", "/sys/fs/cgroup/a/cpu.max": "max 100000"}, math.inf),
        (
            {
                "/proc/self/cgroup": "2:cpuacct,cpu:/b\n0::/\n",
                "/sys/fs/cgroup/cpu,cpuacct/b/cpu.cfs_quota_us": "150000",
                "/sys/fs/cgroup/cpu,cpuacct/b/cpu.cfs_period_us": "100000",
            },
            1.5,
        ),
        (
            {
                "/proc/self/cgroup": "1:cpu:/\n",
                "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1",
                "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000",
            },
            math.inf,
        ),
        ({"/proc/self/cgroup": "1:cpu:/\n", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "x"}, math.inf),
        ({"/proc/self/cgroup": "garbage\n"}, math.inf),
        ({}, math.inf),
        # a cgroup v1 container: its group is the mount's root, /proc names the host's (rev29)
        (
            {
                "/proc/self/cgroup": "4:cpu,cpuacct:/docker/0123abcd\n",
                "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "100000",
                "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000",
            },
            1.0,
        ),
        (
            {
                "/proc/self/cgroup": "3:cpuacct,cpu:/docker/0123abcd\n",
                "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "150000",
                "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000",
            },
            1.5,
        ),
        (  # (the group's own folder first, where it is there)
            {
                "/proc/self/cgroup": "4:cpu,cpuacct:/user.slice\n",
                "/sys/fs/cgroup/cpu/user.slice/cpu.cfs_quota_us": "50000",
                "/sys/fs/cgroup/cpu/user.slice/cpu.cfs_period_us": "100000",
                "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1",
                "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000",
            },
            0.5,
        ),
    ],
)
def test_a_cpu_quota_under_two_cores_forks_no_helper(
    monkeypatch: pytest.MonkeyPatch, files: dict[str, str], cpus: float
) -> None:
    """``docker --cpus=1`` on two cores: the helper would only take turns with the reader."""
    monkeypatch.setattr(
        ahead, "_read_first", lambda *paths: next((files[p] for p in paths if p in files), None)
    )
    assert ahead._quota() == cpus
    monkeypatch.setattr(ahead.os, "sched_getaffinity", lambda pid: {0, 1})
    assert ahead._two_cores() == (cpus >= 2)


def _grid_as_said(text: str, size: int) -> list[int]:
    """:func:`byparts._grid`'s docstring, word for word: at each multiple of ``size``, the
    first line that starts with `[` at or after it, or rather the first before the next
    multiple whose header has at most one dot."""
    lines = [i for i in range(1, len(text)) if text[i - 1] == "\n" and text[i] == "["]

    def shallow(i: int) -> bool:
        line = text[i:].split("\n", 1)[0]
        return "]" in line and line[: line.index("]")].count(".") <= 1

    cuts, at = [0], size
    while after := [i for i in lines if i >= at]:
        cut = next((i for i in after if i < at + size and shallow(i)), after[0])
        cuts.append(cut)
        at = cut // size * size + size
    return cuts


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet="[a\n .]", max_size=120), st.integers(1, 20))
def test_the_grid_cuts_where_it_says(text: str, size: int) -> None:
    cuts = byparts._grid(text, size)
    assert cuts == _grid_as_said(text, size)
    assert cuts[0] == 0 and cuts == sorted(set(cuts))
    assert all(text[c - 1 : c + 1] == "\n[" for c in cuts[1:])


def test_a_ledger_is_cut_at_points_headers_not_their_milestones() -> None:
    text = generated(60, 8)
    cuts = byparts._grid(text, 1024)
    assert len(cuts) > 20
    assert all(
        text.startswith("[points.", c) and "milestones" not in text[c : c + 40] for c in cuts[1:]
    )


_VALUES = st.recursive(
    st.one_of(
        st.dates(),
        st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
        st.times(),
        st.text(max_size=5),
        st.integers(),
        st.floats(allow_nan=False),
        st.booleans(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=30,
)


def _typed(value: Any) -> Any:
    """The value with each node's type beside it, keys in order (what == would not see)."""
    if type(value) is dict:
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if type(value) is list:
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=3), _VALUES, max_size=5), max_size=4))
def test_the_helpers_message_is_the_parsers_data_with_keys_and_dates_shared(
    parts: list[dict[str, Any]],
) -> None:
    message, one = io.BytesIO(), dict[Any, Any]()
    for part in parts:
        ahead._pickled(part, one, message)
    message.seek(0)
    got = [pickle.load(message) for _ in parts]
    assert not message.read()
    assert _typed(got) == _typed(parts)

    def walk(value: Any, dates: dict[datetime.date, int]) -> None:
        if type(value) is dict:
            for v in value.values():
                walk(v, dates)
        elif type(value) is list:
            for v in value:
                walk(v, dates)
        elif type(value) is datetime.date:
            assert dates.setdefault(value, id(value)) == id(value)

    for part in got:  # (each part a pickle of its own: its dates shared within it)
        walk(part, {})


def test_the_first_read_of_a_large_ledger_with_the_helper_is_as_on_one_core(
    tmp_path: Path,
) -> None:
    """A real process, twice a first read (each its own cache folder): with the helper (it
    ran: its pid is recorded) and on one core; the same output, for a ledger that is valid
    and for one with a syntax error in its last part."""
    if not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("needs two cores to run the helper")
    text = generated(1_700, 7)
    assert len(text) >= byparts.AHEAD_FROM
    at = text.rindex("\n[points.")
    script = (
        "import os, sys\n"
        "from reformctl import answers\n"
        "from reformctl.ledger import ahead\n"
        "record = sys.argv[1]\n"
        "if sys.argv[2] == 'one':\n"
        "    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "real = ahead.start\n"
        "def start(text, cuts):\n"
        "    got = real(text, cuts)\n"
        "    with open(record, 'a') as f:\n"
        "        f.write(f'{got is not None}\\n')\n"
        "    return got\n"
        "ahead.start = start\n"
        "sys.argv = ['reformctl', *sys.argv[3:]]\n"
        "answers.main()\n"
    )
    for name, body in (("valid", text), ("broken", text[:at] + "\nk = \n" + text[at:])):
        path = write_ledger(tmp_path, body, f"{name}.toml")
        runs = []
        for cores in ("two", "one"):
            record = tmp_path / f"{name}-{cores}.txt"
            env = {
                **os.environ,
                "REFORMCTL_TODAY": "2026-12-08",
                "REFORMCTL_CACHE_DIR": str(tmp_path / f"cache-{name}-{cores}"),
            }
            command = [sys.executable, "-c", script, str(record), cores]
            runs.append(
                subprocess.run(
                    [*command, "--ledger", str(path), "overdue"],
                    capture_output=True,
                    env=env,
                    check=False,
                )
            )
            assert record.read_text() == ("True\n" if cores == "two" else "False\n")
        with_helper, alone = runs
        assert (with_helper.returncode, with_helper.stdout, with_helper.stderr) == (
            alone.returncode,
            alone.stdout,
            alone.stderr,
        )
        assert with_helper.returncode == (0 if name == "valid" else 2), with_helper.stderr
        if name == "broken":
            _, expected = parse_toml(body, NAME)
            loc = expected[0].loc
            assert loc is not None
            where = f"{path.name}:{loc.line}:{loc.col}"
            assert where.encode() in with_helper.stderr
