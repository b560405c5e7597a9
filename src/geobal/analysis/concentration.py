"""How concentrated a buyer's suppliers are: the Herfindahl-Hirschman index (HHI) on the
0-10,000 scale, the sum of the squared percentage shares.

Sources rarely give every supplier's share, so geobal never guesses the missing ones.
With known shares s_i and an unknown remainder R = 100 - sum(s_i), the index lies
between two bounds:

- low  = sum(s_i^2): the remainder spread over many tiny suppliers adds almost nothing;
- high = sum(s_i^2) + R^2: the remainder held by a single supplier.

A trend between two periods is stated only where the bounds do not overlap.
"""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from geobal.analysis import clean, number
from geobal.fieldtypes import BOOLEAN, CHOICE, INTEGER, LIST, NUMBER, TEXT
from geobal.model import Choice, Field, Record
from geobal.schema import slug


class Concentration(NamedTuple):
    shares: dict[str, float]  # the known shares, in per cent, largest first
    known: float  # their sum
    unknown: float  # 100 - known, never below 0
    hhi_low: float
    hhi_high: float
    top: str | None  # the supplier with the largest known share
    top_share: float | None
    top_is_certain: bool  # no unknown supplier could be larger


def concentration(shares: Mapping[str, float]) -> Concentration:
    ordered = dict(sorted(shares.items(), key=lambda kv: -kv[1]))
    known = round(sum(ordered.values()), 6)
    unknown = round(max(0.0, 100.0 - known), 6)
    low = round(sum(s * s for s in ordered.values()), 6)
    top = next(iter(ordered), None)
    top_share = ordered[top] if top is not None else None
    return Concentration(
        ordered,
        known,
        unknown,
        low,
        round(low + unknown * unknown, 6),
        top,
        top_share,
        # an unknown supplier holding as much would tie: not certain either
        top_share is not None and top_share > unknown,
    )


def trend(before: Concentration | None, after: Concentration) -> str:
    """Whether concentration rose or fell, stated only when the bounds allow it."""
    if before is None:
        return ""
    if after.hhi_high < before.hhi_low:
        return "falling"
    if after.hhi_low > before.hhi_high:
        return "rising"
    if (after.hhi_low, after.hhi_high) == (before.hhi_low, before.hhi_high):
        return "unchanged"
    return "unclear"


def by_period(rows: Iterable[Record], period: Field) -> dict[str, list[Record]]:
    """Rows grouped by period, periods in the order of the period field's scale."""
    groups: dict[str, list[Record]] = {}
    for row in rows:
        groups.setdefault(str(row["period"]), []).append(row)
    return dict(sorted(groups.items(), key=lambda kv: period.rank.get(kv[0], len(period.rank))))


def _key(code: str) -> str:
    return "share_" + slug(code).replace("-", "_")


def balance_columns(period: Field, supplier: Field, *, published: bool = True) -> tuple[Field, ...]:
    """`published`: the shares are SIPRI's, and `sheets` the years of its releases (whole
    numbers); else computed from a register, and `sources` the ids of the sources cited."""
    shares = tuple(
        Field(_key(c.value), NUMBER, f"{c.label} %", f"{c.label}'s share, in per cent.")
        for c in supplier.choices
    )
    return (
        period.renamed("period", "Period"),
        Field("sheets", LIST, "Published", "The releases the shares come from.", items=INTEGER)
        if published
        else Field("sources", LIST, "Sources", "The ids of the sources the shares come from."),
        *shares,
        Field("known", NUMBER, "Known %", "The sum of the known shares."),
        Field("unknown", NUMBER, "Unknown", "100 minus the known shares, in per cent."),
        Field(
            "hhi_low",
            NUMBER,
            "HHI from",
            "The index with the unknown share "
            "spread over many small suppliers: the sum of the squared known shares.",
        ),
        Field(
            "hhi_high",
            NUMBER,
            "HHI to",
            "The index with the unknown share held "
            "by one supplier: hhi_low plus the unknown share squared.",
        ),
        Field("top", TEXT, "Top", "The supplier with the largest known share."),
        Field("top_share", NUMBER, "Top %"),
        Field(
            "top_certain",
            BOOLEAN,
            "Certain",
            "Whether the top supplier is certain: true when no supplier whose share is not "
            "known could hold as large a share.",
        ),
        Field(
            "trend",
            CHOICE,
            "Trend",
            "Concentration against the previous period: "
            "falling or rising where the bounds do not overlap, else unclear.",
            choices=tuple(Choice(t, t) for t in ("falling", "rising", "unchanged", "unclear")),
        ),
    )


BALANCE_TABLE = (
    "period",
    "top",
    "top_share",
    "top_certain",
    "unknown",
    "hhi_low",
    "hhi_high",
    "trend",
)


def uncertain(rows: Iterable[Record]) -> str:
    """A caption line for the periods whose top supplier is not certain, if any."""
    periods = [str(r["period"]) for r in rows if r.get("top_certain") is False]
    if not periods:
        return ""
    return (
        f"Certain = no ({', '.join(periods)}): the unknown share is at least the top "
        "supplier's, so a supplier whose share is not known may have led."
    )


def _whence(members: Iterable[Record]) -> tuple[str, list[int] | list[str]]:
    """Where a period's shares come from, each once, in order: SIPRI's releases
    (`sheets`, years) for published shares, or the ids of the sources a register's cite
    (`sources`)."""
    members = list(members)
    if all(isinstance(r.get("sheet"), int) for r in members):
        return "sheets", sorted({s for r in members if isinstance(s := r["sheet"], int)})
    ids = {str(s) for r in members if isinstance(v := r.get("sources"), list) for s in v}
    return "sources", sorted(ids)


def balance(rows: Iterable[Record], period: Field, supplier: Field) -> list[Record]:
    """Concentration per period, with the formula's inputs (each known share); rows of
    period, supplier, share, and sheet (the release) or sources (the ids a register's
    records cite). Where a period's known shares make 100, a supplier with none in it
    had no deliveries: its share is 0, not unknown."""
    out: list[Record] = []
    before: Concentration | None = None
    for name, members in by_period(rows, period).items():
        shares = {
            str(r["supplier"]): s for r in members if (s := number(r.get("share"))) is not None
        }
        c = concentration(shares)
        whence, ids = _whence(members)
        row: Record = {
            "period": name,
            whence: ids,
            "known": clean(round(c.known, 2)),
            "unknown": clean(round(c.unknown, 2)),
            "hhi_low": clean(round(c.hhi_low, 1)),
            "hhi_high": clean(round(c.hhi_high, 1)),
            "top_certain": c.top_is_certain,
        }
        if not clean(round(c.unknown, 2)):
            row.update({_key(choice.value): 0 for choice in supplier.choices})
        for code, share in shares.items():
            row[_key(code)] = clean(round(share, 2))
        if c.top is not None and c.top_share is not None:
            row["top"] = supplier.labels.get(c.top, c.top)
            row["top_share"] = clean(round(c.top_share, 2))
        if t := trend(before, c):
            row["trend"] = t
        out.append(row)
        before = c
    return out
