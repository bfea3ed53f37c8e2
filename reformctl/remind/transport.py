"""Sending: the robots' webhooks over HTTPS and mail over SMTP, politely and reliably; the
robots' signatures; where the secrets come from; the once-a-day log. I/O, like
``ledger/gitio.py``: it knows payloads as data and nothing of digests.

- Every request has a timeout; network errors, timeouts and 5xx answers are tried again after
  a backoff that doubles; a platform's rate-limit answer (DingTalk's errcode 130101 or
  410100, WeCom's 45009, Feishu's 11232, HTTP 429) is waited out, not failed; at most 20
  messages a minute go to one DingTalk or WeCom robot (their limit), the 21st waits. The
  timeout, the retries, the backoff and the waits are settings (``REFORMCTL_REMIND_*``), so
  tests need not wait.
- HTTP goes through urllib's ``ProxyHandler``, which reads ``HTTPS_PROXY``/``HTTP_PROXY`` and
  honours ``NO_PROXY`` (offices behind the government network's proxy).
- Mail goes through ``REFORMCTL_SMTP_URL``: ``smtp://[user:password@]host[:port]`` (STARTTLS
  when the server offers it) or ``smtps://`` (TLS from the start), from
  ``REFORMCTL_MAIL_FROM``, with UTF-8 headers (RFC 2047) and a text and an HTML part.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reformctl.errors import ReformctlError
from reformctl.model import ENV_REF_RE

if TYPE_CHECKING:
    from email.message import EmailMessage

ENV_TIMEOUT = "REFORMCTL_REMIND_TIMEOUT"  # seconds a request may take (default 10)
ENV_RETRIES = "REFORMCTL_REMIND_RETRIES"  # tries again after a network error or 5xx (3)
ENV_BACKOFF = "REFORMCTL_REMIND_BACKOFF"  # seconds before the first retry, doubled each (2)
ENV_RATE_WAIT = "REFORMCTL_REMIND_RATE_WAIT"  # seconds to wait out a rate-limit answer (60)
ENV_RATE_WINDOW = "REFORMCTL_REMIND_RATE_WINDOW"  # the window of a robot's limit (60 s)
ENV_SMTP_URL = "REFORMCTL_SMTP_URL"
ENV_MAIL_FROM = "REFORMCTL_MAIL_FROM"

# answers that mean "too fast": wait and send again
RATE_LIMIT_CODES = {
    "dingtalk": frozenset({130101, 410100}),
    "wecom": frozenset({45009}),
    "feishu": frozenset({11232}),
}
PER_WINDOW = {"dingtalk": 20, "wecom": 20}  # messages a robot takes a minute
RATE_WAITS = 11  # DingTalk blocks a robot for 10 minutes after its limit: wait that out, then stop
MAX_ANSWER = 1 << 20


@dataclass(frozen=True)
class Policy:
    """How patient sending is; every figure in seconds."""

    timeout: float = 10.0
    retries: int = 3
    backoff: float = 2.0
    rate_wait: float = 60.0
    window: float = 60.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Policy:
        values: dict[str, Any] = {}
        for name, attr, kind in (
            (ENV_TIMEOUT, "timeout", float),
            (ENV_RETRIES, "retries", int),
            (ENV_BACKOFF, "backoff", float),
            (ENV_RATE_WAIT, "rate_wait", float),
            (ENV_RATE_WINDOW, "window", float),
        ):
            text = environ.get(name, "").strip()
            if not text:
                continue
            try:
                value = kind(text)
            except ValueError:
                value = -1
            if not 0 <= value < float("inf") or (attr == "timeout" and value == 0):
                raise ReformctlError("remind-bad-setting", name=name, value=text)
            values[attr] = value
        return cls(**values)


class SendError(Exception):
    """A message that could not be sent, and why (never with a secret in it)."""

    def __init__(self, reason: str, tries: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.tries = tries


# -- where the secrets are ----------------------------------------------------------------------
def env_name(ref: str) -> str:
    """NAME of ``env:NAME`` (the rules have checked the form)."""
    found = ENV_REF_RE.fullmatch(ref)
    return found.group(1) if found else ref


def from_env(ref: str, environ: Mapping[str, str]) -> str | None:
    """The value ``env:NAME`` stands for; None when unset or empty."""
    value = environ.get(env_name(ref), "")
    return value or None


# a robot's webhook may be given whole or as its token alone (which GitLab can mask: a URL's
# ``?``, ``&`` and ``=`` are characters it will not mask); the token goes after the platform's own
WEBHOOKS = {
    "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=",
    "wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",
    "feishu": "https://open.feishu.cn/open-apis/bot/v2/hook/",
}


def webhook(channel: str, value: str) -> str:
    """The URL to post to: ``value`` when it is one, else the platform's webhook for a token."""
    value = value.strip()
    if "://" in value:
        return value
    return WEBHOOKS[channel] + urllib.parse.quote(value, safe="")


