"""The folder a static site (`site --out DIR`) is written to.

A folder is written only when it is empty or holds a site reformctl wrote before (its
manifest, ``.reformctl-site``, lists every file): then the files it listed that the new site no
longer has (a point removed) go, and nothing else in it is touched. A folder with anything
else in it is refused (exit 2): `site` never deletes or overwrites what it did not write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from reformctl.errors import ReformctlError

MANIFEST = ".reformctl-site"


def _listed(out: Path) -> set[str] | None:
    """The files the last build wrote (None: the folder is not one of ours)."""
    try:
        lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return {line for line in lines if line and not line.startswith("#")}


def _safe(rel: str) -> bool:
    parts = rel.split("/")
    return bool(parts) and all(p not in ("", ".", "..") for p in parts)


def write_site(out: Path, files: Iterable[tuple[str, str]]) -> int:
    """Write each (path, text) under ``out``; the number of pages (.html files) written. A
    file that cannot be written (no permission, disk full) is refused with its reason."""
    target = out
    try:
        return _write(out, files)
    except OSError as exc:
        target = Path(exc.filename) if exc.filename else target
        reason = exc.strerror or str(exc)
        raise ReformctlError("site-write-failed", file=str(target), reason=reason) from None


def _write(out: Path, files: Iterable[tuple[str, str]]) -> int:
    if out.exists() and not out.is_dir():
        raise ReformctlError("site-out-file", out=str(out))
    before: set[str] = set()
    if out.is_dir() and any(out.iterdir()):
        listed = _listed(out)
        if listed is None:
            raise ReformctlError("site-not-ours", out=str(out))
        before = listed
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    made: set[Path] = set()
    for rel, text in files:
        target = out / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(rel)
    for rel in sorted(before - set(written)):
        if _safe(rel):
            with contextlib.suppress(OSError):
                (out / rel).unlink()
    (out / MANIFEST).write_text(
        "# written by reformctl site: these files are replaced by the next build\n"
        + "".join(f"{rel}\n" for rel in written),
        encoding="utf-8",
    )
    return sum(1 for rel in written if rel.endswith(".html"))
