"""Git review: `diff` in ledger terms, and `git install` for textconv and the merge driver."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from reformctl.cli import choices, complete
from reformctl.cli.app import app, state
from reformctl.errors import ExitCode, ReformctlError
from reformctl.i18n import tr
from reformctl.ledger import cache
from reformctl.ledger.config import find_config, is_config
from reformctl.ledger.parse import decode_text
from reformctl.ledger.read import salvage, unreadable
from reformctl.ledger.workspace import read_config
from reformctl.lookup import resolve
from reformctl.model import DEFAULT_TIMEZONE
from reformctl.render import FORMATS, emit
from reformctl.render.views import history_records, history_table

git_app = typer.Typer(help="Git integration: diff and merge ledgers by key.", no_args_is_help=True)
app.add_typer(git_app, name="git")


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    ctx: typer.Context,
    rev_a: Annotated[str, typer.Argument(metavar="[REV_A]", help="Default: HEAD.")] = "HEAD",
    rev_b: Annotated[
        str | None, typer.Argument(metavar="[REV_B]", help="Default: the working tree.")
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text | markdown | json")
    ] = DiffFormat.text,
) -> None:
    """What changed in the ledger between two git revisions, in ledger terms.

    Example: reformctl diff HEAD~1 --format markdown
    """
    import sys

    # start-up: `check` does not load facts
    from reformctl.facts import compare

    # start-up: `check` does not load ledger.revision, render.diffview
    from reformctl.ledger.revision import compared_data
    from reformctl.render.diffview import unit_names, write_diff

    st = state(ctx)
    path = st.path()
    name = path.name
    # any revision that parses can be compared, valid or not: review needs it most then
    old, new = compared_data(path, rev_a, rev_b)
    if new is None:
        raise ReformctlError("ledger-missing", file=f"{rev_b}:{name}")
    label_b = rev_b if rev_b is not None else tr("worktree", st.lang)
    names = unit_names(new, old)
    write_diff(compare(old, new), fmt.value, st.lang, name, rev_a, label_b, sys.stdout, names)


@git_app.command("install")
def install(
    ctx: typer.Context,
    no_hook: Annotated[
        bool, typer.Option("--no-hook", help="Do not install the pre-merge-commit hook.")
    ] = False,
) -> None:
    """Set up this clone: .gitattributes and git config so that `git diff` shows ledger terms
    and `git merge` merges ledgers by key (registered with this installation's own path), and
    a pre-merge-commit hook that runs the rules on every merge before git commits it (where
    core.hooksPath says; a hook reformctl did not write is never replaced: refused).

    Example: reformctl git install
    """
    import shlex
    import sys

    # start-up: `check` does not load ledger.gitio
    from reformctl.ledger.gitio import (
        NAMES_TO_DRIVERS,
        config,
        foreign_hook,
        relative_to_repo,
        version,
        write_hook,
    )

    st = state(ctx)
    root, rel = relative_to_repo(st.path())
    if not no_hook and (found := foreign_hook(root, "pre-merge-commit")) is not None:
        raise ReformctlError("git-hook-foreign", hook=_shown(found, root))  # nothing written
    attributes = root / ".gitattributes"
    lines = [f"{spec} diff=reformctl merge=reformctl" for spec in _attribute_paths(st.path(), rel)]
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    new = [line for line in lines if line not in existing.splitlines()]
    if new:
        with attributes.open("a", encoding="utf-8") as fh:
            fh.write(("\n" if existing and not existing.endswith("\n") else "") + "\n".join(new))
            fh.write("\n")
    line = "; ".join(lines)
    me = f"{shlex.quote(sys.executable)} -m reformctl"
    config(root, "diff.reformctl.textconv", f"{me} git textconv")
    config(root, "diff.reformctl.cachetextconv", "false")
    config(root, "merge.reformctl.name", "reformctl: merge ledgers by key")
    driver = f"{me} git merge-driver %O %A %B %P"
    if version(root) >= NAMES_TO_DRIVERS:  # conflict markers then name the branches
        driver += " --base-label %S --ours-label %X --theirs-label %Y"
    config(root, "merge.reformctl.driver", driver)
    typer.echo(tr("git-installed", st.lang, attributes=f".gitattributes: {line}"))
    if not no_hook:
        hook = write_hook(root, "pre-merge-commit", _merge_hook(me, rel))
        typer.echo(tr("git-hook-installed", st.lang, hook=_shown(hook, root)))


def _merge_hook(me: str, ledger: str) -> str:
    """The pre-merge-commit hook: git runs it on the merged working tree before it commits a
    merge it made alone (no conflict). Files changed on one side only never reach the merge
    driver, so a reference across files (a point's lead unit in one, its declaration in
    another) is judged here: silent when the rules pass, else their problems, and no commit."""
    import shlex

    check = f"{me} check --fail-on never --ledger {shlex.quote(ledger)}"
    return (
        "#!/bin/sh\n"
        "# Before git commits a merge: the ledger's rules on the merged files (`git merge\n"
        "# --no-verify` skips this; so do rebase and cherry-pick: see docs/ci.md).\n"
        f"out=$({check} 2>&1)\n"
        "status=$?\n"
        'if [ "$status" -ne 0 ]; then\n'
        "  printf '%s\\n' \"$out\" >&2\n"
        "  exit $status\n"
        "fi\n"
    )


def _shown(path: Path, root: Path) -> str:
    """A path as the user reads it: from the repository's root when it is inside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _attribute_paths(path: Path, rel: str) -> list[str]:
    """The .gitattributes patterns of the ledger: its path, or a workspace's shared file and
    ledger patterns (from the repository's root; spaces escaped as git reads them)."""

    if not is_config(path):
        return [_attr(rel)]
    ws = read_config(path)
    base = rel.rpartition("/")[0]
    prefix = base + "/" if base else ""
    return [_attr(prefix + p) for p in (ws.relative(ws.shared), *ws.patterns)]


def _attr(pattern: str) -> str:
    return pattern.replace("\\", "\\\\").replace(" ", "[[:space:]]")


@git_app.command("textconv")
def textconv(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="A ledger file (git passes a copy).")],
) -> None:
    """Print a ledger one fact a line (git's textconv: `git diff` then reads in ledger terms).

    Problems are marked under the table they are about; only what does not parse is shown as
    raw text. Example: reformctl git textconv ledger.toml
    """
    from pathlib import Path

    # start-up: `check` does not load render.diffview
    from reformctl.render.diffview import textconv as render

    st = state(ctx)

    raw = _read(Path(file))
    # git runs this for every revision it shows: the facts of a blob it showed before come
    # from the cache, keyed by everything they depend on: the blob's exact bytes, the
    # language, the code, and in a workspace its configuration and every file of it (which
    # declare what the blob refers to: the same bytes outside it read otherwise)
    others = _workspace_files()
    entry = None
    if cache.enabled():
        texts = (t for pair in others for t in pair)
        entry = cache.key("textconv", raw, st.lang, _workspace_config(), *texts)
    found = cache.get_bytes(entry) if entry is not None else None
    if found is not None:
        _write_bytes(found)
        return
    text, problems = decode_text(raw, "ledger.toml")
    salvaged = (
        salvage(text, "ledger.toml", others) if text is not None else unreadable(raw, problems)
    )
    out = render(salvaged, st.lang).encode("utf-8", "surrogateescape")
    _write_bytes(out)
    if entry is not None:
        cache.put_bytes(entry, out)


