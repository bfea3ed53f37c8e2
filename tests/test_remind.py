"""remind's parts on their own: the digests (Hypothesis over random ledgers), the forms (a
name cannot break a message's lines), masking, the 20-a-minute limit (a fake clock against a
robot on 127.0.0.1), the SMTP URL, and mail over STARTTLS and smtps with a certificate the
test makes (verified, not trusted blindly)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reformctl.errors import ReformctlError
from reformctl.model import Ledger, Settings
from reformctl.remind import forms
from reformctl.remind.deliver import Masker
from reformctl.remind.digest import digests, office_digest
from reformctl.remind.transport import Policy, Transport, smtp_target, webhook
from reformctl.schedule import due_items
from tests.conftest import run_process, write_ledger
from tests.strategies import ledgers

TODAY = dt.date(2026, 11, 28)


def with_office(ledger: Ledger, office: str | None) -> Ledger:
    from reformctl import records

    settings = Settings("台账", 2026, office_unit=office)
    return records.replace(ledger, settings=settings)


@given(ledgers(TODAY), st.integers(0, 30), st.sampled_from([None, "fgw", "lyj"]))
def test_digests_split_the_due_items_among_their_lead_units(
    ledger: Ledger, soon: int, office: str | None
) -> None:
    ledger = with_office(ledger, office)
    found = digests(ledger, TODAY, soon)
    items = [(d.unit, i.ref) for d in found for i in d.items]
    expected = [
        (i.point.lead, i.milestone.ref)
        for i in due_items(ledger, TODAY, soon)
        if i.point.lead != office
    ]
    assert sorted(items) == sorted(expected)  # every item once, to its lead, none to the office
    assert len({d.unit for d in found}) == len(found)  # one digest a unit
    for d in found:
        assert d.items  # nobody is sent an empty digest
        assert all(i.unit == d.unit for i in d.items)
        assert all(i.days > 0 for i in d.overdue) and all(i.days <= 0 for i in d.soon)
        days = [i.days for i in d.items]
        assert days == sorted(days, reverse=True)  # most overdue first, then the nearest
    whole = office_digest(ledger, TODAY, soon)
    if office is None or not due_items(ledger, TODAY, soon):
        assert whole is None
    else:
        assert whole is not None and whole.whole
        assert len(whole.items) == len(due_items(ledger, TODAY, soon))


@given(st.text(max_size=40), st.text(max_size=20))
def test_a_name_cannot_break_a_message(title: str, name: str) -> None:

    from reformctl.model import Milestone, Point, Unit
    from tests.strategies import LOC

    def ledger(title: str, name: str) -> Ledger:
        ms = (Milestone("R1", "m", name, dt.date(2026, 11, 1), LOC),)
        point = Point("R1", title, "g", "u", LOC, milestones=ms)
        return Ledger(
            "ledger.toml",
            Settings("台账", 2026),
            {"u": Unit("u", "单位", LOC)},
            points={"R1": point},
        )

    plain = digests(ledger("标题", "节点"), TODAY, 7)[0]
    typed = digests(ledger(title, name), TODAY, 7)[0]
    md = forms.markdown(typed, "zh")
    assert len(md.splitlines()) == len(forms.markdown(plain, "zh").splitlines())
    item = next(line for line in md.splitlines() if line.startswith("1. "))
    assert item.endswith("**逾期27天**")
    post = forms.feishu(typed, "zh")["content"]["post"]["zh_cn"]["content"]
    assert len(post) == len(forms.feishu(plain, "zh")["content"]["post"]["zh_cn"]["content"])
    mail = forms.mail(typed, "zh")
    assert mail.html.count("<tr>") == forms.mail(plain, "zh").html.count("<tr>")
    assert mail.html.count("<") == forms.mail(plain, "zh").html.count("<")  # no tag of theirs


def test_a_long_digest_fits_each_platforms_limit() -> None:
    from reformctl.model import Milestone, Point, Unit
    from tests.strategies import LOC

    ms = tuple(
        Milestone("R1", f"m{i}", "一个相当长的节点名称" * 3, dt.date(2026, 6, 1), LOC)
        for i in range(300)
    )
    point = Point("R1", "深化改革" * 10, "g", "u", LOC, milestones=ms)
    ledger = Ledger(
        "ledger.toml", Settings("台账", 2026), {"u": Unit("u", "单位", LOC)}, points={"R1": point}
    )
    (digest,) = digests(ledger, TODAY, 7)
    wecom = forms.wecom(digest, "zh")["markdown"]["content"]
    assert 3000 < len(wecom.encode()) <= 4096
    dingtalk = forms.dingtalk(digest, "zh")["markdown"]["text"]
    feishu = json.dumps(forms.feishu(digest, "zh"), ensure_ascii=False)
    assert 15000 < len(dingtalk.encode()) <= 20000 and 15000 < len(feishu.encode()) <= 20000
    for text in (wecom, dingtalk, feishu):
        listed = text.count("逾期180天")
        assert f"另有 {300 - listed} 项未列出" in text
    assert forms.mail(digest, "zh").text.count("逾期180天") == 300  # mail: all of them


SECRET_CHARS = st.characters(codec="utf-8", exclude_characters="*")


@given(st.text(SECRET_CHARS, min_size=3, max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_a_secret_never_survives_masking(secret: str, before: str, after: str) -> None:
    import urllib.parse

    mask = Masker([secret])
    for shown in (secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)):
        text = mask(before + shown + after)
        assert shown not in text or shown in mask(before) + mask(after)


def test_webhooks_from_a_token() -> None:
    assert webhook("dingtalk", "abc") == "https://oapi.dingtalk.com/robot/send?access_token=abc"
    assert webhook("wecom", "k") == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    assert webhook("feishu", "h-1") == "https://open.feishu.cn/open-apis/bot/v2/hook/h-1"
    assert webhook("feishu", "http://127.0.0.1:1/x") == "http://127.0.0.1:1/x"


def test_the_smtp_url() -> None:
    t = smtp_target("smtp://mail.example")
    assert (t.host, t.port, t.tls, t.user, t.password) == ("mail.example", 25, False, "", "")
    t = smtp_target("smtps://a%40b:p%2Fw%3Ad@mail.example")
    assert (t.port, t.tls, t.user, t.password) == (465, True, "a@b", "p/w:d")
    assert smtp_target("smtp://mail.example:587").port == 587
    for bad in ("http://mail.example", "smtp://", "smtp://h:port", "mail.example"):
        with pytest.raises(ReformctlError):
            smtp_target(bad)


# -- the 20-a-minute limit ----------------------------------------------------------------------
@pytest.fixture
def robot() -> Iterator[tuple[str, list[str]]]:
    got: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            got.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/send", got
    server.shutdown()
    server.server_close()


def test_twenty_messages_a_minute_to_one_robot(
    robot: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    url, got = robot
    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    transport = Transport(Policy(window=60), sleep=sleep, clock=lambda: now[0])
    for _ in range(20):
        transport.post_json("dingtalk", url, lambda: (url, {"n": 0}))
        now[0] += 1
    assert slept == []
    transport.post_json("feishu", url, lambda: (url, {}))  # Feishu: not this limit
    transport.post_json("dingtalk", url + "?other", lambda: (url, {}))  # another robot
    assert slept == []
    transport.post_json("dingtalk", url, lambda: (url, {}))  # the 21st waits for the first
    assert slept == [40.0]
    assert len(got) == 23


# -- mail over TLS ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs openssl to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


LEDGER = """\
schema = 1

