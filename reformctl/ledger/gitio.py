"""The ledger in git: its text at a revision, the repository it lives in."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from reformctl.errors import InvalidLedger, ReformctlError
from reformctl.ledger.parse import decode_text


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise ReformctlError("git-missing") from None


def repo_root(path: Path) -> Path:
    # the file may be a revision's only: its folder need not exist in the working tree (a
    # missing cwd used to be taken for a missing git)
    folder = path.resolve().parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    root = _toplevel(folder)
    if root is None:
        raise ReformctlError("not-in-git", file=str(path))
    return root


_toplevels: dict[Path, Path] = {}


def _toplevel(folder: Path) -> Path | None:
    """The repository ``folder`` is in, asked of git once (``history`` reads a hundred
    revisions of one file) while the answer stands; a folder found in none is asked again
    next time."""
    found = _toplevels.get(folder)
    if found is None or not _stands(folder, found):
        proc = _git(["rev-parse", "--show-toplevel"], folder)
        if proc.returncode != 0:
            _toplevels.pop(folder, None)
            return None
        found = _toplevels[folder] = Path(proc.stdout.decode().strip())
    return found


def _stands(folder: Path, root: Path) -> bool:
    """Whether git would still say ``root`` for ``folder`` (a few stats, not a process): the
    repository is still there and no folder between them has become one of its own (a
    process that lives on, as a library's caller or a test run, sees repositories come and
    go). When it cannot tell (``root`` not above ``folder``, no ``.git`` in it), git is asked."""
    if not (root / ".git").exists():
        return False
    at = folder
    while at != root:
        if at == at.parent or (at / ".git").exists():
            return False
        at = at.parent
    return True


def relative_to_repo(path: Path) -> tuple[Path, str]:
    root = repo_root(path)
    return root, path.resolve().relative_to(root.resolve()).as_posix()


def text_at(path: Path, rev: str) -> str | None:
    """The ledger's text at ``rev`` (None when the file is not in that revision); bytes that
    are not UTF-8 raise :class:`InvalidLedger` at their line and column."""
    root, rel = relative_to_repo(path)
    check = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if check.returncode != 0:
        raise ReformctlError("unknown-revision", rev=rev)
    proc = _git(["show", f"{rev}:{rel}"], root)
    if proc.returncode != 0:
        return None

    text, problems = decode_text(proc.stdout, f"{rev}:{rel}")
    if text is None:
        raise InvalidLedger(problems)
    return text


def version(root: Path) -> tuple[int, ...]:
    """git's version (``git version 2.44.1`` gives (2, 44, 1)); (0,) when it does not say."""
    import re

    proc = _git(["version"], root)
    m = re.search(rb"(\d+)\.(\d+)(?:\.(\d+))?", proc.stdout)
    return tuple(int(g) for g in m.groups() if g is not None) if m else (0,)


# git passes a custom merge driver the sides' names (%S base, %X ours, %Y theirs) from 2.44 on
NAMES_TO_DRIVERS = (2, 44)


# the line that marks a hook as reformctl's own: `git install` rewrites only hooks that have it
# (followed by the hash of the hook's other lines: a hook edited since is no longer its own)
HOOK_MARK = (
    "# reformctl: written by `reformctl git install` (it rewrites only hooks with this line)"
)


def hooks_dir(root: Path) -> Path:
    """Where git looks for this clone's hooks (``core.hooksPath`` when it is set)."""
    proc = _git(["rev-parse", "--git-path", "hooks"], root)
    if proc.returncode != 0:
        raise ReformctlError("git-failed", detail=proc.stderr.decode().strip())
    found = Path(proc.stdout.decode().strip())
    return found if found.is_absolute() else root / found


def foreign_hook(root: Path, name: str) -> Path | None:
    """The hook ``name`` when one is there that reformctl did not write (None otherwise)."""
    path = hooks_dir(root) / name
    if not (path.exists() or path.is_symlink()):
        return None
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return path
    return None if _ours(text) else path


def _seal(rest: str) -> str:
    """The marker line for a hook whose other lines are ``rest``: it carries their hash, so a
    hook a person has edited since is no longer reformctl's (never rewritten)."""
    import hashlib

    return f"{HOOK_MARK} [{hashlib.sha256(rest.encode('utf-8')).hexdigest()[:16]}]"


