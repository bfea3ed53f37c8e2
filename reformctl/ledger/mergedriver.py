"""Git's merge driver as one call: merge the three files git hands over into ours and say
what was done (:class:`DriverResult`); ``reformctl git merge-driver`` only prints it.

The decision, in order: git's line merge, taken when it provably reads as the keyed merge
would (:func:`~reformctl.ledger.lineproof.line_merge_proven`: the common case, two branches
that changed different points); else the keyed merge (:func:`~reformctl.ledger.merge.merge`);
and where that cannot be had (a side that is not UTF-8 or does not parse), git's own line
merge with its markers, clean only when its result is a valid ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reformctl.errors import Problem, ReformctlError
from reformctl.i18n import tr
from reformctl.ledger.gitio import merge_file, merge_file_clean
from reformctl.ledger.lexer import ScanError, scan
from reformctl.ledger.lineproof import line_merge_proven
from reformctl.ledger.loader import load
from reformctl.ledger.merge import merge
from reformctl.ledger.mergetext import PLAIN, Labels
from reformctl.ledger.read import salvage


@dataclass(frozen=True)
class DriverResult:
    """What the merge driver left in ours: the merged ``text`` and the ``conflicts`` marked in
    it; or, where the keyed merge could not be had, why (``fallback``, in the language asked
    for), git's line merge in ours, and the ``problems`` that make its clean lines no valid
    ledger."""

    text: str
    conflicts: list[str] = field(default_factory=list)
    fallback: str | None = None
    problems: list[Problem] = field(default_factory=list)
    line_clean: bool = True  # the fallback's: git's line merge left no markers
    twice: list[str] = field(default_factory=list)  # register entries both sides added

    @property
    def clean(self) -> bool:
        """Whether git may take ours as merged (else it leaves the file unmerged)."""
        if self.fallback is not None:
            return self.line_clean and not self.problems
        return not self.conflicts


def read_side(path: Path, size: int = -1) -> bytes:
    """A file git handed over (its first ``size`` bytes), or the one-line reason it cannot be
    read (exit 2)."""
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise ReformctlError("ledger-unreadable", file=str(path), reason=exc.strerror) from None


def merge_files(
    base: Path,
    ours: Path,
    theirs: Path,
    name: str,
    *,
    others: list[tuple[str, str]] | None = None,
    labels: Labels = PLAIN,
    lang: str = "zh",
) -> DriverResult:
    """Merge ``theirs`` into ``ours`` (written in place) relative to ``base``. ``name`` is the
    ledger's path in the repository; ``others`` the other files (name, text; the shared one
    first) when it is one file of a workspace, which judge it with them."""
    files = (base, ours, theirs)
    for p in files:  # a file git handed over that cannot be read: that one line, exit 2
        read_side(p, 0)

    def sides() -> tuple[str, str, str]:
        base_text, ours_text, theirs_text = (read_side(p).decode("utf-8") for p in files)
        return base_text, ours_text, theirs_text

    try:
        lined = merge_file_clean(*files)
        result = line_merge_proven(sides, lined, name, others) if lined is not None else None
        if result is None:
            result = merge(
                *sides(),
                name,
                line_merge=lambda *_: lined,
                workspace=others,
                proven_first=False,
                labels=labels,
                lang=lang,
            )
    except (ReformctlError, UnicodeDecodeError) as exc:
        why = exc.message(lang) if isinstance(exc, ReformctlError) else tr("not-utf8-side", lang)
        return _line_merged(base, ours, theirs, name, others, labels, why)
    twice = recorded_on_both_sides(*sides())
    ours.write_bytes(result.text.encode("utf-8"))
    return DriverResult(result.text, [*result.conflicts, *twice], twice=twice)


# the registers whose entries are documents sent (a notice, a circular), numbered
REGISTERS = ("notices", "circulars")


def recorded_on_both_sides(base: str, ours: str, theirs: str) -> list[str]:
    """The register entries both sides added under one key: two documents sent with one
    number, however alike their lines (the same day, kind and period merge clean line by
    line); a conflict to settle by renumbering one, never a clean merge. By the tables'
    headers, as reformctl writes a register."""

    def keys(text: str) -> set[str]:
        try:
            headers = scan(text).headers
        except ScanError:
            return set()
        return {".".join(h.path) for h in headers if len(h.path) == 2 and h.path[0] in REGISTERS}

    if not all(any(f"[{r}." in side for r in REGISTERS) for side in (ours, theirs)):
        return []  # (no register table on one side: nothing to scan for)
    return sorted((keys(ours) & keys(theirs)) - keys(base))


def _line_merged(
    base: Path,
    ours: Path,
    theirs: Path,
    name: str,
    others: list[tuple[str, str]] | None,
    labels: Labels,
    why: str,
) -> DriverResult:
    """git's own line merge in place, with its markers: clean lines are not enough, the result
    must be a valid ledger."""
    clean = merge_file(ours, base, theirs, (labels.ours, labels.base, labels.theirs))
    problems: list[Problem] = []
    if clean:
        if others:
            merged = ours.read_bytes().decode("utf-8", "replace")
            problems = salvage(merged, name, others).problems
        else:
            problems = load(ours).problems
    text = ours.read_bytes().decode("utf-8", "replace")
    return DriverResult(text, [], why, problems, clean)
