"""The curated catalog of central-bank balance-sheet programs (QE, QT, lending, ...).

The data lives in ``programs.toml`` next to this module, with the central bank's own statement
cited for every entry. :func:`load_programs` returns typed, frozen :class:`Program` records.

>>> from tidegauge.catalog.programs import load_programs, get_program
>>> [p.id for p in load_programs("boj")]
['BOJ-QE2001', 'BOJ-EXIT2006', 'BOJ-QQE', 'BOJ-NIRP', 'BOJ-YCC', 'BOJ-EXIT', 'BOJ-QT']
>>> get_program("QT2").cap_at(__import__("datetime").date(2024, 7, 1)).treasury_cap_bn
25.0
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

from .._typing import Lang
from ..errors import UsageError

__all__ = ["Bank", "CapPeriod", "Program", "ProgramKind", "get_program", "load_programs"]

Bank = Literal["fed", "ecb", "boj"]
"""Central banks in the catalog."""

ProgramKind = Literal[
    "QE", "QT", "taper", "twist", "reserve_management", "lending", "exit", "ycc", "negative_rate"
]
"""What a program does to the balance sheet."""

BANKS: tuple[Bank, ...] = get_args(Bank)
KINDS: tuple[ProgramKind, ...] = get_args(ProgramKind)


@dataclass(frozen=True)
class CapPeriod:
    """Monthly run-off caps in force from ``start`` (until the next period or the program end).

    Attributes
    ----------
    start
        First day the caps apply.
    treasury_cap_bn, mbs_cap_bn
        Maximum monthly decline allowed for Treasury securities and for agency debt + agency
        MBS, in billions of the bank's currency; ``None`` when no cap was set.
    """

    start: dt.date
    treasury_cap_bn: float | None
    mbs_cap_bn: float | None
    announced: dt.date | None = None
    """When these caps were decided (default: the program's announcement)."""

    @property
    def total_cap_bn(self) -> float | None:
        if self.treasury_cap_bn is None and self.mbs_cap_bn is None:
            return None
        return (self.treasury_cap_bn or 0.0) + (self.mbs_cap_bn or 0.0)


@dataclass(frozen=True)
class Program:
    """One balance-sheet program.

    Attributes
    ----------
    id
        Short identifier (``"QE1"``, ``"QT2"``, ``"ECB-PEPP"``).
    bank
        ``"fed"``, ``"ecb"`` or ``"boj"``.
    kind
        ``QE``, ``QT``, ``taper``, ``twist``, ``reserve_management``, ``lending``, ``exit`` or
        ``ycc``.
    name
        Display name per language (en, zh-TW, zh-CN).
    announced
        Date of the decision or press release.
    effective
        Date the operation started on the balance sheet (first purchases, first month of run-off).
    end
        Date the operation stopped (exclusive), or ``None`` if still running.
    caps
        Run-off caps over time (QT programs), oldest first.
    purchases_bn_per_month
        Announced purchase pace in billions of the bank's currency per month, if one was announced.
    source
        URL of the central bank's statement.
    note
        What the program did, in one paragraph (English).
    checked
        Public pages the dates and amounts were checked against.
    end_announced
        When the end was decided (default: the announcement): what a projection started
        before then could not know.
    after_end
        What happens to maturing principal after the end of a QT program: ``treasury``
        (``"rollover"``) and ``mbs`` (``"bills"`` or ``"treasuries"``: reinvested into them).
    names_episodes
        Whether the program may name a detected balance-sheet episode (``False`` for programs
        that run inside a larger one, e.g. the ECB's TLTROs and CBPP3 during the APP).
    """

    id: str
    bank: Bank
    kind: ProgramKind
    name: dict[Lang, str]
    announced: dt.date
    effective: dt.date
    end: dt.date | None
    caps: tuple[CapPeriod, ...]
    purchases_bn_per_month: float | None
    source: str
    note: str
    checked: tuple[str, ...] = field(default=())
    end_announced: dt.date | None = None
    after_end: dict[str, str] = field(default_factory=dict)
    names_episodes: bool = True

    def label(self, lang: Lang = "en") -> str:
        """The program's name in ``lang`` (English if missing)."""
        return self.name.get(lang) or self.name["en"]

    def active_on(self, day: dt.date) -> bool:
        """Whether the operation was running on ``day`` (``effective <= day < end``)."""
        return self.effective <= day and (self.end is None or day < self.end)

    def cap_at(self, day: dt.date) -> CapPeriod | None:
        """The caps in force on ``day``, or ``None`` outside the program or before any cap."""
        if not self.active_on(day):
            return None
        current = None
        for cap in self.caps:
            if cap.start <= day:
                current = cap
        return current


def _date(entry: dict[str, Any], key: str, pid: str) -> dt.date:
    value = entry.get(key)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValueError(f"program {pid}: {key} must be a TOML date, got {value!r}")
    return value


def _parse(entry: dict[str, Any]) -> Program:
    pid = str(entry["id"])
    bank, kind = entry["bank"], entry["kind"]
    if bank not in BANKS:
        raise ValueError(f"program {pid}: unknown bank {bank!r}")
    if kind not in KINDS:
        raise ValueError(f"program {pid}: unknown kind {kind!r}")
    name: dict[Lang, str] = {
        "en": entry["name_en"],
        "zh-TW": entry["name_zh_tw"],
        "zh-CN": entry["name_zh_cn"],
    }
    end = entry.get("end")
    caps = tuple(
        CapPeriod(
            start=_date(c, "start", pid),
            treasury_cap_bn=None if c.get("treasury") is None else float(c["treasury"]),
            mbs_cap_bn=None if c.get("mbs") is None else float(c["mbs"]),
            announced=None if c.get("announced") is None else _date(c, "announced", pid),
        )
        for c in entry.get("caps", [])
    )
    pace = entry.get("purchases_bn_per_month")
    program = Program(
        id=pid,
        bank=bank,
        kind=kind,
        name=name,
        announced=_date(entry, "announced", pid),
        effective=_date(entry, "effective", pid),
        end=None if end is None else _date(entry, "end", pid),
        caps=caps,
        purchases_bn_per_month=None if pace is None else float(pace),
        source=str(entry["source"]),
        note=str(entry.get("note", "")),
        checked=tuple(entry.get("checked", ())),
        end_announced=None if "end_announced" not in entry else _date(entry, "end_announced", pid),
        after_end={str(k): str(v) for k, v in entry.get("after_end", {}).items()},
        names_episodes=bool(entry.get("names_episodes", True)),
    )
    if program.effective < program.announced:
        raise ValueError(f"program {pid}: effective date precedes the announcement")
    if program.end is not None and program.end <= program.effective:
        raise ValueError(f"program {pid}: end must be after the effective date")
    if not program.source.startswith("https://"):
        raise ValueError(f"program {pid}: source must be the https URL of the bank's statement")
    if list(caps) != sorted(caps, key=lambda c: c.start):
        raise ValueError(f"program {pid}: caps must be in date order")
    return program


@cache
def _all_programs() -> tuple[Program, ...]:
    text = (resources.files("tidegauge.catalog") / "programs.toml").read_text(encoding="utf-8")
    parsed = [_parse(e) for e in tomllib.loads(text)["program"]]
    programs = tuple(sorted(parsed, key=lambda p: (BANKS.index(p.bank), p.announced)))
    ids = [p.id for p in programs]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate program ids in programs.toml")
    return programs


def load_programs(bank: Bank | None = None) -> list[Program]:
    """Programs of ``bank`` (or of every bank), in catalog order (by announcement date per bank).

    Parameters
    ----------
    bank
        ``"fed"``, ``"ecb"``, ``"boj"`` or ``None`` for all.

    Raises
    ------
    UsageError
        For an unknown bank.
    """
    if bank is not None and bank not in BANKS:
        raise UsageError.t("errors.catalog.unknown_bank", bank=bank, choices=", ".join(BANKS))
    return [p for p in _all_programs() if bank is None or p.bank == bank]


def get_program(program_id: str) -> Program:
    """The program with this id (case-insensitive); :class:`UsageError` if there is none."""
    key = program_id.strip().upper()
    for p in _all_programs():
        if p.id.upper() == key:
            return p
    raise UsageError.t("errors.catalog.unknown_program", program_id=program_id)
