"""The ledger as plain, frozen data. No I/O and no third-party imports.

Every entity knows where it came from (``Loc``) so that each message can point at
``ledger.toml:LINE:COL``. Only facts live here; status, progress and ranks are derived
by :mod:`reformctl.schedule` and :mod:`reformctl.ranking`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from reformctl.patterns import lazy
from reformctl.records import field, record

SCHEMA_VERSION = 1
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_SOON_DAYS = 7
ID_RE = re.compile(r"[A-Za-z0-9_-]+")
MONTH_RE = lazy(r"(\d{4})-(0[1-9]|1[0-2])")


def is_valid_id(text: str) -> bool:
    return ID_RE.fullmatch(text) is not None


_DIGITS_RE = lazy(r"(\d+)")


def natural_key(text: str) -> tuple[int | str, ...]:
    """R26-2 before R26-10: digits compare as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS_RE.split(text))


@record
class Loc:
    """A place in a file: 1-based line and column."""

    file: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


# the channels a reminder goes by, in the order ``remind`` sends them
REMIND_CHANNELS = ("dingtalk", "wecom", "feishu", "email")
# the keys of a ``remind`` table whose value names an environment variable ("env:NAME")
REMIND_ENV_KEYS = ("dingtalk", "dingtalk_secret", "wecom", "feishu", "feishu_secret")
ENV_REF_RE = lazy(r"env:([A-Za-z_][A-Za-z0-9_]*)")


@record
class Remind:
    """Where a unit's reminders go (``[units.KEY.remind]``): each robot's webhook and secret
    as ``"env:NAME"``, the name of an environment variable (the value itself is never in the
    ledger); ``email`` the addresses ("姓名 <email>"), None for the unit's members."""

    dingtalk: str | None = None
    dingtalk_secret: str | None = None
    wecom: str | None = None
    feishu: str | None = None
    feishu_secret: str | None = None
    email: tuple[str, ...] | None = None


@record
class Unit:
    """A responsible unit (责任单位), declared once and referred to by key."""

    key: str
    name: str
    loc: Loc
    members: tuple[str, ...] = ()  # "姓名 <email>" or a bare email (who may commit for it)
    remind: Remind | None = None  # where its reminders go ([units.KEY.remind])

    @property
    def emails(self) -> tuple[str, ...]:
        """The members' emails, lower-cased (git compares them as given; people do not)."""
        return tuple(member_email(m) for m in self.members)


_EMAIL = r"[^<>\s@]+@[^<>\s@]+"
MEMBER_RE = lazy(rf"(?:(?P<name>[^<>]*[^<>\s])\s+<(?P<email>{_EMAIL})>|(?P<bare>{_EMAIL}))")


def is_valid_member(text: str) -> bool:
    """A member is written "姓名 <email>" or as a bare email."""
    return MEMBER_RE.fullmatch(text.strip()) is not None


def member_email(text: str) -> str:
    m = MEMBER_RE.fullmatch(text.strip())
    if m is None:
        return text.strip().lower()
    return (m.group("email") or m.group("bare")).lower()


@record
class Group:
    """A special working group (专项工作小组) with its lead unit."""

    key: str
    name: str
    lead: str
    loc: Loc


@record
class Extension:
    """An approved extension (延期): the milestone is now due ``to``; the baseline stays."""

    to: dt.date
    reason: str
    approved_by: str | None = None
    granted: dt.date | None = None  # the day it was recorded
    approved_on: dt.date | None = None  # the day it was approved (批准日期), a fact typed

    @property
    def approved(self) -> dt.date | None:
        """The approval day: as recorded with ``--approved-on``, else the day it was recorded."""
        return self.approved_on or self.granted


@record
class Milestone:
    """A dated step (节点) of a work point."""

    point: str
    key: str
    name: str
    due: dt.date  # the baseline due date, as first planned
    loc: Loc
    done: dt.date | None = None
    evidence: str | None = None
    extensions: tuple[Extension, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.point}/{self.key}"

    @property
    def due_now(self) -> dt.date:
        """The due date in force: the last extension's, else the baseline."""
        return self.extensions[-1].to if self.extensions else self.due


@record
class ProgressEntry:
    """A monthly progress entry (月度进展), keyed by ``YYYY-MM``."""

    month: str
    text: str


@record
class Point:
    """An annual work point (工作要点)."""

    id: str
    title: str
    group: str
    lead: str
    loc: Loc
    units: tuple[str, ...] = ()
    path: str = ""
    outcome: str = ""
    major: bool = False
    milestones: tuple[Milestone, ...] = ()
    progress: tuple[ProgressEntry, ...] = ()
    closed: dt.date | None = None
    closing_evidence: str | None = None
    carried_from: str | None = None
    topic: str | None = None  # the agenda topic or proposal it came from
    city: str | None = None  # the city whose ledger it belongs to (一市一试点), if any

    def milestone(self, key: str) -> Milestone | None:
        for ms in self.milestones:
            if ms.key == key:
                return ms
        return None


# -- the office's other mechanisms (议题储备库, 基层创新项目滚动库, 典型案例, 前哨站)
PILOT_KINDS = ("一市一试点", "一县一特色", "县域集成改革", "重点领域集成改革")
RATINGS = ("优秀", "良好", "一般", "退出")
OUTPOST_KINDS = ("county", "enterprise")
SELECTIONS = ("十佳案例", "改革品牌", "试点典型")
QUARTER_RE = lazy(r"(\d{4})-Q([1-4])")


