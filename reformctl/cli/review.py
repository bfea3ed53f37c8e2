"""`review`: every change to the ledger in BASE..HEAD with its author and whether it lies in the
author's remit; `git codeowners`: who must approve a change to each file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reformctl.cli.app import ForceOption, app, refuse_overwrite, state
from reformctl.cli.git import git_app
from reformctl.errors import ExitCode

if TYPE_CHECKING:
    from reformctl.facts import Difference
    from reformctl.ledger.read import Loaded
    from reformctl.model import Loc


class ReviewFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"
    sarif = "sarif"


@app.command()
def review(
    ctx: typer.Context,
    base: Annotated[str, typer.Argument(help="The revision the changes start from.")],
    head: Annotated[
        str, typer.Argument(help="The last revision reviewed. Default: HEAD.")
    ] = "HEAD",
    fmt: Annotated[
        ReviewFormat, typer.Option("--format", "-f", help="text | json | github | gitlab | sarif")
    ] = ReviewFormat.text,
) -> None:
    """Every change to the ledger in BASE..HEAD, commit by commit, with its author and whether
    it lies in the author's remit (a unit's members: done, evidence and progress on the points
    it leads, progress where it co-operates; the office's members: everything).

    Exit 0: every change in remit. 1: a change outside its author's remit, or by an author who
    is a member of no unit. 2: an unknown revision, no git repository, an invalid ledger.

    Example: reformctl review origin/main HEAD --format github
    """
    import sys

    from reformctl.errors import InvalidLedger
    from reformctl.ledger.gitio import commits_between, relative_to_repo
    from reformctl.ledger.revision import data_at, loaded_at
    from reformctl.remit import Snapshot
    from reformctl.remit import review as judge_commits
    from reformctl.render import review as render

    st = state(ctx)
    path = st.path()
    root, _ = relative_to_repo(path)  # exit 2 outside a repository
    loaded: dict[str, Loaded | None] = {}

    def load(rev: str) -> Loaded | None:
        if rev not in loaded:
            try:
                found = loaded_at(path, rev)
            except InvalidLedger as exc:
                raise _invalid_at(rev, exc, st.lang) from None
            if found is not None and (found.problems or found.ledger is None):
                raise _invalid_at(rev, InvalidLedger(found.problems), st.lang)
            loaded[rev] = found
        return loaded[rev]

    def at(rev: str) -> Snapshot:
        found = load(rev)
        if found is None:
            return Snapshot(None, None)
        try:
            data = data_at(path, rev)
        except InvalidLedger as exc:
            raise _invalid_at(rev, exc, st.lang) from None
        return Snapshot(data, found.ledger)

    commits = commits_between(path.parent, base, head)
    head_loaded = load(head)
    reviewed = list(judge_commits(commits, at))
    locs: dict[tuple[str, int], Loc] = {}
    for r in reviewed:
        for i, verdict in enumerate(r.verdicts):
            parent = load(r.commit.parents[0]) if r.commit.parents else None
            loc = _locate(path, head, head_loaded, parent, verdict.change)
            if loc is not None:
                locs[(r.commit.sha, i)] = loc
    names = head_loaded.ledger if head_loaded else None
    root_uri = root.resolve().as_uri().rstrip("/") + "/"
    result = render.ReviewResult(base, head, reviewed, locs, names, root_uri)
    writers = {
        ReviewFormat.text: render.write_review_text,
        ReviewFormat.json: render.write_review_json,
        ReviewFormat.github: render.write_review_github,
        ReviewFormat.gitlab: render.write_review_gitlab,
        ReviewFormat.sarif: render.write_review_sarif,
    }
    writers[fmt](result, st.lang, sys.stdout)
    if not result.ok:
        raise typer.Exit(ExitCode.FINDINGS)


def _invalid_at(rev: str, exc: Exception, lang: str) -> Exception:
    from reformctl.errors import InvalidLedger, ReformctlError

    assert isinstance(exc, InvalidLedger)
    return ReformctlError("review-invalid-at", rev=rev, problem=exc.problem.line(lang))


def _key(d: Difference) -> str | None:
    """The key of its table a change is about (None: the table's header)."""
    if d.kind.startswith("progress-"):
        return d.field
    words = {
        "done": "done",
        "undone": "done",
        "done-changed": "done",
        "evidence": "evidence",
        "extended": "extensions",
        "extensions-changed": "extensions",
        "closed": "closed",
        "reopened": "closed",
        "close-changed": "closed",
    }
    if d.kind in words:
        return words[d.kind]
    if d.kind.endswith(("-added", "-removed")) or not d.field:
        return None
    return d.field.split("#")[0].split(".")[0]


def _locate(
    path: Path, head: str, at_head: Loaded | None, before: Loaded | None, d: Difference
) -> Loc | None:
    """Where a change is in HEAD's text (from the repository root): its key's line, else its
    table's header, else the nearest table above it that is still there."""
    from reformctl.ledger.gitio import relative_to_repo
    from reformctl.ledger.workspace import MultiIndex, is_config
    from reformctl.model import Loc

    if at_head is None:
        return None
    key = _key(d)
    index = at_head.index
    if not is_config(path):
        loc = index.loc(d.path, key)
        return Loc(relative_to_repo(path)[1], loc.line, loc.col)
    assert isinstance(index, MultiIndex)
    prefix = f"{head}:"
    target = None
    if d.path[:2] not in index.owner and before is not None:
        # gone by HEAD: the file that held it before the change
        held = before.index
        if isinstance(held, MultiIndex):
            target = held.index_of(d.path).file.partition(":")[2]
    if target is not None:
        one = next((i for i in index.indexes if i.file.partition(":")[2] == target), None)
        if one is None:
            return Loc(target, 1, 1)
        loc = one.loc(d.path, key)
    else:
        loc = index.loc(d.path, key)
    file = loc.file.removeprefix(prefix) if loc.file.startswith(prefix) else loc.file
    return Loc(file, loc.line, loc.col)


@git_app.command("codeowners")
def codeowners(
    ctx: typer.Context,
    gitlab: Annotated[
        bool, typer.Option("--gitlab", help="GitLab's form: a [台账] section.")
    ] = False,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Default: CODEOWNERS at the repository root (.github/ or .gitlab/ if there); "
            "- for stdout.",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Write a CODEOWNERS file from the ledger: each ledger file of a workspace owned by its
    lead unit's members and the office's; the shared file, reformctl.toml and a single ledger
    by the office's. A unit with no members is named on stderr.

    Example: reformctl git codeowners --gitlab --out -
    """
    import sys

    from reformctl import codeowners as co
    from reformctl.i18n import tr
    from reformctl.ledger.gitio import relative_to_repo
    from reformctl.ledger.read import display_name

    st = state(ctx)
    path = st.path()
    ledger = st.ledger()
    root, _ = relative_to_repo(path)
    ws = st.load().workspace
    office: tuple[str, ...] = ()

    def rel(p: Path) -> str:
        return p.resolve().relative_to(root.resolve()).as_posix()

    if out is not None and out != "-":
        target = Path(out)
    else:
        folder = root / (".gitlab" if gitlab else ".github")
        target = (folder if folder.is_dir() else root) / "CODEOWNERS"
    if ws is None:
        files = [(rel(path), office)]
    else:
        leads = co.file_leads(ws, ledger)
        files = [(rel(ws.config), office), (rel(ws.shared), office)]
        files += [(rel(p), leads.get(p, ())) for p in ws.ledgers]
    # who owns what is the office's to change: this file and the git attributes too
    for own in (target, root / ".gitattributes"):
        if own.resolve().is_relative_to(root.resolve()):
            files.append((rel(own), office))
    found = co.rules(ledger, files)
    names = {k: u.name for k, u in ledger.units.items()}
    text = co.render(found, names, gitlab, tr("codeowners-section", st.lang))
    for key in co.unstaffed(ledger, found):
        typer.echo(
            tr("codeowners-no-members", st.lang, unit=ledger.unit_name(key), key=key), err=True
        )
    if ledger.settings.office_unit is None:
        typer.echo(tr("codeowners-no-office", st.lang), err=True)
    if out == "-":
        sys.stdout.write(text)
        return
    refuse_overwrite(target, force)
    from reformctl.ledger.write import create_file, replace_file

    (replace_file if force else create_file)(target, text.encode("utf-8"))
    typer.echo(tr("codeowners-written", st.lang, file=display_name(target), n=len(found)))
