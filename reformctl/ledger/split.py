"""Turn one ledger into a workspace (``workspace split``) and back (``workspace join``),
losing nothing: every table moves with the comments above it, and the result is proven to
read as exactly the same facts before anything is written or removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, ReformctlError
from reformctl.ledger import tomltext
from reformctl.ledger.atomic import create_file
from reformctl.ledger.combine import combined_data
from reformctl.ledger.config import CONFIG_NAME
from reformctl.ledger.edit import Source
from reformctl.ledger.lexer import ScanError, statements
from reformctl.ledger.lock import LedgerLock
from reformctl.ledger.parse import decode_text, display_name, loads, read_text
from reformctl.ledger.read import load_text
from reformctl.ledger.workspace import load_texts, load_workspace, read_config
from reformctl.ledger.write import target

SHARED_NAME = "shared.toml"
PROVINCE = "省本级"  # --by city: the points that name no city
_BANNER = "# reformctl 工作区文件（{what}）；共用的设置、单位和专项小组在 {shared}\n"
_BANNER_RE = re.compile(
    r"\A# reformctl 工作区文件（[^\n]*）；共用的设置、单位和专项小组在 [^\n]*\n"
)
_MAX_NAME = 200  # bytes of a file name (most file systems take 255)
_UNSAFE_RE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@dataclass
class Layout:
    """The files of a workspace as texts (relative POSIX path -> text), config first."""

    files: dict[str, str]
    by: str


def file_stem(value: str) -> str:
    """A city's name as a file name: what no file system takes is replaced."""
    stem = _UNSAFE_RE.sub("_", value).strip(" .")
    # file systems take 255 bytes a name: a longer city shares the file of its first ones
    while len(f"{stem}.toml".encode("utf-8", "surrogatepass")) > _MAX_NAME:
        stem = stem[:-1]
    return stem.strip(" .") or "_"


def split(text: str, name: str, by: str) -> Layout:
    """The workspace that ``text`` (a valid ledger) becomes, split ``by`` group or city."""

    src = Source.from_text(text, name)
    data = loads(src.text)
    points: dict[str, Any] = data.get("points", {})
    groups: dict[str, Any] = data.get("groups", {})
    headers = src.index.headers
    starts = [src.block_start(h.path) for h in headers]
    preamble = src.text[: starts[0]] if headers else src.text
    shared: list[str] = [preamble]
    members: dict[str, list[str]] = {}
    what: dict[str, str] = {}
    keys: dict[str, str] = {}  # --by group: each file's group

    def file_of(pid: str) -> str:
        point = points.get(pid, {})
        if by == "group":
            key = str(point.get("group", ""))
            rel = f"groups/{file_stem(key)}.toml"
            what[rel] = str(groups.get(key, {}).get("name", key))
            keys.setdefault(rel, key)
            return rel
        city = point.get("city")
        stem = file_stem(city) if isinstance(city, str) and city.strip() else PROVINCE
        what[f"cities/{stem}.toml"] = stem
        return f"cities/{stem}.toml"

    for i, h in enumerate(headers):
        block = src.text[starts[i] : starts[i + 1] if i + 1 < len(headers) else len(src.text)]
        if h.path[0] == "points" and len(h.path) >= 2 and h.path[1] in points:
            members.setdefault(file_of(h.path[1]), []).append(block)
        else:
            shared.append(block)
    files = {CONFIG_NAME: _config(by, members, groups, keys)}
    files[SHARED_NAME] = src.encode("".join(shared).rstrip("\n") + "\n")
    for rel in sorted(members):
        body = "".join(members[rel]).strip("\n") + "\n"
        banner = _BANNER.format(what=what[rel], shared=SHARED_NAME)
        files[rel] = src.encode(banner + body)
    return Layout(files, by)


def _config(
    by: str, members: dict[str, list[str]], groups: dict[str, Any], keys: dict[str, str]
) -> str:
    folder = "groups" if by == "group" else "cities"
    lines = [
        "# reformctl 工作区：共用文件与各台账文件（格式见 docs/workspace.md）",
        "[workspace]",
        f"shared = {tomltext.string(SHARED_NAME)}",
        f"ledgers = [{tomltext.string(folder + '/*.toml')}]",
    ]
    if by == "group":
        for rel in sorted(members):
            key = keys[rel]
            lines += ["", f"[ledgers.{tomltext.key(rel)}]", f"group = {tomltext.string(key)}"]
            lead = groups.get(key, {}).get("lead")
            if isinstance(lead, str):
                lines.append(f"lead = {tomltext.string(lead)}")
    return "\n".join(lines) + "\n"