[ledger]
title = "台账"
year = 2026

[units.lyj]
name = "省林业局"

[units.lyj.remind]
email = ["郑涛 <zhengtao@lyj.example>"]

[groups.g]
name = "小组"
lead = "lyj"

[points.R1]
title = "林改"
group = "g"
lead = "lyj"
units = []
path = ""
outcome = ""

[points.R1.milestones.m]
name = "方案"
due = 2026-11-01
"""


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_mail_over_starttls_and_smtps_with_the_certificate_verified(
    tmp_path: Path, certificate: tuple[Path, Path], scheme: str
) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    received: list[bytes] = []
    logins: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope.content)
            return "250 OK"

    def authenticator(*args: Any) -> AuthResult:
        logins.append(args[-1].password)
        return AuthResult(success=True)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kwargs: dict[str, Any] = (
        {"tls_context": server_tls, "require_starttls": True}
        if scheme == "smtp"
        else {"ssl_context": server_tls, "auth_require_tls": False}  # it is TLS from the start
    )
    controller = Controller(
        Handler(), hostname="127.0.0.1", port=port, authenticator=authenticator, **kwargs
    )
    controller.start()
    write_ledger(tmp_path, LEDGER)
    env = {
        "REFORMCTL_SMTP_URL": f"{scheme}://clerk:pw-s3cret@127.0.0.1:{port}",
        "REFORMCTL_MAIL_FROM": "ggb@example.gov.cn",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "REFORMCTL_REMIND_RETRIES": "0",
    }
    try:
        untrusted = run_process("remind", cwd=tmp_path, env=env)
        trusted = run_process("remind", cwd=tmp_path, env={**env, "SSL_CERT_FILE": str(cert)})
    finally:
        controller.stop()
    # a certificate nobody vouched for is refused; the one the system trusts is taken
    assert untrusted.code == 1, untrusted.stdout + untrusted.stderr
    assert (
        "未发送 lyj（省林业局）邮件 → 郑涛 <zhengtao@lyj.example>：TLS certificate not verified"
        in (untrusted.stdout)
    )
    assert trusted.code == 0, trusted.stdout + trusted.stderr
    assert logins == [b"pw-s3cret"]
    assert len(received) == 1 and b"zhengtao@lyj.example" in received[0]
    assert "s3cret" not in untrusted.stdout + untrusted.stderr + trusted.stdout + trusted.stderr
    assert json.loads((tmp_path / "state/reformctl/remind-log.jsonl").read_text())["unit"] == "lyj"