def _ours(text: str) -> bool:
    """Whether ``text`` is a hook reformctl wrote, unchanged since: its marker line's hash is
    that of its other lines."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(HOOK_MARK):
            rest = "".join(lines[:i] + lines[i + 1 :])
            return line.rstrip("\r\n") == _seal(rest)
    return False


def write_hook(root: Path, name: str, body: str) -> Path:
    """Write hook ``name`` (``body``, marked as reformctl's, executable). Refuses, writing
    nothing, where a hook of that name is there that reformctl did not write."""
    found = foreign_hook(root, name)
    if found is not None:
        raise ReformctlError("git-hook-foreign", hook=str(found))
    path = hooks_dir(root) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = body.splitlines(keepends=True)
    text = "".join([lines[0], _seal("".join(lines)) + "\n", *lines[1:]])
    path.write_bytes(text.encode("utf-8"))  # "\n" on Windows too: git's sh runs it
    path.chmod(0o755)
    return path


def config(root: Path, key: str, value: str) -> None:
    proc = _git(["config", "--local", key, value], root)
    if proc.returncode != 0:
        raise ReformctlError("git-failed", detail=proc.stderr.decode().strip())


def commits_touching(path: Path, also: list[str] | None = None) -> list[tuple[str, dt.datetime]]:
    """(commit, author time) of every commit that changed the ledger (or a file ``also``
    names: git pathspecs relative to the repository), oldest first. The author time is when
    the change was made; a rebase rewrites the committer's."""
    root, rel = relative_to_repo(path)
    proc = _git(["log", "--reverse", "--format=%H %aI", "--", rel, *(also or [])], root)
    if proc.returncode != 0:
        raise ReformctlError("git-failed", detail=proc.stderr.decode().strip())
    out = []
    for line in proc.stdout.decode().splitlines():
        sha, _, when = line.partition(" ")
        out.append((sha, dt.datetime.fromisoformat(when)))
    return out


def merge_file(
    ours: Path, base: Path, theirs: Path, labels: tuple[str, str, str] = ("ours", "base", "theirs")
) -> bool:
    """``git merge-file`` in place on ``ours`` (with markers named by ``labels``: ours, base,
    theirs); True if it merged cleanly."""
    proc = subprocess.run(
        [
            "git",
            "merge-file",
            "-L",
            labels[0],
            "-L",
            labels[1],
            "-L",
            labels[2],
            str(ours),
            str(base),
            str(theirs),
        ],
        check=False,
        capture_output=True,
    )
    return proc.returncode == 0


def merge_file_clean(base: Path, ours: Path, theirs: Path) -> str | None:
    """git's line merge of three files, printed (no file is touched): the result when it is
    clean and UTF-8, else None."""
    try:
        proc = subprocess.run(
            ["git", "merge-file", "-p", str(ours), str(base), str(theirs)],
            check=False,
            capture_output=True,
        )
    except OSError:
        return None
    if proc.returncode != 0:
        return None
    try:
        return proc.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None


def merge_file_text(base: str, ours: str, theirs: str) -> str | None:
    """git's line merge of three texts, without touching any file of the repository: the
    result when it is clean, else None."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_bytes(text.encode("utf-8"))
            paths.append(p)
        proc = subprocess.run(
            ["git", "merge-file", "-p", *(str(p) for p in paths)],
            check=False,
            capture_output=True,
        )
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8")


def files_at(folder: Path, rev: str) -> list[str]:
    """Every file under ``folder`` at ``rev``, as POSIX paths relative to it."""
    root = repo_root(folder / "x")
    prefix = folder.resolve().relative_to(root.resolve()).as_posix()
    args = ["ls-tree", "-r", "-z", "--name-only", "--full-tree", rev]
    if prefix != ".":
        args += ["--", prefix + "/"]
    proc = _git(args, root)
    if proc.returncode != 0:
        raise ReformctlError("unknown-revision", rev=rev)
    names = [n.decode("utf-8", "surrogateescape") for n in proc.stdout.split(b"\0") if n]
    cut = 0 if prefix == "." else len(prefix) + 1
    return [n[cut:] for n in names]


@dataclass(frozen=True)
class Commit:
    """A commit as ``review`` reads it: who wrote it, who committed it, and on what."""

    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    subject: str
    committer: str = ""
    committer_email: str = ""


def resolve(root: Path, rev: str) -> str:
    """The commit ``rev`` names (:class:`ReformctlError` ``unknown-revision`` if none)."""
    check = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if check.returncode != 0:
        raise ReformctlError("unknown-revision", rev=rev)
    return check.stdout.decode().strip()


def commits_between(folder: Path, base: str, head: str) -> list[Commit]:
    """Every commit in ``base..head``, oldest first (parents before children), merges
    included: each change is judged in the commit that made it."""
    root = repo_root(folder / "x")
    for rev in (base, head):
        resolve(root, rev)
    fmt = "%H%x1f%P%x1f%an%x1f%ae%x1f%s%x1f%cn%x1f%ce%x1e"
    proc = _git(["log", "--reverse", "--topo-order", f"--format={fmt}", f"{base}..{head}"], root)
    if proc.returncode != 0:
        raise ReformctlError("git-failed", detail=proc.stderr.decode().strip())
    out = []
    for record in proc.stdout.decode("utf-8", "replace").split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        sha, parents, author, email, subject, committer, committer_email = record.split("\x1f")
        out.append(
            Commit(sha, tuple(parents.split()), author, email, subject, committer, committer_email)
        )
    return out


def merge_base(root: Path, parents: tuple[str, ...]) -> tuple[str, ...]:
    """Every best common ancestor of a merge's parents (``--all``: a criss-cross merge has
    several; of all of them, for an octopus); none for histories that share none
    (``--allow-unrelated-histories``)."""
    args = ["merge-base", "--all", *(["--octopus"] if len(parents) > 2 else []), *parents]
    proc = _git(args, root)
    if proc.returncode != 0:
        return ()
    return tuple(proc.stdout.decode().split())


@dataclass(frozen=True)
class Signature:
    """How a commit's signature stands against the allowed signers: ``good`` (``git
    verify-commit`` accepts it; ``principal`` is who the allowed-signers file says holds the
    key), ``unsigned``, or ``unverified`` (a key it does not list, a bad or expired
    signature, a signature git cannot check)."""

    status: str
    principal: str | None = None
    key: str | None = None


def signatures(root: Path, shas: list[str], allowed_signers: str) -> dict[str, Signature]:
    """Each commit's signature checked by ``git verify-commit`` against ``allowed_signers``
    (the text of a file in git's allowed-signers format, as ssh-keygen reads it), and the
    principal it maps the key to (``%GS``: for an SSH signature, the allowed signer)."""
    import os
    import tempfile

    if not shas:
        return {}
    with tempfile.TemporaryDirectory(prefix="reformctl-signers-") as tmp:
        signers = Path(tmp) / "allowed_signers"
        fd = os.open(signers, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(allowed_signers)
        use = ["-c", f"gpg.ssh.allowedSignersFile={signers}"]
        fmt = "%H%x1f%G?%x1f%GS%x1f%GK%x1e"
        proc = _git([*use, "show", "-s", "--no-walk=unsorted", f"--format={fmt}", *shas], root)
        if proc.returncode != 0:
            raise ReformctlError("git-failed", detail=proc.stderr.decode().strip())
        shown: dict[str, tuple[str, str, str]] = {}
        for record in proc.stdout.decode("utf-8", "replace").split("\x1e"):
            record = record.strip("\n")
            if record:
                sha, status, principal, key = record.split("\x1f")
                shown[sha] = (status, principal, key)
        out = {}
        for sha in shas:
            status, principal, key = shown.get(sha, ("N", "", ""))
            if status == "N":
                out[sha] = Signature("unsigned")
                continue
            # verify-commit is the judge (its exit code); the principal comes from %GS
            verified = _git([*use, "verify-commit", sha], root).returncode == 0
            if verified and status == "G" and principal:
                out[sha] = Signature("good", principal, key or None)
            else:
                out[sha] = Signature("unverified", None, key or None)
    return out
