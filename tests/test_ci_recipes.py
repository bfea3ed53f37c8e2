"""docs/ci.md works as written: its GitHub Actions and GitLab CI jobs, parsed from the page and
run step by step with bash in a real git repository, and the pre-commit hooks, invoked the way
pre-commit does (entry + args + file names) with the ledger in a subfolder."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BASE, DATA, ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)

DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def yaml_blocks() -> list[Any]:
    import yaml

    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", DOC, re.S)]


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def shims(tmp_path: Path) -> dict[str, str]:
    """The environment a CI job sees: `reformctl` is this checkout (as `pip install reformctl`
    would make it), `pip` does nothing (nothing to download)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    import sys

    (bin_dir / "reformctl").write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -m reformctl "$@"\n', encoding="utf-8"
    )
    (bin_dir / "pip").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("CI_")},  # not GitLab's own
        **GIT_ENV,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
    }


def make_repo(repo: Path, text: str, ledger: str = "ledger.toml") -> Path:
    repo.mkdir(exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    path = repo / ledger
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "ledger")
    return path


# -- GitHub Actions ---------------------------------------------------------------------------


def github_workflow() -> dict[str, Any]:
    (workflow,) = [b for b in yaml_blocks() if isinstance(b, dict) and b.get("name") == "ledger"]
    return workflow


def _expression(expr: str, ctx: dict[str, Any]) -> Any:
    """Enough of GitHub's expression language for the documented workflow."""
    if not re.search(r"\b(always|success|failure|cancelled)\(\)", expr):
        expr = f"success() && ({expr})"

    def value(m: re.Match[str]) -> str:
        parts = m.group().split(".")
        if parts[0] == "github":
            return repr(ctx["github"][parts[1]])
        assert parts[0] == "steps" and parts[2] == "outputs", m.group()
        return repr(ctx["steps"].get(parts[1], {}).get(parts[3], ""))

    py = re.sub(r"\b(github|steps)(\.[A-Za-z_][\w-]*)+", value, expr)
    py = py.replace("&&", " and ").replace("||", " or ")
    py = py.replace("always()", "True").replace("success()", f"{not ctx['failed']}")
    py = py.replace("failure()", f"{ctx['failed']}").replace("cancelled()", "False")
    return eval(py, {"__builtins__": {}}, {})