def _write_bytes(data: bytes) -> None:
    """What git reads from a textconv: UTF-8 whatever the locale's encoding, written as bytes
    (a 10,000-point ledger's facts are 14 MB: not decoded and encoded again on a hit)."""
    import sys

    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _workspace_files() -> list[tuple[str, str]]:
    """The files (name, text; the shared one first) of the workspace git runs in (from the
    repository's root), as in the working tree; none outside a workspace."""
    from pathlib import Path

    config = find_config(Path.cwd())
    if config is None:
        return []
    try:
        ws = read_config(config)
        return [(ws.relative(f), f.read_text(encoding="utf-8")) for f in ws.files]
    except (ReformctlError, OSError, UnicodeDecodeError):
        return []


def _workspace_config() -> str:
    """The text of the configuration of the workspace git runs in ("" outside one)."""
    from pathlib import Path

    config = find_config(Path.cwd())
    try:
        return "" if config is None else config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


@git_app.command("merge-driver")
def merge_driver(
    ctx: typer.Context,
    base: Annotated[str, typer.Argument(help="%O: the common ancestor's version.")],
    ours: Annotated[str, typer.Argument(help="%A: ours; the result is written here.")],
    theirs: Annotated[str, typer.Argument(help="%B: theirs.")],
    path: Annotated[
        str, typer.Argument(help="%P: the ledger's path in the repository.")
    ] = "ledger.toml",
    ours_label: Annotated[
        str | None, typer.Option("--ours-label", help="%X: what conflict markers call ours.")
    ] = None,
    base_label: Annotated[
        str | None, typer.Option("--base-label", help="%S: what they call the base.")
    ] = None,
    theirs_label: Annotated[
        str | None, typer.Option("--theirs-label", help="%Y: what they call theirs.")
    ] = None,
) -> None:
    """Git's merge driver: merge two ledgers by key. Exit 1 when conflicts are left, marked.
    `reformctl git install` sets it up; git runs it.

    Example: reformctl git merge-driver %O %A %B %P
    """
    from pathlib import Path

    # start-up: `check` does not load ledger.mergedriver, ledger.mergetext
    from reformctl.ledger.mergedriver import merge_files
    from reformctl.ledger.mergetext import Labels

    st = state(ctx)
    labels = Labels(
        *(
            _label(given, default)
            for given, default in (
                (ours_label, "ours"),
                (base_label, "base"),
                (theirs_label, "theirs"),
            )
        )
    )
    others = _workspace_files()  # a workspace's file is judged with the other files
    done = merge_files(
        Path(base),
        Path(ours),
        Path(theirs),
        path,
        others=others or None,
        labels=labels,
        lang=st.lang,
    )
    if done.fallback is not None:
        typer.echo(tr("merge-fallback", st.lang, file=path, why=done.fallback), err=True)
        if done.problems:
            first = done.problems[0].message(st.lang)
            typer.echo(tr("merge-fallback-invalid", st.lang, file=path, problem=first), err=True)
    elif done.conflicts:
        typer.echo(
            tr(
                "merge-conflicts",
                st.lang,
                file=path,
                n=len(done.conflicts),
                refs="; ".join(done.conflicts),
            ),
            err=True,
        )
        for key in done.twice:
            typer.echo(tr("merge-register-twice", st.lang, file=path, key=key), err=True)
    if not done.clean:
        raise typer.Exit(ExitCode.FINDINGS)


