"""`remind` end to end: the CLI (in process; the sockets, servers and mail are real) sends to
servers this test starts on 127.0.0.1 — an HTTP server per platform that checks the payload's form and
the signature, one answering 500 twice, one that never answers, one answering DingTalk's
rate-limit code, a proxy — and to an SMTP server (aiosmtpd) whose mail is read back. Timeouts,
backoff and waits are settings, so nothing here waits them out (the servers poll for their
shutdown every 20 ms, not Python's default 0.5 s)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email import policy as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run, write_ledger

LEDGER = """\
schema = 1

[ledger]
title = "2026年改革台账"
year = 2026
office = "省委改革办"
office_unit = "ggb"

[units.ggb]
name = "省委改革办"

[units.ggb.remind]
dingtalk = "env:GGB_DINGTALK_URL"

[units.fgw]
name = "省发改委"
members = ["王磊 <wanglei@fgw.example>"]

[units.fgw.remind]
dingtalk = "env:FGW_DINGTALK_URL"
dingtalk_secret = "env:FGW_DINGTALK_SECRET"
wecom = "env:FGW_WECOM_URL"
feishu = "env:FGW_FEISHU_URL"
feishu_secret = "env:FGW_FEISHU_SECRET"

[units.lyj]
name = "省林业局"
members = ["郑涛 <zhengtao@lyj.example>"]

[units.lyj.remind]
dingtalk = "env:LYJ_DINGTALK_URL"

[units.czt]
name = "省财政厅"

[groups.economy]
name = "经济体制改革专项小组"
lead = "fgw"

[points.R26-01]
title = "深化<b>投资</b>审批*改革*"
group = "economy"
lead = "fgw"
units = ["lyj"]
path = "出台政策文件"
outcome = "政策文件"

[points.R26-01.milestones.plan]
name = "出台实施方案"
due = 2026-10-31

[points.R26-01.milestones.pilot]
name = "开展试点"
due = 2026-12-01

[points.R26-01.milestones.late]
name = "完成评估"
due = 2026-06-30

[points.R26-01.milestones.later]
name = "总结推广"
due = 2026-12-25

[points.R26-02]
title = "深化集体林权制度改革"
group = "economy"
lead = "lyj"
units = []
path = "出台政策文件"
outcome = "政策文件"

[points.R26-02.milestones.plan]
name = "出台实施方案"
due = 2026-11-20

[points.R26-03]
title = "办公室自己的要点"
group = "economy"
lead = "ggb"
units = []
path = ""
outcome = ""

