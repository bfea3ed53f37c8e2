"""Random sequences of write commands, applied to a ledger file and to a plain in-memory model.

After every step the file reloads to exactly the model, is canonical (``fmt --check``), and a
refused command has left it byte for byte as it was. Hypothesis shrinks any failure to the
shortest sequence that shows it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from reformctl.ledger.canonical import canonical
from reformctl.ledger.loader import load
from tests.conftest import BASE, examples, run

TODAY = dt.date(2026, 11, 28)
IDS = st.sampled_from(["R26-01", "R26-02", "R26-10", "R26-3", "X-1"])
KEYS = st.sampled_from(["plan", "pilot", "m1", "m2", "summary"])
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")
DAYS = st.integers(0, 364).map(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
PAST = st.integers(0, 331).map(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="reformctl-sm-")
        self.path = Path(self.dir) / "ledger.toml"
        self.path.write_text(BASE, encoding="utf-8")
        os.chdir(self.dir)
        os.environ["REFORMCTL_TODAY"] = TODAY.isoformat()
        # the model: the same facts BASE holds
        self.points: dict[str, dict[str, Any]] = {
            "R26-01": {
                "title": "深化集体林权制度改革",
                "milestones": {
                    "plan": {
                        "name": "出台实施方案",
                        "due": dt.date(2026, 3, 31),
                        "done": dt.date(2026, 3, 28),
                        "evidence": "闽林〔2026〕3号",
                        "ext": [],
                    },
                    "pilot": {
                        "name": "开展试点",
                        "due": dt.date(2026, 6, 30),
                        "done": None,
                        "evidence": None,
                        "ext": [],
                    },
                },
                "progress": {"2026-03": "实施方案已印发"},
                "closed": None,
            }
        }

    def teardown(self) -> None:
        if hasattr(self, "dir"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def attempt(self, should_succeed: bool, *args: str) -> None:
        before = self.path.read_bytes()
        result = run(*args)
        if should_succeed:
            assert result.code == 0, (args, result.stderr)
        else:
            assert result.code == 2, (args, result.stdout, result.stderr)
            assert len(result.stderr.splitlines()) == 1
            assert self.path.read_bytes() == before

    # -- rules -----------------------------------------------------------------------------------
    @rule(pid=IDS, title=TEXT, major=st.booleans())
    def add_point(self, pid: str, title: str, major: bool) -> None:
        ok = pid not in self.points
        self.attempt(
            ok,
            "point",
            "add",
            pid,
            "--title",
            title,
            "--group",
            "economy",
            "--lead",
            "fgw",
            *(["--major"] if major else []),
        )
        if ok:
            self.points[pid] = {"title": title, "milestones": {}, "progress": {}, "closed": None}

    @rule(pid=IDS, key=KEYS, name=TEXT, due=DAYS)
    def add_milestone(self, pid: str, key: str, name: str, due: dt.date) -> None:
        point = self.points.get(pid)
        ok = point is not None and point["closed"] is None and key not in point["milestones"]
        self.attempt(
            ok, "milestone", "add", f"{pid}/{key}", "--name", name, "--due", due.isoformat()
        )
        if ok and point is not None:
            point["milestones"][key] = {
                "name": name,
                "due": due,
                "done": None,
                "evidence": None,
                "ext": [],
            }

    def _ms(self, pid: str, key: str) -> dict[str, Any] | None:
        point = self.points.get(pid)
        if point is None or point["closed"] is not None:
            return None
        ms: dict[str, Any] | None = point["milestones"].get(key)
        return ms

    @rule(pid=IDS, key=KEYS, on=PAST, evidence=st.none() | TEXT)
    def done(self, pid: str, key: str, on: dt.date, evidence: str | None) -> None:
        ms = self._ms(pid, key)
        ok = ms is not None and ms["done"] is None
        extra = ["--evidence", evidence] if evidence is not None else []
        self.attempt(ok, "done", f"{pid}/{key}", "--on", on.isoformat(), *extra)
        if ok and ms is not None:
            ms["done"], ms["evidence"] = on, evidence

    @rule(pid=IDS, key=KEYS)
    def undone(self, pid: str, key: str) -> None:
        ms = self._ms(pid, key)
        ok = ms is not None and ms["done"] is not None
        self.attempt(ok, "undone", f"{pid}/{key}")
        if ok and ms is not None:
            ms["done"] = ms["evidence"] = None

    @rule(pid=IDS, key=KEYS, days=st.integers(-10, 90), reason=TEXT)
    def extend(self, pid: str, key: str, days: int, reason: str) -> None:
        ms = self._ms(pid, key)
        current = (ms["ext"][-1]["to"] if ms and ms["ext"] else ms["due"]) if ms else TODAY
        to = current + dt.timedelta(days=days)
        # approved today (the default --approved-on), so never after the new due date
        ok = ms is not None and ms["done"] is None and to > current and to >= TODAY
        self.attempt(ok, "extend", f"{pid}/{key}", "--to", to.isoformat(), "--reason", reason)
        if ok and ms is not None:
            ms["ext"].append({"to": to, "reason": reason, "granted": TODAY, "approved_on": TODAY})

    @rule(pid=IDS, month=st.integers(1, 12), text=TEXT, replace=st.booleans())
    def log(self, pid: str, month: int, text: str, replace: bool) -> None:
        point = self.points.get(pid)
        key = f"2026-{month:02d}"
        ok = (
            point is not None
            and point["closed"] is None
            and month <= TODAY.month
            and (replace or key not in point["progress"])
        )
        # `--` first: a text may start with "-" (as a clerk would type it after `--`)
        options = ["--month", key, *(["--replace"] if replace else [])]
        self.attempt(ok, "log", *options, "--", pid, text)
        if ok and point is not None:
            point["progress"][key] = text

    @rule(pid=IDS, evidence=TEXT)
    def close(self, pid: str, evidence: str) -> None:
        point = self.points.get(pid)
        ok = (
            point is not None
            and point["closed"] is None
            and all(m["done"] is not None for m in point["milestones"].values())
        )
        self.attempt(ok, "close", pid, "--evidence", evidence)
        if ok and point is not None:
            point["closed"] = TODAY

    @rule(pid=IDS)
    def reopen(self, pid: str) -> None:
        point = self.points.get(pid)
        ok = point is not None and point["closed"] is not None
        self.attempt(ok, "reopen", pid)
        if ok and point is not None:
            point["closed"] = None

    @rule(pid=IDS, title=TEXT)
    def edit_title(self, pid: str, title: str) -> None:
        point = self.points.get(pid)
        ok = point is not None and point["closed"] is None
        self.attempt(ok, "edit", pid, "--title", title)
        if ok and point is not None:
            point["title"] = title

    @rule(pid=IDS, key=KEYS)
    def remove_milestone(self, pid: str, key: str) -> None:
        ms = self._ms(pid, key)
        self.attempt(ms is not None, "milestone", "remove", f"{pid}/{key}", "--force")
        if ms is not None:
            del self.points[pid]["milestones"][key]

    # -- what must always hold ---------------------------------------------------------------------
    @invariant()
    def file_is_the_model(self) -> None:
        if not hasattr(self, "path"):
            return
        loaded = load(self.path)
        assert loaded.problems == [], [p.line("en") for p in loaded.problems]
        ledger = loaded.valid()
        assert set(ledger.points) == set(self.points)
        for pid, want in self.points.items():
            got = ledger.points[pid]
            assert got.title == want["title"]
            assert got.closed == want["closed"]
            assert {e.month: e.text for e in got.progress} == want["progress"]
            assert {m.key for m in got.milestones} == set(want["milestones"])
            for m in got.milestones:
                w = want["milestones"][m.key]
                assert (m.name, m.due, m.done, m.evidence) == (
                    w["name"],
                    w["due"],
                    w["done"],
                    w["evidence"],
                )
                assert [(e.to, e.reason, e.granted, e.approved_on) for e in m.extensions] == [
                    (e["to"], e["reason"], e["granted"], e["approved_on"]) for e in w["ext"]
                ]
        text = self.path.read_text(encoding="utf-8")
        assert canonical(text) == text


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(
    max_examples=examples(40), stateful_step_count=25, deadline=None
)
