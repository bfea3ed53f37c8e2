"""`review`: every change to the ledger in BASE..HEAD with its author and whether it lies in the
author's remit; `git codeowners`: who must approve a change to each file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated

import typer

from reformctl import records
from reformctl.cli import choices
from reformctl.cli.app import ForceOption, app, refuse_overwrite, state
from reformctl.cli.git import git_app
from reformctl.errors import ExitCode, InvalidLedger, ReformctlError
from reformctl.i18n import tr
from reformctl.ledger.combine import MultiIndex
from reformctl.ledger.config import is_config
from reformctl.ledger.parse import display_name
from reformctl.model import Loc

if TYPE_CHECKING:
    from reformctl.facts import Difference
    from reformctl.ledger.gitio import Commit
    from reformctl.ledger.parse import Loaded
    from reformctl.model import Ledger, Loc
    from reformctl.remit import Party


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
    trust: Annotated[
        str,
        typer.Option(
            "--trust",
            show_default=False,
            callback=choices.TRUST.callback,
            autocompletion=choices.TRUST.complete,
            help="Whose remit each change must lie in: the commit's author, its committer, or "
            "both (a committer named in [ledger] platform_committers: the author alone).",
        ),
    ] = "both",
    require_signed: Annotated[
        bool,
        typer.Option(
            "--require-signed",
            help="Every commit that changes the ledger must pass `git verify-commit` against "
            "the allowed signers file [ledger] allowed_signers names (at BASE), and its key "
            "must belong to a member entitled to the change.",
        ),
    ] = False,
) -> None:
    """Every change to the ledger in BASE..HEAD, commit by commit, with its author and
    committer and whether it lies in their remit (a unit's members: done, evidence and
    progress on the points it leads, progress where it co-operates; the office's members:
    everything). Each commit is judged against what it received (a merge three ways against
    every merge base), with the members, and who leads each point, as BASE declares them too;
    every net change from BASE to HEAD must be made by a commit of the range.

    Exit 0: every change in remit. 1: a change outside the remit of its author, committer or
    signer, or by someone who is a member of no unit. 2: an unknown revision, no git
    repository, an invalid ledger, --require-signed without allowed signers.

    Example: reformctl review origin/main HEAD --format github
    """
    import sys
    from collections import Counter

    # start-up: `check` does not load ledger.gitio, ledger.revision, remit, render.review
    from reformctl.ledger.gitio import (
        commits_between,
        merge_base,
        relative_to_repo,
        resolve,
        signatures,
        text_at,
    )
    from reformctl.ledger.revision import revision_at
    from reformctl.remit import Snapshot, parties
    from reformctl.remit import review as judge_commits
    from reformctl.render import review as render

    st = state(ctx)
    path = st.path()
    root, _ = relative_to_repo(path)  # exit 2 outside a repository
    base_sha, head_sha = resolve(root, base), resolve(root, head)
    loaded: dict[str, Loaded | None] = {}
    snapshots: dict[str, Snapshot] = {}

    def at(rev: str) -> Snapshot:
        """The ledger at ``rev``, read from git once however often it is asked for."""
        if rev in snapshots:
            return snapshots[rev]
        try:
            revision = revision_at(path, rev)
            found = revision.load() if revision is not None else None
            if found is not None and (found.problems or found.ledger is None):
                raise InvalidLedger(found.problems)
            data = revision.data(found) if revision is not None else None
        except InvalidLedger as exc:
            named = {base_sha: base, head_sha: head}.get(rev, rev[:8])
            raise _invalid_at(named, exc, st.lang) from None
        # where each change is (its index) is asked of it later, its data never
        loaded[rev] = None if found is None else records.replace(found, data=None)
        files = tuple(sorted(revision.files)) if revision is not None else ()
        snapshots[rev] = Snapshot(data, found.ledger if found else None, files)
        return snapshots[rev]

    commits = commits_between(path.parent, base_sha, head_sha)
    members = at(base_sha).ledger
    allowed = None
    if require_signed:
        signers = members.settings.allowed_signers if members else None
        if signers is None:
            raise ReformctlError("review-no-signers", rev=base)
        inside = (
            not PurePosixPath(signers).is_absolute() and ".." not in PurePosixPath(signers).parts
        )
        allowed = text_at(root / signers, base_sha) if inside else None
        if allowed is None:
            raise ReformctlError("review-signers-missing", file=signers, rev=base)

    def vouch(commit: Commit, members: Ledger | None) -> list[Party]:
        # only a commit that changes the ledger is asked for: its signature checked then
        sig = None if allowed is None else signatures(root, [commit.sha], allowed)[commit.sha]
        return parties(commit, members, trust, sig)

    def common(parents: tuple[str, ...]) -> tuple[str, ...]:
        return merge_base(root, parents)

    # a revision's data (a 10,000-point ledger's is large) is kept until the last commit that
    # reads it, as itself or as a parent, has been judged; BASE's for the whole run
    readers = Counter(rev for c in commits for rev in (c.sha, *c.parents))

    def done(commit: Commit) -> None:
        for rev in (commit.sha, *commit.parents):
            readers[rev] -= 1
            if readers[rev] <= 0 and rev != base_sha:
                snapshots.pop(rev, None)

    reviewed = list(judge_commits(commits, at, base_sha, common, vouch, done, head_sha))
    if head_sha not in loaded:  # an empty range: HEAD was not read
        at(head_sha)
    head_loaded = loaded[head_sha]
    locs: dict[tuple[str, int], Loc] = {}
    for r in reviewed:
        parent = loaded.get(r.commit.parents[0]) if r.commit.parents else None
        for i, verdict in enumerate(r.verdicts):
            loc = _locate(path, head_sha, head_loaded, parent, verdict.change)
            if loc is not None:
                locs[(r.commit.sha, i)] = loc
    names = head_loaded.ledger if head_loaded else None
    root_uri = root.resolve().as_uri().rstrip("/") + "/"
    result = render.ReviewResult(base, head, reviewed, locs, names, root_uri, members)
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
    # start-up: `check` does not load ledger.gitio
    from reformctl.ledger.gitio import relative_to_repo

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

    # start-up: `check` does not load codeowners
    from reformctl import codeowners as co

    # start-up: `check` does not load ledger.gitio
    from reformctl.ledger.gitio import relative_to_repo

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
    # start-up: `check` does not load ledger.write
    from reformctl.ledger.atomic import create_file, replace_file

    (replace_file if force else create_file)(target, text.encode("utf-8"))
    typer.echo(tr("codeowners-written", st.lang, file=display_name(target), n=len(found)))
