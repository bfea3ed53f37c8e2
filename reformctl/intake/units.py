"""Units as offices write them: a cell of names read into a lead and co-operating units, and
each name matched to a declared unit, conservatively.

- ``省发改委（牵头）``, ``省发改委牵头，省财政厅配合``: the mark or the wording sets the lead.
- ``各设区市党委、政府`` and every ``…党委、政府`` (``…党工委、管委会``) pair stay one name.
- A note in brackets (``省人社厅（按职责分工负责）``) and a trailing ``等``/``等单位``/``等部门``
  are not part of a name.
- A name matches a declared unit by its name or key, else by one spelling of it: spaces out,
  ``福建省…`` read as ``省…``, ``发展改革委``/``发展和改革委员会`` read as ``发改委`` (and a few
  such long forms). Two declared units matching one name is a refusal naming them; a misread
  is worse than a refusal, so nothing looser is tried.
- A new unit's key is its name's pinyin initials (``省林业局`` → ``slyj``), made unique.

Pure: a :class:`Refused` names what could not be read; the caller names the cell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from reformctl.model import is_valid_id


class Refused(Exception):
    """A cell that cannot be read: a message code of the catalogue and its arguments."""

    code: str
    args_: dict[str, object]

    def __init__(self, code: str, **args: object) -> None:
        super().__init__(code)
        self.code, self.args_ = code, args


_SEP = re.compile(r"[、,，;；/\n\r\t \u3000]+")
_MARK = re.compile(r"[（(]\s*牵头\s*[）)]")
_PAIR_END = ("党委", "党组", "党工委")
_PAIR_NEXT = ("政府", "人民政府", "管委会")
# a note in brackets (``（按职责分工负责）``), not the lead's mark
_NOTE = re.compile(r"[（(](?!\s*牵头\s*[）)])[^（）()]*[）)]")
_ETC = re.compile(r"等(?:单位|部门)?$")
_TAIL = re.compile(r"(?:等)?(?:单位)?(?:配合|参与|协同|协助|按职责分工负责|分工负责)[。.]?$")
_HEAD_PUNCT = re.compile(r"^[，,；;。.、\s]+|[，,；;。.、\s]+$")


def split_names(text: str) -> list[str]:
    """The names of a cell, in order, ``…党委、政府`` pairs kept whole."""
    parts = [p for p in (_ETC.sub("", p) for p in _SEP.split(text)) if p]
    out: list[str] = []
    for part in parts:
        if out and part in _PAIR_NEXT and out[-1].endswith(_PAIR_END):
            out[-1] = f"{out[-1]}、{part}"
        else:
            out.append(part)
    return out


def read_cell(text: str) -> list[tuple[str, bool]]:
    """(name, marked as lead) for each name of a cell."""
    text = _NOTE.sub("", text).strip()
    if not text:
        return []
    if _MARK.search(text):
        names = split_names(_TAIL.sub("", text))
        return [(_MARK.sub("", n), bool(_MARK.search(n))) for n in names if _MARK.sub("", n)]
    if "牵头" in text:
        lead, _, rest = text.partition("牵头")
        rest = _HEAD_PUNCT.sub("", _TAIL.sub("", _HEAD_PUNCT.sub("", rest)))
        lead = _HEAD_PUNCT.sub("", lead.removeprefix("由"))
        return [(n, True) for n in split_names(lead)] + [(n, False) for n in split_names(rest)]
    return [(n, False) for n in split_names(_TAIL.sub("", text))]


def lead_and_units(
    lead_cell: str | None, responsible_cell: str | None, units_cell: str | None
) -> tuple[str, list[str], str]:
    """(lead name, co-operating names, the column that gave the lead) from a row's cells;
    ``None`` for a column the sheet does not have. Refuses two leads in one cell, and a
    责任单位 column alone with several units and none marked."""
    lead, others, source = _lead_and_units(lead_cell, responsible_cell, units_cell)
    return lead, list(others), source


# an export repeats a point's unit cells on each of its milestone rows: each is read once
@functools.lru_cache(maxsize=1024)
def _lead_and_units(
    lead_cell: str | None, responsible_cell: str | None, units_cell: str | None
) -> tuple[str, tuple[str, ...], str]:
    others: list[str] = []
    if lead_cell is not None:
        names = read_cell(lead_cell)
        if not names:
            raise Refused("intake-no-lead", column="lead")
        marked = [n for n, m in names if m]
        if len(names) == 1:
            lead = names[0][0]
        elif len(marked) == 1:
            lead = marked[0]
        else:
            raise Refused("intake-two-leads", column="lead", names="、".join(n for n, _ in names))
        others += [n for n, _ in names if n != lead]
        source = "lead"
        for column, cell in (("responsible", responsible_cell), ("units", units_cell)):
            for name, mark in read_cell(cell or ""):
                if mark and name != lead:
                    raise Refused("intake-two-leads", column=column, names=f"{lead}、{name}")
                others.append(name)
    elif responsible_cell is not None and responsible_cell.strip():
        names = read_cell(responsible_cell)
        marked = [n for n, m in names if m]
        if len(marked) > 1:
            raise Refused("intake-two-leads", column="responsible", names="、".join(marked))
        if marked:
            lead = marked[0]
        elif len(names) == 1:
            lead = names[0][0]
        else:
            raise Refused("intake-lead-unmarked", column="responsible", names=responsible_cell)
        others += [n for n, _ in names if n != lead]
        others += [n for n, _ in read_cell(units_cell or "")]
        source = "responsible"
    else:
        raise Refused("intake-no-lead", column="lead")
    return lead, tuple(n for n in dict.fromkeys(others) if n != lead), source


_LONG_FORMS = (
    ("发展和改革委员会", "发改委"),
    ("发展改革委员会", "发改委"),
    ("发展改革委", "发改委"),
    ("卫生健康委员会", "卫健委"),
    ("卫生健康委", "卫健委"),
    ("人力资源和社会保障厅", "人社厅"),
    ("人力资源社会保障厅", "人社厅"),
    ("市场监督管理局", "市场监管局"),
    ("机构编制委员会办公室", "编办"),
    ("全面深化改革委员会办公室", "改革办"),
)
_PROVINCE = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{2,3}省(?=[\u4e00-\u9fff])")


def spelling(name: str) -> str:
    """The one looser form a name is matched by (see the module's docstring)."""
    text = re.sub(r"[\s\u3000]+", "", name)
    text = _PROVINCE.sub("省", text)
    for long, short in _LONG_FORMS:
        text = text.replace(long, short)
    return text


def initials(name: str) -> str:
    """A readable key from a name: its pinyin initials (省林业局 → slyj), letters and digits
    of other scripts kept, lower case."""
    from pypinyin import Style, lazy_pinyin

    letters = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default"))
    key = re.sub(r"[^A-Za-z0-9]", "", letters).lower()
    return key[:16] or "u"


class Units:
    """Names matched to declared units, and the new ones an import declares."""

    def __init__(self, declared: Mapping[str, str], prefix: str = "") -> None:
        self.declared = dict(declared)  # key -> name
        self.new: dict[str, str] = {}
        self.prefix = prefix

    def names(self) -> dict[str, str]:
        return {**self.declared, **self.new}

    def match(self, name: str) -> str | None:
        """The key of the unit ``name`` names, None if none; refuses an ambiguous name."""
        units = self.names()
        exact = [k for k, n in units.items() if n == name]
        if len(exact) == 1:
            return exact[0]
        if name in units and is_valid_id(name):
            return name
        form = spelling(name)
        found = [k for k, n in units.items() if spelling(n) == form]
        if len(found) > 1 or len(exact) > 1:
            candidates = "、".join(f"{units[k]}（{k}）" for k in (exact or found))
            raise Refused("intake-unit-ambiguous", name=name, candidates=candidates)
        return found[0] if found else None

    def key(self, name: str, taken: Iterable[str] = ()) -> str:
        """The key of ``name``: a declared unit's, else a new one's."""
        found = self.match(name)
        if found is not None:
            return found
        base = self.prefix + initials(name)
        if not base[0].isalpha():
            base = "u" + base
        avoid = set(self.names()) | set(taken)
        key, n = base, 1
        while key in avoid:
            n += 1
            key = f"{base}{n}"
        self.new[key] = name
        return key