def run_github_job(repo: Path, env: dict[str, str], event: str) -> tuple[bool, list[Any]]:
    """Run the documented job's `run:` steps as the runner does; (job failed, step results)."""
    (job,) = github_workflow()["jobs"].values()
    ctx: dict[str, Any] = {
        "github": {"event_name": event, "base_ref": "main" if event == "pull_request" else ""},
        "steps": {},
        "failed": False,
    }
    results: list[Any] = []
    for i, step in enumerate(job["steps"]):
        if "run" not in step:
            continue  # actions/checkout, actions/setup-python: the repository is there
        name = step.get("name", step["run"])
        if not _expression(step.get("if", "success()"), ctx):
            results.append((name, "skipped"))
            continue
        script = re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: _value(m[1], ctx), step["run"])
        out = repo.parent / f"github-output-{i}"
        out.write_text("", encoding="utf-8")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=repo,
            env={**env, "GITHUB_OUTPUT": str(out)},
            capture_output=True,
            text=True,
            check=False,
        )
        if "id" in step:
            lines = out.read_text(encoding="utf-8").splitlines()
            ctx["steps"][step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
        if proc.returncode:
            ctx["failed"] = True
        results.append((name, proc.returncode, proc.stdout, proc.stderr))
    return ctx["failed"], results


def _value(expr: str, ctx: dict[str, Any]) -> str:
    parts = expr.split(".")
    if parts[0] == "github":
        return str(ctx["github"][parts[1]])
    return str(ctx["steps"].get(parts[1], {}).get(parts[3], ""))


def github_repo(tmp_path: Path, env: dict[str, str]) -> Path:
    """A clone as actions/checkout leaves it for a pull request: origin/main, a branch."""
    repo = tmp_path / "repo"
    make_repo(repo, BASE)
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    subprocess.run(
        ["reformctl", "log", "R26-01", "试点县名单确定", "--month", "2026-04"],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )
    git(repo, "commit", "-qam", "april")
    return repo


def test_github_job_runs_every_step_and_fails_at_the_end(
    tmp_path: Path, shims: dict[str, str]
) -> None:
    repo = github_repo(tmp_path, shims)
    summary = tmp_path / "summary.md"
    env = {**shims, "GITHUB_STEP_SUMMARY": str(summary), "REFORMCTL_TODAY": "2026-11-28"}
    failed, results = run_github_job(repo, env, "pull_request")
    codes = [r[1] for r in results]
    assert failed
    assert "skipped" not in codes, results
    assert codes[:-1] == [0] * (len(codes) - 1), results  # every step ran and passed ...
    assert codes[-1] == 1, results  # ... and the last one fails the job: R26-01/pilot is overdue
    annotations = "".join(r[2] for r in results)
    assert "::error file=ledger.toml,line=35,col=1," in annotations
    text = summary.read_text(encoding="utf-8")
    assert "| R26-01/pilot | 开展试点 | 省林业局 | 2026-06-30 | 逾期151天 |" in text
    assert "### ledger.toml: origin/main → HEAD，1 处变化" in text  # the diff step ran too


def test_github_job_with_nothing_overdue_passes(tmp_path: Path, shims: dict[str, str]) -> None:
    repo = github_repo(tmp_path, shims)
    summary = tmp_path / "summary.md"
    env = {**shims, "GITHUB_STEP_SUMMARY": str(summary), "REFORMCTL_TODAY": "2026-04-30"}
    failed, results = run_github_job(repo, env, "push")
    assert not failed, results
    assert [r[1] for r in results][-2:] == ["skipped", "skipped"]  # no PR; nothing to fail


def test_github_job_out_of_canonical_form_still_summarises(
    tmp_path: Path, shims: dict[str, str]
) -> None:
    repo = github_repo(tmp_path, shims)
    ledger = repo / "ledger.toml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("year = 2026", "year =  2026"))
    summary = tmp_path / "summary.md"
    env = {**shims, "GITHUB_STEP_SUMMARY": str(summary), "REFORMCTL_TODAY": "2026-11-28"}
    failed, results = run_github_job(repo, env, "pull_request")
    codes = [r[1] for r in results]
    assert failed and "skipped" not in codes
    assert codes[2] == 1 and codes[-1] == 1  # fmt --check failed; the later steps ran


# -- GitLab CI --------------------------------------------------------------------------------


def gitlab_job() -> dict[str, Any]:
    (config,) = [b for b in yaml_blocks() if isinstance(b, dict) and "ledger" in b]
    job: dict[str, Any] = config["ledger"]
    return job


def run_gitlab_job(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The script as GitLab's shell executor runs it: one bash, stopping at the first failure."""
    script = "\n".join(gitlab_job()["script"])
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_gitlab_job_publishes_both_reports_whatever_the_outcome(
    tmp_path: Path, shims: dict[str, str]
) -> None:
    from lxml import etree

    job = gitlab_job()
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    reports = artifacts["reports"]
    repo = tmp_path / "repo"
    make_repo(repo, (DATA / "golden-ledger.toml").read_text(encoding="utf-8"))
    xsd = etree.XMLSchema(etree.parse(str(DATA / "junit-10.xsd")))
    for case, expected in (("overdue", 1), ("missing", 2)):
        if case == "missing":
            (repo / "ledger.toml").unlink()
        for name in reports.values():
            (repo / name).unlink(missing_ok=True)
        proc = run_gitlab_job(repo, {**shims, "REFORMCTL_TODAY": "2026-11-28"})
        assert proc.returncode == expected, (case, proc.stderr)
        issues = json.loads((repo / reports["codequality"]).read_text(encoding="utf-8"))
        assert issues and all(i["location"]["path"] == "ledger.toml" for i in issues)
        junit = etree.parse(str(repo / reports["junit"]))
        xsd.assertValid(junit)
        assert junit.getroot().get("failures") != "0"


def test_gitlab_job_checks_the_merge_result_of_a_merge_request(
    tmp_path: Path, shims: dict[str, str]
) -> None:
    """In a merge request pipeline the job merges the target branch (by key) before it checks:
    a unit removed on the target and led by a new point on the source are each valid alone,
    and the merge breaks a reference across two files of a workspace (issue 22)."""
    env = {**shims, "REFORMCTL_TODAY": "2026-04-30"}

    def sh(folder: Path, *cmd: str) -> None:
        subprocess.run(cmd, cwd=folder, env=env, check=True, capture_output=True)

    seed = tmp_path / "seed"
    make_repo(seed, BASE)
    sh(seed, "reformctl", "workspace", "split", "--by", "group")
    sh(seed, "reformctl", "unit", "add", "zz", "测试单位")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "workspace")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    shared = seed / "shared.toml"
    shared.write_text(
        shared.read_text(encoding="utf-8").replace('[units.zz]\nname = "测试单位"\n', ""),
        encoding="utf-8",
    )
    git(seed, "commit", "-qam", "zz removed")
    git(seed, "push", "-q", str(origin), "main")
    repo = tmp_path / "job"
    git(tmp_path, "clone", "-q", str(origin), "job")
    git(repo, "checkout", "-q", "HEAD~1", "-b", "feature")
    sh(
        repo,
        "reformctl",
        "point",
        "add",
        "R26-02",
        "--title",
        "新要点",
        "--group",
        "economy",
        "--lead",
        "zz",
    )
    git(repo, "commit", "-qam", "point led by zz")
    assert run_gitlab_job(repo, env).returncode == 0  # the source branch alone is valid
    proc = run_gitlab_job(repo, {**env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    reports = gitlab_job()["artifacts"]["reports"]
    issues = json.loads((repo / reports["codequality"]).read_text(encoding="utf-8"))
    assert [i["location"]["path"] for i in issues if "zz" in i["description"]] == [
        "groups/economy.toml"
    ]


def test_gitlab_job_passes_when_nothing_is_overdue(tmp_path: Path, shims: dict[str, str]) -> None:
    repo = tmp_path / "repo"
    make_repo(repo, BASE)
    proc = run_gitlab_job(repo, {**shims, "REFORMCTL_TODAY": "2026-04-30"})
    assert proc.returncode == 0, proc.stderr
    reports = gitlab_job()["artifacts"]["reports"]
    assert json.loads((repo / reports["codequality"]).read_text(encoding="utf-8")) == []


# -- pre-commit -------------------------------------------------------------------------------


def hook_definitions() -> dict[str, dict[str, Any]]:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {h["id"]: h for h in hooks}


def documented_configs() -> list[dict[str, Any]]:
    return [b for b in yaml_blocks() if isinstance(b, dict) and "repos" in b]


def run_hook(repo: Path, env: dict[str, str], hook_id: str, args: list[str]) -> int:
    """As pre-commit runs a hook: at the repository root, entry + args (+ the staged files
    that match `files`, unless pass_filenames is false)."""
    hook = hook_definitions()[hook_id]
    staged = subprocess.run(
        ["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    files = [f for f in staged if re.search(hook["files"], f)]
    assert files, "the hook's `files` pattern must match the ledger"
    cmd = shlex.split(hook["entry"]) + args + (files if hook.get("pass_filenames", True) else [])
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, check=False).returncode


def test_documented_pre_commit_configs_pin_v0_2_0() -> None:
    configs = documented_configs()
    assert len(configs) == 2
    for config in configs:
        (repo,) = config["repos"]
        assert repo["rev"] == "v0.2.0"
        assert {h["id"] for h in repo["hooks"]} <= set(hook_definitions())


@pytest.mark.parametrize("where", ["root", "subfolder"])
def test_pre_commit_hooks_as_documented(tmp_path: Path, shims: dict[str, str], where: str) -> None:
    ledger_name = "ledger.toml" if where == "root" else "office/ledger.toml"
    config = documented_configs()[0 if where == "root" else 1]
    hooks = {h["id"]: h.get("args", []) for h in config["repos"][0]["hooks"]}
    repo = tmp_path / "repo"
    ledger = make_repo(repo, BASE, ledger_name)
    env = {**shims, "REFORMCTL_TODAY": "2026-11-28"}  # R26-01/pilot is overdue: no matter
    assert run_hook(repo, env, "reformctl-check", hooks["reformctl-check"]) == 0
    assert run_hook(repo, env, "reformctl-fmt", hooks["reformctl-fmt"]) == 0
    ledger.write_text(BASE.replace("year = 2026", "year =  2026"), encoding="utf-8")
    assert run_hook(repo, env, "reformctl-fmt", hooks["reformctl-fmt"]) == 1
    ledger.write_text(BASE.replace('lead = "lyj"', 'lead = "xyz"'), encoding="utf-8")
    assert run_hook(repo, env, "reformctl-check", hooks["reformctl-check"]) == 2


def test_pre_commit_hooks_take_a_workspaces_files_and_ignore_other_toml(
    tmp_path: Path, shims: dict[str, str]
) -> None:
    """Every staged .toml file reaches the hooks; reformctl checks the workspace they belong
    to (a typo in a group's file is caught) and ignores pyproject.toml (issue 22)."""
    for hook in hook_definitions().values():
        assert re.search(hook["files"], "groups/economy.toml")
        assert re.search(hook["files"], "pyproject.toml")
    repo = tmp_path / "repo"
    make_repo(repo, BASE)
    env = {**shims, "REFORMCTL_TODAY": "2026-11-28"}
    split = ["reformctl", "workspace", "split", "--by", "group"]
    subprocess.run(split, cwd=repo, env=env, check=True, capture_output=True)
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    git(repo, "add", "-A")
    assert run_hook(repo, env, "reformctl-check", []) == 0
    assert run_hook(repo, env, "reformctl-fmt", []) == 0
    group = repo / "groups" / "economy.toml"
    group.write_text(group.read_text(encoding="utf-8").replace('lead = "lyj"', 'lead = "lyy"'))
    assert run_hook(repo, env, "reformctl-check", []) == 2
    group.write_text(group.read_text(encoding="utf-8").replace('lead = "lyy"', 'lead  = "lyj"'))
    assert run_hook(repo, env, "reformctl-check", []) == 0
    assert run_hook(repo, env, "reformctl-fmt", []) == 1
    # only pyproject.toml staged: nothing of the ledger, nothing checked
    proc = subprocess.run(
        ["reformctl", "check", "--fail-on", "never", "pyproject.toml"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


# -- daily reminders ----------------------------------------------------------------------------

REMIND_LEDGER = BASE.replace(
    "[units.lyj]\n",
    '[units.lyj.remind]\ndingtalk = "env:LYJ_DINGTALK_URL"\n'
    'dingtalk_secret = "env:LYJ_DINGTALK_SECRET"\n\n[units.lyj]\n',
    1,
)


def remind_workflow() -> dict[str, Any]:
    (workflow,) = [
        b for b in yaml_blocks() if isinstance(b, dict) and "remind" in b.get("jobs", {})
    ]
    return workflow


def remind_gitlab_job() -> dict[str, Any]:
    (config,) = [b for b in yaml_blocks() if isinstance(b, dict) and "remind" in b]
    job: dict[str, Any] = config["remind"]
    return job


@pytest.fixture
def robot() -> Any:
    """A DingTalk robot on 127.0.0.1 that checks each request's 加签."""
    import base64
    import hashlib
    import hmac
    import threading
    import urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    got: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            stamp = query["timestamp"][0]
            mac = hmac.new(b"SECret", f"{stamp}\nSECret".encode(), hashlib.sha256).digest()
            got.append({"body": body, "signed": query["sign"][0] == base64.b64encode(mac).decode()})
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/robot/send?access_token=t0ken", got
    server.shutdown()
    server.server_close()


def test_github_daily_remind_job_sends_once_with_secrets_from_the_platform(
    tmp_path: Path, shims: dict[str, str], robot: Any
) -> None:
    url, got = robot
    workflow = remind_workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"]
    (job,) = workflow["jobs"].values()
    secrets = {"LYJ_DINGTALK_URL": url, "LYJ_DINGTALK_SECRET": "SECret"}
    repo = tmp_path / "repo"
    make_repo(repo, REMIND_LEDGER)
    cache_paths = {s["with"]["path"] for s in job["steps"] if "cache" in s.get("uses", "")}
    outputs = []
    for _ in range(2):  # the same day twice: the cache keeps the log between runs
        for step in job["steps"]:
            if "run" not in step:
                continue
            env = {**shims, "REFORMCTL_TODAY": "2026-11-28"}
            for name, value in (step.get("env") or {}).items():
                m = re.fullmatch(r"\$\{\{\s*(secrets|vars)\.(\w+)\s*\}\}", value)
                assert m, value  # every value comes from the platform's secrets or variables
                env[name] = secrets.get(m[2], "")  # unset secrets are empty, as on GitHub
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=repo,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert proc.returncode == 0, proc.stdout + proc.stderr
            outputs.append(proc.stdout)
    assert [g["signed"] for g in got] == [True]
    assert "逾期151天" in got[0]["body"]["markdown"]["text"]
    assert "已跳过 lyj（省林业局）钉钉" in outputs[-1]
    assert "t0ken" not in "".join(outputs) and "SECret" not in "".join(outputs)
    # the log the job writes is in the folder the cache steps keep
    runs = [shlex.split(s["run"]) for s in job["steps"] if "run" in s]
    log_dirs = {Path(a).parent.as_posix() for args in runs for a in args if a.endswith(".jsonl")}
    assert log_dirs == cache_paths == {".remind"}
    assert (repo / ".remind" / "remind-log.jsonl").is_file()


def test_gitlab_daily_remind_job_sends_once_with_masked_variables(
    tmp_path: Path, shims: dict[str, str], robot: Any
) -> None:
    url, got = robot
    job = remind_gitlab_job()
    assert any("schedule" in rule["if"] for rule in job["rules"])
    assert job["cache"]["when"] == "always"
    repo = tmp_path / "repo"
    make_repo(repo, REMIND_LEDGER)
    script = "\n".join(job["script"])
    env = {**shims, "REFORMCTL_TODAY": "2026-11-28", "LYJ_DINGTALK_URL": url}
    env["LYJ_DINGTALK_SECRET"] = "SECret"
    runs = [
        subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs
    assert [g["signed"] for g in got] == [True]
    assert "已跳过" in runs[1].stdout
    (path,) = job["cache"]["paths"]
    assert (repo / path / "remind-log.jsonl").is_file()