REPORT_KINDS = ("half", "year", "quarter")  # 半年通报、年终总账、季度盘点
# a circular's period: 2026-H1, 2026-Q3, or the year alone (the year-end reckoning)
PERIOD_RE = lazy(r"(\d{4})(?:-(H[12]|Q[1-4]))?")
NOTICE_KINDS = ("red", "yellow", "blue")  # 红色督办（逾期）、黄色督办（欠序时进度）、蓝色提醒
PUBLICITY_LEVELS = ("national", "provincial", "local", "own")  # 中央、省级、市县媒体、自有平台
PUBLICITY_KINDS = ("release", "interview", "column", "article", "wechat")


@record
class Topic:
    """An agenda topic in the reserve (议题储备库); `source` may be a county's proposal."""

    id: str
    title: str
    loc: Loc
    group: str | None = None
    unit: str | None = None
    source: str | None = None


@record
class Meeting:
    """A reform-commission meeting: one theme, drawn from the reserve (一会一主题)."""

    id: str
    on: dt.date
    theme: str
    loc: Loc


@record
class Review:
    on: dt.date
    rating: str
    note: str | None = None


@record
class Pilot:
    """A grassroots innovation project in the rolling library (基层创新项目滚动库)."""

    id: str
    name: str
    place: str
    kind: str
    unit: str
    since: dt.date
    loc: Loc
    review_every: int = 6  # months
    reviews: tuple[Review, ...] = ()


@record
class Promotion:
    """Where a model case was published or copied: a bulletin issue, a city that adopted it."""

    to: str
    on: dt.date


@record
class Case:
    """A model case (典型案例) distilled from a pilot or a point."""

    id: str
    title: str
    source: str  # a pilot or point ID
    theme: str
    quarter: str  # YYYY-Qn
    loc: Loc
    selections: tuple[str, ...] = ()
    promotions: tuple[Promotion, ...] = ()
    practice: str | None = None  # 做法
    steps: tuple[str, ...] = ()  # 路径, in order
    comment: str | None = None  # 推广价值点评


@record
class Outpost:
    """An outpost (前哨站/侦察岗): a county or an enterprise reporting how reforms land."""

    id: str
    name: str
    kind: str
    loc: Loc


@record
class Feedback:
    id: str
    outpost: str
    on: dt.date
    text: str
    loc: Loc
    point: str | None = None


@record
class Circular:
    """A recorded circular (通报): its 发文字号 CODE〔YEAR〕N号, YEAR the year of ``on``, is never
    used again that year (the office's own register, apart from the notices' 督 one)."""

    id: str
    number: int
    on: dt.date
    report: str  # half | year | quarter
    period: str  # 2026-H1 | 2026-Q3 | 2026
    loc: Loc


@record
class Notice:
    """A recorded supervision notice (督办通知): its number is never used again that year."""

    id: str
    number: int
    on: dt.date
    unit: str
    kind: str
    items: tuple[str, ...]  # milestones, POINT/MS
    loc: Loc


@record
class Publicity:
    """A piece of publicity (改革宣传): a release, interview, column... in an outlet."""

    id: str
    outlet: str
    level: str
    kind: str
    on: dt.date
    title: str
    loc: Loc
    about: str | None = None  # a point or a case


def point_fields(point: Point) -> dict[str, object]:
    """A point's own descriptive facts, in the ledger's order (for records and new tables);
    ``topic`` only where it has one."""
    fields: dict[str, object] = {
        "title": point.title,
        "group": point.group,
        "lead": point.lead,
        "units": list(point.units),
        "path": point.path,
        "outcome": point.outcome,
        "major": point.major,
    }
    if point.topic is not None:
        fields["topic"] = point.topic
    return fields


@record
class Settings:
    """The ``[ledger]`` table."""

    title: str
    year: int
    timezone: str = DEFAULT_TIMEZONE
    soon_days: int = DEFAULT_SOON_DAYS
    lang: str | None = None
    office: str | None = None
    office_code: str | None = None
    office_unit: str | None = None  # the office's own unit (reform office): remit for everything
    # committers review judges by the author alone ("GitHub <noreply@github.com>" or an email)
    platform_committers: tuple[str, ...] = ()
    allowed_signers: str | None = None  # review --require-signed: the file, from the repo root
    cc: str | None = None  # 抄送 in the 版记 of the office's documents
    issuer: str | None = None  # 印发机关 in the 版记 (None: the office itself)


@record
class Ledger:
    """A whole ledger: settings, declared units and groups, and work points by ID."""

    file: str
    settings: Settings
    units: Mapping[str, Unit] = field(default_factory=dict)
    groups: Mapping[str, Group] = field(default_factory=dict)
    points: Mapping[str, Point] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION
    topics: Mapping[str, Topic] = field(default_factory=dict)
    meetings: Mapping[str, Meeting] = field(default_factory=dict)
    pilots: Mapping[str, Pilot] = field(default_factory=dict)
    cases: Mapping[str, Case] = field(default_factory=dict)
    outposts: Mapping[str, Outpost] = field(default_factory=dict)
    feedback: Mapping[str, Feedback] = field(default_factory=dict)
    notices: Mapping[str, Notice] = field(default_factory=dict)
    circulars: Mapping[str, Circular] = field(default_factory=dict)
    publicity: Mapping[str, Publicity] = field(default_factory=dict)

    def unit_name(self, key: str) -> str:
        unit = self.units.get(key)
        return unit.name if unit else key

    def group_name(self, key: str) -> str:
        group = self.groups.get(key)
        return group.name if group else key

    def milestones(self) -> list[Milestone]:
        return [ms for point in self.points.values() for ms in point.milestones]
