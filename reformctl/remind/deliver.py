"""A digest made into each of its unit's messages and sent, one line a message: sent, or why
not. One unit's failure never stops the others; a digest already sent to a unit by a channel
on the ledger's day is not sent again (the log) unless asked; a dry run prints exactly what
would go, with every secret masked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reformctl.clock import epoch_ms, now
from reformctl.errors import ReformctlError
from reformctl.i18n import label, tr
from reformctl.model import REMIND_CHANNELS, Ledger
from reformctl.remind import forms
from reformctl.remind.digest import Digest, digests
from reformctl.remind.digest import office_digest as whole
from reformctl.remind.transport import (
    ENV_MAIL_FROM,
    ENV_SMTP_URL,
    Policy,
    SendError,
    SentLog,
    SmtpTarget,
    Transport,
    default_log,
    dingtalk_url,
    env_name,
    feishu_sign,
    from_env,
    mail_message,
    smtp_target,
    webhook,
)
from reformctl.render.escape import safe_line, visible

if TYPE_CHECKING:
    from email.message import EmailMessage

MASK = "***"


@dataclass(frozen=True)
class Message:
    """One digest to one of its unit's channels: a robot named by ``env:NAME`` (and its
    secret's), or mail to ``to``."""

    digest: Digest
    channel: str
    url: str | None = None
    secret: str | None = None
    to: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        """How it is named in output: the variable, never its value; mail: the addresses."""
        if self.channel == "email":
            return ", ".join(self.to)
        return self.url or ""


@dataclass(frozen=True)
class Outcome:
    message: Message
    status: str  # sent | failed | skipped | dry-run
    reason: str = ""


def messages(
    ledger: Ledger, digests: list[Digest], via: tuple[str, ...], mail_configured: bool
) -> tuple[list[Message], list[Digest]]:
    """Each digest's messages, by the channels its unit's ``remind`` table names (``via``
    narrows them); mail to ``remind.email``, else to the unit's members where mail is set up
    (``REFORMCTL_SMTP_URL``). The digests that have no channel come second."""
    out: list[Message] = []
    unreachable: list[Digest] = []
    for digest in digests:
        unit = ledger.units.get(digest.unit)
        remind = unit.remind if unit is not None else None
        found: list[Message] = []
        for channel in REMIND_CHANNELS:
            if via and channel not in via:
                continue
            if channel == "email":
                explicit = remind is not None and remind.email is not None
                to = remind.email if remind is not None and remind.email is not None else ()
                if not explicit and unit is not None and (mail_configured or "email" in via):
                    to = unit.members
                if to:
                    found.append(Message(digest, channel, to=tuple(to)))
                continue
            url = getattr(remind, channel, None) if remind is not None else None
            if url:
                secret = getattr(remind, f"{channel}_secret", None) if channel != "wecom" else None
                found.append(Message(digest, channel, url, secret))
        out += found
        if not found:
            unreachable.append(digest)
    return out, unreachable


class Masker:
    """Every secret's value (and its URL-encoded form) replaced by ``***`` in a text."""

    def __init__(self, secrets: list[str]) -> None:
        import urllib.parse

        values = {s for s in secrets if s}
        values |= {urllib.parse.quote(s, safe="") for s in values}
        values |= {urllib.parse.quote_plus(s) for s in values}
        self.values = sorted((v for v in values if len(v) >= 3), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, MASK)
        return text


def secrets_of(msgs: list[Message], environ: Mapping[str, str]) -> list[str]:
    """Every value a message would be sent with: the webhooks, their secrets, the SMTP URL
    and its password."""
    out = []
    for m in msgs:
        for ref in (m.url, m.secret):
            if ref:
                out.append(from_env(ref, environ) or "")
    smtp = environ.get(ENV_SMTP_URL, "")
    if smtp:
        import urllib.parse

        out.append(smtp)
        parts = urllib.parse.urlsplit(smtp)
        for piece in (parts.password, parts.username and parts.password and parts.netloc):
            if piece:
                out += [piece, urllib.parse.unquote(piece)]
    return out