# -- signatures ---------------------------------------------------------------------------------
def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: HMAC-SHA256 of ``timestamp + "\\n" + secret`` keyed with the secret,
    Base64, then URL-encoded."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))


def dingtalk_url(url: str, secret: str | None, timestamp_ms: int) -> str:
    """The webhook with ``&timestamp=…&sign=…`` when the robot has a secret."""
    if not secret:
        return url
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's signature: HMAC-SHA256 keyed with ``timestamp + "\\n" + secret`` over an empty
    message, Base64 (it goes in the body, beside ``timestamp`` in seconds)."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


# -- HTTP ---------------------------------------------------------------------------------------
@dataclass
class Transport:
    """Sends, with the waits of ``policy``; ``sleep`` and ``clock`` stand in for time."""

    policy: Policy = field(default_factory=Policy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _sent: dict[str, deque[float]] = field(default_factory=dict)

    def _throttle(self, channel: str, key: str) -> None:
        """At most PER_WINDOW[channel] messages to one robot in any window: wait for a slot."""
        limit = PER_WINDOW.get(channel)
        if limit is None:
            return
        times = self._sent.setdefault(key, deque())
        while times and self.clock() - times[0] >= self.policy.window:
            times.popleft()
        if len(times) >= limit:
            self.sleep(max(0.0, self.policy.window - (self.clock() - times[0])))
            times.popleft()
        times.append(self.clock())

    def post_json(
        self, channel: str, robot: str, prepare: Callable[[], tuple[str, dict[str, Any]]]
    ) -> int:
        """POST the JSON ``prepare`` gives (the URL and payload, signed afresh each try) until
        the platform says it took it; the number of tries. Raises :class:`SendError`."""
        import ssl
        import urllib.error
        import urllib.request

        opener = urllib.request.build_opener(urllib.request.ProxyHandler())
        tries = rate_waits = 0
        while True:
            tries += 1
            self._throttle(channel, robot)
            url, payload = prepare()
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            request = urllib.request.Request(
                url, data, {"Content-Type": "application/json; charset=utf-8"}, method="POST"
            )
            retry: str | None = None
            try:
                with opener.open(request, timeout=self.policy.timeout) as answer:
                    status, body = answer.status, answer.read(MAX_ANSWER)
            except urllib.error.HTTPError as error:
                status, body = error.code, b""
                error.close()
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                status, body = 0, b""
                reason = getattr(error, "reason", error)
                if isinstance(reason, ssl.SSLCertVerificationError):  # the same next time
                    raise SendError(_network(reason), tries) from None
                retry = _network(reason)
            if retry is None and (status >= 500 or status == 0):
                retry = f"HTTP {status}"
            if retry is None and status == 429:
                code: int | None = 429
            elif retry is None:
                code, message = _platform_code(body)
                if 200 <= status < 300 and code == 0:
                    return tries
                if code not in RATE_LIMIT_CODES.get(channel, ()):
                    if not 200 <= status < 300:
                        raise SendError(f"HTTP {status}", tries)
                    raise SendError(message if code is None else f"{code} {message}", tries)
            if retry is None:  # rate limited: wait it out
                rate_waits += 1
                if rate_waits > RATE_WAITS:
                    raise SendError(f"rate limited ({code})", tries)
                self.sleep(self.policy.rate_wait)
                tries -= 1  # a wait for the platform is not a failed try
                continue
            if tries > self.policy.retries:
                raise SendError(retry, tries)
            self.sleep(self.policy.backoff * 2 ** (tries - 1))

    # -- mail
    def send_mail(self, smtp: SmtpTarget, message: EmailMessage) -> int:
        """Send one mail through ``smtp``, trying again after network errors and 4xx."""
        import smtplib
        import ssl

        tries = 0
        while True:
            tries += 1
            try:
                context = ssl.create_default_context()
                server: smtplib.SMTP
                if smtp.tls:
                    server = smtplib.SMTP_SSL(
                        smtp.host, smtp.port, timeout=self.policy.timeout, context=context
                    )
                else:
                    server = smtplib.SMTP(smtp.host, smtp.port, timeout=self.policy.timeout)
                with server:
                    server.ehlo()
                    if not smtp.tls and server.has_extn("starttls"):
                        server.starttls(context=context)
                        server.ehlo()
                    if smtp.user:
                        server.login(smtp.user, smtp.password)
                    server.send_message(message)
                return tries
            except smtplib.SMTPResponseException as error:
                if not 400 <= error.smtp_code < 500 or tries > self.policy.retries:
                    raise SendError(f"SMTP {error.smtp_code}", tries) from None
                reason = f"SMTP {error.smtp_code}"
            except smtplib.SMTPRecipientsRefused as error:
                raise SendError(f"SMTP refused {len(error.recipients)} recipients", tries) from None
            except ssl.SSLCertVerificationError:
                raise SendError("TLS certificate not verified", tries) from None
            except smtplib.SMTPNotSupportedError:  # the server takes no login: not a network error
                raise SendError("SMTP AUTH not offered", tries) from None
            except (smtplib.SMTPException, OSError) as error:
                reason = _network(error)
                if tries > self.policy.retries:
                    raise SendError(reason, tries) from None
            self.sleep(self.policy.backoff * 2 ** (tries - 1))


def _network(error: object) -> str:
    """A network error in words that carry no address (the host may be a secret's)."""
    import ssl

    if isinstance(error, ssl.SSLCertVerificationError):
        return "TLS certificate not verified"
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    return f"network error ({type(error).__name__})"


def _platform_code(body: bytes) -> tuple[int | None, str]:
    """The platform's own answer: DingTalk's and WeCom's ``errcode``, Feishu's ``code`` (or
    its older ``StatusCode``)."""
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, "unreadable answer"
    if not isinstance(answer, dict):
        return None, "unreadable answer"
    for key, text in (("errcode", "errmsg"), ("code", "msg"), ("StatusCode", "StatusMessage")):
        value = answer.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            message = answer.get(text)
            return value, message if isinstance(message, str) else ""
    return None, "unreadable answer"


# -- SMTP ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    tls: bool  # smtps: TLS from the start
    user: str = ""
    password: str = ""


def smtp_target(text: str) -> SmtpTarget:
    """``REFORMCTL_SMTP_URL`` read: ``smtp://`` (port 25, STARTTLS when offered) or
    ``smtps://`` (port 465), ``user:password@`` percent-encoded where needed."""
    parts = urllib.parse.urlsplit(text.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or port == -1:
        raise ReformctlError("remind-bad-smtp-url", name=ENV_SMTP_URL)
    tls = parts.scheme == "smtps"
    return SmtpTarget(
        parts.hostname,
        port or (465 if tls else 25),
        tls,
        urllib.parse.unquote(parts.username or ""),
        urllib.parse.unquote(parts.password or ""),
    )


def mail_message(
    sender: str, to: tuple[str, ...], subject: str, text: str, html: str
) -> EmailMessage:
    """A mail with UTF-8 headers (encoded words where they are not ASCII) and two parts."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="reformctl.invalid")
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


# -- the once-a-day log ---------------------------------------------------------------------------
LOG_NAME = "remind-log.jsonl"


def default_log(environ: Mapping[str, str]) -> Path:
    """``$XDG_STATE_HOME/reformctl/remind-log.jsonl`` (else ``~/.local/state/…``): state, not
    the cache, which may be emptied."""
    base = environ.get("XDG_STATE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / "reformctl" / LOG_NAME


@dataclass
class SentLog:
    """Which digests went out on which day: one JSON object a line, appended as each is sent."""

    path: Path
    _seen: set[tuple[str, str, str, str]] = field(default_factory=set)

    @classmethod
    def read(cls, path: Path, writing: bool = True) -> SentLog:
        """The log at ``path`` (none yet: empty); ``writing``: refused now, before anything is
        sent, when it could not be written (a digest sent and not recorded goes out twice)."""
        import stat

        log = cls(path)
        try:
            if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or a device would hang or lie
                raise IsADirectoryError(path)
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        except (OSError, UnicodeDecodeError) as error:
            why = type(error).__name__
            raise ReformctlError("remind-log-unreadable", file=str(path), why=why) from None
        if writing:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
            except OSError as error:
                why = type(error).__name__
                raise ReformctlError("remind-log-unwritable", file=str(path), why=why) from None
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                key = (entry["ledger"], entry["day"], entry["unit"], entry["channel"])
                if not all(isinstance(k, str) for k in key):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                raise ReformctlError("remind-log-bad-line", file=f"{path}:{n}:1") from None
            log._seen.add(key)
        return log

    def sent(self, ledger: str, day: str, unit: str, channel: str) -> bool:
        return (ledger, day, unit, channel) in self._seen

    def record(self, ledger: str, day: str, unit: str, channel: str, at: str) -> None:
        """Append one line, written whole and synced before the next message goes."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"ledger": ledger, "day": day, "unit": unit, "channel": channel, "at": at}
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._seen.add((ledger, day, unit, channel))