def _label(given: str | None, default: str) -> str:
    """A side's name for conflict markers: what git passed, on one line; the default where
    it passed nothing (an empty name, or the placeholder itself: a git before 2.44)."""
    if given is None or given in ("", "%S", "%X", "%Y"):
        return default
    return " ".join(given.split()) or default


def _read(path: Path, size: int = -1) -> bytes:
    """A file git handed us (its first ``size`` bytes), or the one-line reason it cannot be
    read."""

    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise ReformctlError("ledger-unreadable", file=str(path), reason=exc.strerror) from None


@app.command("history")
def history_command(
    ctx: typer.Context,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="office (the default) | unit | group",
            show_default=False,
            callback=choices.HISTORY_BY.callback,
            autocompletion=choices.HISTORY_BY.complete,
        ),
    ] = "office",
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            help="The unit or group, key or name (with --by).",
            autocompletion=complete.units_or_groups,
        ),
    ] = None,
    per: Annotated[
        str,
        typer.Option(
            "--per",
            help="commit (the default) | month (the last commit of each month)",
            show_default=False,
            callback=choices.HISTORY_PER.callback,
            autocompletion=choices.HISTORY_PER.complete,
        ),
    ] = "commit",
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="table | plain | markdown | csv | json")
    ] = None,
) -> None:
    """Progress over time from git history: completion against expected at each commit.

    Example: reformctl history --per month --by unit --key lyj
    """

    # start-up: `check` does not load history
    from reformctl.history import SCOPES, history, snapshots

    if by not in SCOPES or per not in ("commit", "month") or (fmt and fmt not in FORMATS):
        raise ReformctlError("bad-history-args", by=by, per=per)
    if by != "office" and not key:
        raise ReformctlError("history-needs-key", by=by)
    st = state(ctx)
    path = st.path()
    import zoneinfo

    current = st.load().ledger if path.exists() else None
    if key and current is not None and by in ("unit", "group"):
        key = resolve(by, current.units if by == "unit" else current.groups, key, current.file)
    tz = zoneinfo.ZoneInfo(current.settings.timezone if current is not None else DEFAULT_TIMEZONE)

    rows = history(snapshots(path, tz, by, key, st.lang), per)
    title = path.name + (f" · {by} {key}" if key else "")
    emit(fmt, lambda: history_table(rows, title, st.lang), lambda: history_records(rows))