[points.R26-03.milestones.plan]
name = "自查"
due = 2026-11-01
"""
# pinned day 2026-11-28 (conftest): fgw has late (151 days), plan (28 days) overdue and pilot
# (3 days left) due within the ledger's 7 days; later (27 days) is not due soon
DT_SECRET = "SECdingtalk-s3cr3t"
FS_SECRET = "feishu-s3cr3t"
TOKEN = "tok3n-in-the-url"


@dataclass
class Robot:
    """One fake platform: records every request, answers from a script (last answer
    repeats); ``"hang"`` answers nothing until the test ends."""

    answers: list[Any] = field(default_factory=lambda: [{"errcode": 0, "errmsg": "ok"}])
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/robot/send?access_token={TOKEN}"


def start(robot: Robot) -> Robot:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            n = len(robot.requests)
            robot.requests.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": json.loads(body.decode("utf-8")),
                }
            )
            answer = robot.answers[min(n, len(robot.answers) - 1)]
            if answer == "hang":
                robot.release.wait(10)
                return
            status = 200
            if isinstance(answer, int):
                status, answer = answer, {"error": "server"}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

        def do_CONNECT(self) -> None:  # a proxy asked for a tunnel: recorded, refused
            robot.requests.append({"path": self.path, "headers": dict(self.headers), "body": None})
            self.send_response(502)
            self.end_headers()

    robot.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    robot.server.daemon_threads = True
    threading.Thread(target=robot.server.serve_forever, args=(0.02,), daemon=True).start()
    return robot


@pytest.fixture
def robots() -> Iterator[dict[str, Robot]]:
    made: dict[str, Robot] = {}

    class Factory(dict[str, Robot]):
        def __missing__(self, key: str) -> Robot:
            made[key] = self[key] = start(Robot())
            return made[key]

    yield Factory()
    for robot in made.values():
        robot.release.set()
        assert robot.server is not None
        robot.server.shutdown()
        robot.server.server_close()


@pytest.fixture(autouse=True)
def no_proxy_nor_waits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.lower().endswith("_proxy") or name.startswith(("FGW_", "LYJ_", "GGB_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("REFORMCTL_REMIND_BACKOFF", "0")
    monkeypatch.setenv("REFORMCTL_REMIND_RATE_WAIT", "0")
    monkeypatch.setenv("REFORMCTL_REMIND_TIMEOUT", "5")


def remind(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    if not (tmp_path / "ledger.toml").exists():
        write_ledger(tmp_path, LEDGER)
    return run("remind", *args, cwd=tmp_path, env=env)


def dingtalk_sign_ok(path: str, secret: str) -> bool:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    stamp, sign = query["timestamp"][0], query["sign"][0]
    assert abs(int(stamp) - time.time() * 1000) < 3600_000
    mac = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    return hmac.compare_digest(sign, base64.b64encode(mac).decode())


def feishu_sign_ok(body: dict[str, Any], secret: str) -> bool:
    stamp = body["timestamp"]
    assert abs(int(stamp) - time.time()) < 3600
    mac = hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return hmac.compare_digest(body["sign"], base64.b64encode(mac).decode())


def fgw_env(robots: dict[str, Robot]) -> dict[str, str]:
    return {
        "FGW_DINGTALK_URL": robots["dingtalk"].url,
        "FGW_DINGTALK_SECRET": DT_SECRET,
        "FGW_WECOM_URL": robots["wecom"].url,
        "FGW_FEISHU_URL": robots["feishu"].url,
        "FGW_FEISHU_SECRET": FS_SECRET,
    }


def test_each_platform_gets_its_own_form_signed(tmp_path: Path, robots: dict[str, Robot]) -> None:
    result = remind(tmp_path, "--unit", "省发改委", env=fgw_env(robots))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        f"已发送 fgw（省发改委）{ch} → env:{var}：逾期 2 项，即将到期 1 项"
        for ch, var in (
            ("钉钉", "FGW_DINGTALK_URL"),
            ("企业微信", "FGW_WECOM_URL"),
            ("飞书", "FGW_FEISHU_URL"),
        )
    ]
    # DingTalk: markdown with title and text; 加签 in the URL
    (ding,) = robots["dingtalk"].requests
    assert ding["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert ding["path"].startswith(f"/robot/send?access_token={TOKEN}&timestamp=")
    assert dingtalk_sign_ok(ding["path"], DT_SECRET)
    assert set(ding["body"]) == {"msgtype", "markdown"}
    assert ding["body"]["msgtype"] == "markdown"
    assert set(ding["body"]["markdown"]) == {"title", "text"}
    text = ding["body"]["markdown"]["text"]
    assert ding["body"]["markdown"]["title"] == "【改革任务提醒】省发改委：逾期 2 项，即将到期 1 项"
    # most overdue first, 逾期N天; then due soon; not the one due in 27 days; the point's
    # title escaped for Markdown; the office named, how to report said
    late, plan, pilot = (text.index(f"R26-01/{ms} ") for ms in ("late", "plan", "pilot"))
    assert late < plan < pilot
    assert "完成评估：完成时限 2026-06-30，**逾期151天**" in text
    assert "出台实施方案：完成时限 2026-10-31，**逾期28天**" in text
    assert "开展试点：完成时限 2026-12-01，**还有3天**" in text
    assert "R26-01/later" not in text
    assert "深化\\<b\\>投资\\</b\\>审批\\*改革\\*" in text
    assert "报送省委改革办" in text
    # WeCom: markdown content
    (wecom,) = robots["wecom"].requests
    assert wecom["path"] == f"/robot/send?access_token={TOKEN}"
    assert wecom["body"] == {"msgtype": "markdown", "markdown": {"content": text}}
    # Feishu: post with title and lines; timestamp and sign in the body
    (feishu,) = robots["feishu"].requests
    body = feishu["body"]
    assert feishu_sign_ok(body, FS_SECRET)
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == "【改革任务提醒】省发改委：逾期 2 项，即将到期 1 项"
    paragraphs = [p[0]["text"] for p in post["content"]]
    assert all(p[0]["tag"] == "text" for p in post["content"])
    assert (
        "1. R26-01/late 深化<b>投资</b>审批*改革* / 完成评估：完成时限 2026-06-30，逾期151天"
        in paragraphs
    )
    # nothing secret in what was printed
    for secret in (DT_SECRET, FS_SECRET, TOKEN):
        assert secret not in result.stdout + result.stderr


def test_a_wrong_signature_is_told_apart(tmp_path: Path, robots: dict[str, Robot]) -> None:
    # the checks above can fail: a signature made with another secret does not verify
    env = {**fgw_env(robots), "FGW_DINGTALK_SECRET": "other", "FGW_FEISHU_SECRET": "other"}
    assert remind(tmp_path, "--unit", "fgw", env=env).code == 0
    assert not dingtalk_sign_ok(robots["dingtalk"].requests[0]["path"], DT_SECRET)
    assert not feishu_sign_ok(robots["feishu"].requests[0]["body"], FS_SECRET)


def test_the_office_gets_none_of_its_own_and_the_whole_picture_on_request(
    tmp_path: Path, robots: dict[str, Robot]
) -> None:
    env = {
        **fgw_env(robots),
        "LYJ_DINGTALK_URL": robots["lyj"].url,
        "GGB_DINGTALK_URL": robots["office"].url,
    }
    result = remind(tmp_path, "--via", "dingtalk", env=env)
    assert result.code == 0, result.stderr
    assert [line.split(" → ")[0] for line in result.stdout.splitlines()] == [
        "已发送 fgw（省发改委）钉钉",
        "已发送 lyj（省林业局）钉钉",
    ]
    assert robots["office"].requests == []
    (lyj,) = robots["lyj"].requests
    assert (
        "R26-02/plan 深化集体林权制度改革 / 出台实施方案：完成时限 2026-11-20，**逾期8天**"
        in (lyj["body"]["markdown"]["text"])
    )
    assert "ggb" not in lyj["body"]["markdown"]["text"]
    result = remind(tmp_path, "--via", "dingtalk", "--office-digest", env=env)
    assert result.code == 0, result.stderr
    assert "已跳过 fgw（省发改委）钉钉：2026-11-28 已发送" in result.stdout
    (office,) = robots["office"].requests
    text = office["body"]["markdown"]["text"]
    assert (
        office["body"]["markdown"]["title"] == "【改革任务提醒·全省汇总】逾期 4 项，即将到期 1 项"
    )
    assert "（牵头：省林业局）" in text and "（牵头：省委改革办）" in text


def test_500_twice_then_success(tmp_path: Path, robots: dict[str, Robot]) -> None:
    robot = robots["lyj"]
    robot.answers = [500, 502, {"errcode": 0, "errmsg": "ok"}]
    result = remind(tmp_path, "--unit", "lyj", env={"LYJ_DINGTALK_URL": robot.url})
    assert result.code == 0, result.stderr
    assert len(robot.requests) == 3
    assert result.stdout.startswith("已发送 lyj（省林业局）钉钉")


def test_a_server_that_never_answers_fails_that_unit_alone(
    tmp_path: Path, robots: dict[str, Robot]
) -> None:
    robots["fgw"].answers = ["hang"]
    env = {
        "FGW_WECOM_URL": robots["fgw"].url,
        "LYJ_DINGTALK_URL": robots["lyj"].url,
        "REFORMCTL_REMIND_TIMEOUT": "0.2",
        "REFORMCTL_REMIND_RETRIES": "1",
    }
    # fgw's other channels are unset here: their lines say so and fail too
    result = remind(tmp_path, "--via", "wecom", "--via", "dingtalk", env=env)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert "未发送 fgw（省发改委）企业微信 → env:FGW_WECOM_URL：timeout（共尝试 2 次）" in lines
    assert (
        "未发送 fgw（省发改委）钉钉 → env:FGW_DINGTALK_URL：环境变量 FGW_DINGTALK_URL 未设置"
        in lines
    )
    assert any(line.startswith("已发送 lyj（省林业局）钉钉") for line in lines)
    assert len(robots["fgw"].requests) == 2
    assert result.stderr.strip() == "发送失败 2 条：fgw/dingtalk、fgw/wecom"


def test_dingtalk_rate_limit_is_waited_out(tmp_path: Path, robots: dict[str, Robot]) -> None:
    robot = robots["lyj"]
    robot.answers = [
        {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
        {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
        {"errcode": 0, "errmsg": "ok"},
    ]
    env = {"LYJ_DINGTALK_URL": robot.url, "REFORMCTL_REMIND_RETRIES": "0"}
    result = remind(tmp_path, "--unit", "lyj", env=env)
    assert result.code == 0, result.stderr + result.stdout
    assert len(robot.requests) == 3


def test_another_platform_error_is_a_failure_named(
    tmp_path: Path, robots: dict[str, Robot]
) -> None:
    robot = robots["lyj"]
    robot.answers = [{"errcode": 310000, "errmsg": "sign not match"}]
    result = remind(tmp_path, "--unit", "lyj", env={"LYJ_DINGTALK_URL": robot.url})
    assert result.code == 1
    assert (
        "未发送 lyj（省林业局）钉钉 → env:LYJ_DINGTALK_URL：310000 sign not match" in result.stdout
    )
    assert len(robot.requests) == 1  # not tried again: it would fail the same way


def test_once_a_day_then_again(tmp_path: Path, robots: dict[str, Robot]) -> None:
    robot = robots["lyj"]
    env = {"LYJ_DINGTALK_URL": robot.url}
    log = tmp_path / "sent.jsonl"
    assert remind(tmp_path, "--unit", "lyj", "--log", str(log), env=env).code == 0
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(e["day"], e["unit"], e["channel"]) for e in entries] == [
        ("2026-11-28", "lyj", "dingtalk")
    ]
    second = remind(tmp_path, "--unit", "lyj", "--log", str(log), env=env)
    assert second.code == 0
    assert second.stdout.strip() == (
        "已跳过 lyj（省林业局）钉钉：2026-11-28 已发送（重发请加 --again）"
    )
    assert len(robot.requests) == 1
    # the next day is another day
    nextday = remind(
        tmp_path, "--unit", "lyj", "--log", str(log), env={**env, "REFORMCTL_TODAY": "2026-11-29"}
    )
    assert nextday.code == 0 and len(robot.requests) == 2
    again = remind(tmp_path, "--unit", "lyj", "--log", str(log), "--again", env=env)
    assert again.code == 0 and again.stdout.startswith("已发送")
    assert len(robot.requests) == 3
    # the default log is under $XDG_STATE_HOME, not the cache
    assert remind(tmp_path, "--unit", "lyj", env=env).code == 0
    assert (tmp_path / "state" / "reformctl" / "remind-log.jsonl").is_file()
    assert remind(tmp_path, "--unit", "lyj", env=env).stdout.startswith("已跳过")
    assert len(robot.requests) == 4


def test_dry_run_sends_nothing_and_shows_no_secret(
    tmp_path: Path, robots: dict[str, Robot]
) -> None:
    env = {**fgw_env(robots), "REFORMCTL_SMTP_URL": "smtp://clerk:pa55word@127.0.0.1:1"}
    env["REFORMCTL_MAIL_FROM"] = "省委改革办 <ggb@example.gov.cn>"
    log = tmp_path / "sent.jsonl"
    result = remind(tmp_path, "--unit", "fgw", "--dry-run", "--log", str(log), env=env)
    assert result.code == 0, result.stderr
    assert all(
        robot.requests == [] for robot in (robots["dingtalk"], robots["wecom"], robots["feishu"])
    )
    assert not log.exists()
    out = result.stdout
    for secret in (DT_SECRET, FS_SECRET, TOKEN, "pa55word", "127.0.0.1"):
        assert secret not in out + result.stderr
    assert "—— 将发送 fgw（省发改委）钉钉 → env:FGW_DINGTALK_URL" in out
    assert "POST env:FGW_DINGTALK_URL&timestamp=<发送时刻>&sign=***" in out
    assert "（注意：环境变量" not in out  # every variable is set
    unset = remind(tmp_path, "--unit", "fgw", "--via", "feishu", "--dry-run", env={})
    assert unset.code == 0
    assert unset.stdout.splitlines()[1:3] == [
        "（注意：环境变量 FGW_FEISHU_URL 未设置，实际发送时将失败）",
        "（注意：环境变量 FGW_FEISHU_SECRET 未设置，实际发送时将失败）",
    ]
    assert '"sign": "***"' in out
    assert "—— 将发送 fgw（省发改委）邮件 → 王磊 <wanglei@fgw.example>" in out
    assert "Subject: 【改革任务提醒】省发改委：逾期 2 项，即将到期 1 项" in out
    # exactly the payload that would be sent: the JSON after the DingTalk line
    start = out.index("{", out.index("POST env:FGW_DINGTALK_URL"))
    shown = json.JSONDecoder().raw_decode(out[start:])[0]
    sent = remind(tmp_path, "--unit", "fgw", "--via", "dingtalk", "--log", str(log), env=env)
    assert sent.code == 0, sent.stdout
    assert robots["dingtalk"].requests[0]["body"] == shown


def test_mail_through_smtp_with_utf8_headers(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    received: list[tuple[str, list[str], bytes]] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    logins: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        logins.append((data.login, data.password))
        return AuthResult(success=True)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        env = {
            "REFORMCTL_SMTP_URL": f"smtp://clerk%40ggb:pa55%2Fword@127.0.0.1:{port}",
            "REFORMCTL_MAIL_FROM": "省委改革办 <ggb@example.gov.cn>",
        }
        result = remind(tmp_path, "--via", "email", env=env)
    finally:
        controller.stop()
    assert result.code == 0, result.stdout + result.stderr
    # the units' members, by default (the office's own unit gets nothing of its own)
    assert result.stdout.splitlines() == [
        "已发送 fgw（省发改委）邮件 → 王磊 <wanglei@fgw.example>：逾期 2 项，即将到期 1 项",
        "已发送 lyj（省林业局）邮件 → 郑涛 <zhengtao@lyj.example>：逾期 1 项，即将到期 0 项",
    ]
    assert logins == [(b"clerk@ggb", b"pa55/word")] * 2
    assert "pa55" not in result.stdout + result.stderr
    mail_from, rcpt, raw = received[0]
    assert (mail_from, rcpt) == ("ggb@example.gov.cn", ["wanglei@fgw.example"])
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # headers are ASCII: encoded words
    assert "Subject: =?utf-8?" in head
    mail = message_from_bytes(raw, policy=email_policy.default)
    assert mail["Subject"] == "【改革任务提醒】省发改委：逾期 2 项，即将到期 1 项"
    assert mail["To"] == "王磊 <wanglei@fgw.example>"
    assert mail["From"] == "省委改革办 <ggb@example.gov.cn>"
    assert mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert (
        "1. R26-01/late 深化<b>投资</b>审批*改革* / 完成评估：完成时限 2026-06-30，逾期151天"
        in plain
    )
    assert "深化&lt;b&gt;投资&lt;/b&gt;审批*改革*" in html and "<b>投资" not in html
    assert mail.get_body(("plain",)).get_content_charset() == "utf-8"


def test_https_proxy_and_no_proxy_are_honoured(tmp_path: Path, robots: dict[str, Robot]) -> None:
    robot, proxy = robots["lyj"], robots["proxy"]
    env = {"LYJ_DINGTALK_URL": robot.url, "HTTP_PROXY": proxy.url.split("/robot")[0]}
    assert remind(tmp_path, "--unit", "lyj", env=env).code == 0
    # through the proxy: the request line carries the whole URL
    assert [r["path"] for r in proxy.requests] == [robot.url]
    assert robot.requests == []
    env["NO_PROXY"] = "127.0.0.1"
    assert remind(tmp_path, "--unit", "lyj", "--again", env=env).code == 0
    assert len(robot.requests) == 1 and len(proxy.requests) == 1


def test_a_token_alone_goes_to_the_platforms_webhook_through_https_proxy(
    tmp_path: Path, robots: dict[str, Robot]
) -> None:
    proxy = robots["proxy"]
    env = {
        "FGW_DINGTALK_URL": "tok3n",
        "FGW_WECOM_URL": "k3y",
        "FGW_FEISHU_URL": "h00k-id",
        "FGW_DINGTALK_SECRET": DT_SECRET,
        "FGW_FEISHU_SECRET": FS_SECRET,
        "HTTPS_PROXY": proxy.url.split("/robot")[0],
        "REFORMCTL_REMIND_RETRIES": "0",
    }
    result = remind(tmp_path, "--unit", "fgw", env=env)
    assert result.code == 1  # the proxy refuses the tunnel
    assert [r["path"] for r in proxy.requests] == [
        "oapi.dingtalk.com:443",
        "qyapi.weixin.qq.com:443",
        "open.feishu.cn:443",
    ]
    assert "未发送 fgw（省发改委）钉钉 → env:FGW_DINGTALK_URL：network error" in result.stdout
    for secret in ("tok3n", "k3y", "h00k-id", DT_SECRET, FS_SECRET):
        assert secret not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "env", "word"),
    [
        (("--office-digest",), {}, "office_unit"),
        ((), {"REFORMCTL_SMTP_URL": "http://mail.example"}, "REFORMCTL_SMTP_URL"),
        ((), {"REFORMCTL_REMIND_TIMEOUT": "soon"}, "REFORMCTL_REMIND_TIMEOUT"),
        (("--via", "sms"), {}, "sms"),
        (("--unit", "nosuch"), {}, "nosuch"),
    ],
)
def test_bad_input_exits_2_sending_nothing(
    tmp_path: Path, robots: dict[str, Robot], args: tuple[str, ...], env: dict[str, str], word: str
) -> None:
    text = LEDGER if args != ("--office-digest",) else LEDGER.replace('office_unit = "ggb"\n', "")
    write_ledger(tmp_path, text)
    result = remind(tmp_path, *args, env={"LYJ_DINGTALK_URL": robots["lyj"].url, **env})
    assert result.code == 2, result.stdout + result.stderr
    assert word in result.stderr
    assert robots["lyj"].requests == []


def test_a_bad_log_line_is_named(tmp_path: Path) -> None:
    log = tmp_path / "sent.jsonl"
    log.write_text(
        '{"ledger": "x", "day": "2026-11-28", "unit": "lyj", "channel": "dingtalk"}\nnot json\n'
    )
    result = remind(tmp_path, "--log", str(log))
    assert result.code == 2
    assert f"{log}:2:1:" in result.stderr


def test_a_log_that_cannot_be_written_stops_before_sending(
    tmp_path: Path, robots: dict[str, Robot]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    env = {"LYJ_DINGTALK_URL": robots["lyj"].url}
    result = remind(tmp_path, "--log", str(blocker / "log.jsonl"), env=env)
    assert result.code == 2
    assert "log.jsonl" in result.stderr
    assert robots["lyj"].requests == []
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = remind(tmp_path, "--log", str(fifo), env=env)  # refused, not read (and hung)
    assert result.code == 2
    assert robots["lyj"].requests == []


def test_soon_widens_the_window_and_english_reads_as_english(tmp_path: Path) -> None:
    # in-process (CliRunner): a dry run needs no server
    from tests.conftest import run

    write_ledger(tmp_path, LEDGER)
    log = str(tmp_path / "sent.jsonl")
    wide = run("--lang", "en", "remind", "--unit", "fgw", "--via", "wecom", "--soon", "30",
               "--dry-run", "--log", log)  # fmt: skip
    assert wide.code == 0, wide.stderr
    assert "—— would send fgw (省发改委) WeCom → env:FGW_WECOM_URL" in wide.stdout
    assert "Reform reminder for 省发改委: 2 overdue, 2 due soon" in wide.stdout
    assert "R26-01/later" in wide.stdout and "27 days left" in wide.stdout
    assert "(note: FGW_WECOM_URL is not set; sending would fail)" in wide.stdout
    narrow = run("remind", "--unit", "fgw", "--via", "wecom", "--soon", "0", "--dry-run",
                 "--log", log)  # fmt: skip
    assert "逾期 2 项，即将到期 0 项" in narrow.stdout and "R26-01/pilot" not in narrow.stdout
    nothing = run("--today", "2026-01-05", "remind", "--dry-run", "--log", log)
    assert nothing.code == 0
    assert nothing.stdout == "2026-01-05：没有逾期或 7 天内到期的节点，无需提醒\n"