def join(texts: list[tuple[str, str]]) -> str:
    """One ledger's text from a workspace's files (shared first): each file's tables in
    order, with their comments; the banner ``split`` wrote is dropped."""

    shared_name, shared_text = texts[0]
    shared = Source.from_text(shared_text, shared_name)
    out = [shared.text.rstrip("\n") + "\n"]
    for name, text in texts[1:]:
        src = Source.from_text(text, name)
        body = _BANNER_RE.sub("", src.text, count=1)
        first = src.index.headers[0].start if src.index.headers else len(src.text)
        top = src.text[:first]
        try:
            found = [(s.key, s.start) for s in statements(top, 0, len(top))]
        except ScanError:
            found = [(("?",), 0)]
        keys = [k for k, _ in found]
        stray = [start for k, start in found if k != ("schema",)]
        if stray:  # named at its line: a key (dotted, e.g. points.X.title) before any table
            line = src.text.count("\n", 0, stray[0]) + 1
            raise ReformctlError("join-top-level", file=f"{name}:{line}:1")
        if keys:  # `schema = N` of its own: the shared file's stands (equal, or check says)
            body = re.sub(r"(?m)^[ \t]*schema[ \t]*=[^\n]*\n", "", body, count=1)
        out.append("\n" + body.lstrip("\n").rstrip("\n") + "\n")
    return shared.encode("".join(out))


def member_texts(files: dict[str, str], root: Path) -> list[tuple[Path, str, str]]:
    """The layout's files as a workspace's members (shared first), for the proof."""
    return [
        (root / rel, rel, text.removeprefix("\ufeff"))
        for rel, text in files.items()
        if rel != CONFIG_NAME
    ]


def split_ledger(path: Path, by: str, keep: bool) -> list[str]:
    """Split the ledger at ``path`` into a workspace beside it; returns the files written.
    The ledger must be valid; the files must not exist; the workspace must read as the same
    data with no problem; then the files are created and (unless ``keep``) the ledger goes."""

    path = target(path)
    name = display_name(path)
    with LedgerLock(path):
        text, problems = decode_text(path.read_bytes(), name)
        if text is None:  # not UTF-8: the problem check names, at its line and column
            raise InvalidLedger(problems)
        loaded = load_text(text, name)
        if loaded.problems:
            raise InvalidLedger(loaded.problems)
        layout = split(text.removeprefix("\ufeff"), name, by)
        root = path.parent
        for rel in layout.files:
            if (root / rel).exists():
                raise ReformctlError("file-exists", file=display_name(root / rel))
        members = member_texts(layout.files, root)
        if combined_data(members) != loads(text.removeprefix("\ufeff")):
            raise ReformctlError("split-not-same", file=name)
        check = load_texts(root / CONFIG_NAME, members, CONFIG_NAME)
        if check.problems:
            raise InvalidLedger(check.problems)
        _create_all(root, layout.files)
        if not keep:
            path.unlink()
    return [display_name(root / rel) for rel in layout.files]


def join_workspace(config: Path, out: Path | None, keep: bool) -> tuple[str, list[str]]:
    """Join a workspace into one ledger (``out``, default ledger.toml beside the
    configuration); returns its name and the files removed (none with ``keep``)."""

    ws = read_config(config)
    loaded = load_workspace(ws)
    if loaded.problems:
        raise InvalidLedger(loaded.problems)
    texts: list[tuple[Path, str, str]] = []
    for member in ws.files:
        name = display_name(member)
        text, problems = read_text(member, name)
        if text is None:
            raise InvalidLedger(problems)
        texts.append((member, name, text))
    joined = join([(n, t) for _, n, t in texts])
    target = out or ws.root / "ledger.toml"
    shown = display_name(target)
    plain = [(p, n, t.removeprefix("\ufeff")) for p, n, t in texts]
    if loads(joined.removeprefix("\ufeff")) != combined_data(plain):
        raise ReformctlError("join-not-same", file=shown)
    if load_text(joined, shown).problems:
        raise InvalidLedger(load_text(joined, shown).problems)

    create_file(target, joined.encode("utf-8", "surrogatepass"))
    removed: list[str] = []
    if not keep:
        for member in (*ws.files, ws.config):
            member.unlink()
            removed.append(display_name(member))
        for member in ws.ledgers:
            _remove_empty(member.parent, ws.root)
    return shown, removed


def _create_all(root: Path, files: dict[str, str]) -> None:
    """Create every file (their folders too); if one cannot be, none stays."""

    made: list[Path] = []
    try:
        for rel, text in files.items():
            path = root / rel
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a file where the folder goes (groups, cities)
                raise ReformctlError(
                    "write-failed", file=display_name(path), reason=exc.strerror or str(exc)
                ) from exc
            create_file(path, text.encode("utf-8", "surrogatepass"))
            made.append(path)
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
        raise


def _remove_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