@dataclass
class Sender:
    """Sends (or, ``dry_run``, shows) messages and says a line for each through ``echo``."""

    ledger: Ledger
    lang: str
    environ: Mapping[str, str]
    log: SentLog
    transport: Transport
    smtp: SmtpTarget | None
    echo: Callable[[str], None]
    again: bool = False
    dry_run: bool = False

    def __post_init__(self) -> None:
        self.mask = Masker([])

    def run(self, msgs: list[Message]) -> list[Outcome]:
        self.mask = Masker(secrets_of(msgs, self.environ))
        return [self.one(m) for m in msgs]

    def _key(self, m: Message) -> tuple[str, str, str, str]:
        unit = f"{m.digest.unit}:office" if m.digest.whole else m.digest.unit
        return self.ledger.settings.title, m.digest.today.isoformat(), unit, m.channel

    def _say(self, code: str, m: Message, **args: Any) -> None:
        line = tr(
            code,
            self.lang,
            unit=m.digest.unit,
            name=m.digest.unit_name,
            channel=label(f"channel-{m.channel}", self.lang),
            target=m.target,
            **args,
        )
        self.echo(safe_line(self.mask(line)))

    def one(self, m: Message) -> Outcome:
        key = self._key(m)
        if not self.again and self.log.sent(*key):
            self._say("remind-skipped", m, day=key[1])
            return Outcome(m, "skipped")
        if self.dry_run:
            self._say("remind-would-send", m)
            for name in self.unset(m):  # what would make it fail, said before it does
                self.echo(tr("remind-dry-unset", self.lang, name=name))
            for line in self.show(m).splitlines():
                self.echo(self.mask(visible(line)))
            return Outcome(m, "dry-run")
        try:
            self.send(m)
        except SendError as error:
            reason = self.mask(error.reason)
            if error.tries > 1:
                reason = tr("remind-after-tries", self.lang, reason=reason, n=error.tries)
            self._say("remind-failed", m, reason=reason)
            return Outcome(m, "failed", reason)
        self.log.record(*key, now(self.ledger.settings.timezone).isoformat(timespec="seconds"))
        overdue, soon = len(m.digest.overdue), len(m.digest.soon)
        self._say("remind-sent", m, overdue=overdue, soon=soon)
        return Outcome(m, "sent")

    def unset(self, m: Message) -> list[str]:
        """The variables a message needs that are not set."""
        if m.channel == "email":
            names = [ENV_MAIL_FROM] if not self.environ.get(ENV_MAIL_FROM, "").strip() else []
            return ([ENV_SMTP_URL] if self.smtp is None else []) + names
        refs = [r for r in (m.url, m.secret) if r]
        return [env_name(r) for r in refs if from_env(r, self.environ) is None]

    # -- what goes out
    def payload(self, m: Message) -> dict[str, Any]:
        form = {"dingtalk": forms.dingtalk, "wecom": forms.wecom, "feishu": forms.feishu}
        return form[m.channel](m.digest, self.lang)

    def mail(self, m: Message, sender: str) -> EmailMessage:
        body = forms.mail(m.digest, self.lang)
        return mail_message(sender, m.to, body.subject, body.text, body.html)

    def _need(self, ref: str) -> str:
        value = from_env(ref, self.environ)
        if value is None:
            raise SendError(tr("remind-env-unset", self.lang, name=env_name(ref)))
        return value

    def send(self, m: Message) -> None:
        if m.channel == "email":
            if self.smtp is None:
                raise SendError(tr("remind-env-unset", self.lang, name=ENV_SMTP_URL))
            sender = self.environ.get(ENV_MAIL_FROM, "").strip()
            if not sender:
                raise SendError(tr("remind-env-unset", self.lang, name=ENV_MAIL_FROM))
            self.transport.send_mail(self.smtp, self.mail(m, sender))
            return
        assert m.url is not None
        url = webhook(m.channel, self._need(m.url))
        secret = self._need(m.secret) if m.secret else None
        payload = self.payload(m)

        def prepare() -> tuple[str, dict[str, Any]]:
            if m.channel == "dingtalk":
                return dingtalk_url(url, secret, epoch_ms()), payload
            if m.channel == "feishu" and secret:
                seconds = epoch_ms() // 1000
                return url, {"timestamp": str(seconds), "sign": feishu_sign(secret, seconds)} | (
                    payload
                )
            return url, payload

        self.transport.post_json(m.channel, url, prepare)

    def show(self, m: Message) -> str:
        """Exactly what would be sent, secrets masked: the request (the variable named, not
        its value) and its JSON; a mail's headers and both parts."""
        if m.channel == "email":
            sender = self.environ.get(ENV_MAIL_FROM, "").strip() or f"${ENV_MAIL_FROM}"
            mail = self.mail(m, sender)
            text = forms.mail(m.digest, self.lang)
            head = "".join(f"{k}: {mail[k]}\n" for k in ("From", "To", "Subject"))
            return f"{head}\n--- text/plain\n{text.text}--- text/html\n{text.html}"
        payload = self.payload(m)
        target = f"POST {m.url}"
        if m.channel == "dingtalk" and m.secret:
            target += f"&timestamp=<{tr('remind-now', self.lang)}>&sign={MASK}"
        if m.channel == "feishu" and m.secret:
            stamp = f"<{tr('remind-now', self.lang)}>"
            payload = {"timestamp": stamp, "sign": MASK} | payload
        return target + "\n" + json.dumps(payload, ensure_ascii=False, indent=2)


def remind(
    ledger: Ledger,
    today: Any,
    lang: str,
    environ: Mapping[str, str],
    echo: Callable[[str], None],
    *,
    soon: int | None = None,
    units: tuple[str, ...] = (),
    via: tuple[str, ...] = (),
    office_digest: bool = False,
    dry_run: bool = False,
    again: bool = False,
    log_path: Any = None,
    transport: Transport | None = None,
) -> list[Outcome]:
    """``remind`` itself: each unit's digest to each of its channels, a line each; the units
    with something due and no channel are named too. Bad input (an office digest without
    ``office_unit``, a malformed ``REFORMCTL_SMTP_URL`` or setting, an unreadable log) raises
    before anything is sent."""
    days = ledger.settings.soon_days if soon is None else soon
    found = digests(ledger, today, days, units)
    if office_digest:
        if ledger.settings.office_unit is None:
            raise ReformctlError("remind-no-office-unit")
        picture = whole(ledger, today, days)
        if picture is not None:
            found.append(picture)
    smtp_text = environ.get(ENV_SMTP_URL, "").strip()
    smtp = smtp_target(smtp_text) if smtp_text else None
    policy = Policy.from_env(environ)
    log = SentLog.read(Path(log_path) if log_path else default_log(environ), not dry_run)
    msgs, unreachable = messages(ledger, found, via, smtp is not None)
    sender = Sender(
        ledger,
        lang,
        environ,
        log,
        transport or Transport(policy),
        smtp,
        echo,
        again=again,
        dry_run=dry_run,
    )
    for digest in unreachable:
        echo(safe_line(tr("remind-no-channel", lang, unit=digest.unit, name=digest.unit_name)))
    if not found:
        echo(tr("remind-nothing-due", lang, day=today.isoformat(), days=days))
    return sender.run(msgs)
