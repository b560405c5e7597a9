"""Figures computed from an imported SIPRI trade register: each party's delivered TIV
over a period, shares of a recipient's imports (or a supplier's exports), periods for
the concentration, and a check against SIPRI's import-volume table.

The legacy register gives each deal's delivered TIV and its delivery years, not what
was delivered in which year, so geobal spreads the TIV evenly over the years: an
estimate, and said to be one in every output.
"""

from collections.abc import Iterable, Mapping, Sequence

from geobal.analysis import Needs, clean, misfit, number
from geobal.errors import UsageError
from geobal.fieldtypes import CHOICE, INTEGER, LEVEL, NUMBER, TEXT
from geobal.model import Choice, Dataset, Field, Frame, Record
from geobal.names import Names, resolve
from geobal.schema import cited

ESTIMATE = (
    "estimate: each record's delivered TIV spread evenly over its delivery years, as "
    "the register does not say how much was delivered in which year"
)
REGISTER: Needs = {
    "recipient": ("text",),
    "supplier": ("text",),
    "delivery_years": ("list",),
    "tiv_delivered": ("number", "integer"),
}
VOLUMES: Needs = {"recipient": ("text",), "year": ("integer",), "tiv": ("number", "integer")}
IMPORT_REGISTER = "geobal import trade-register.csv --as sipri"
IMPORT_VOLUMES = "geobal import import-export-values_1950-2024.csv --as sipri-tiv"


def register(ds: Dataset) -> Dataset:
    """`ds`, if it is a SIPRI trade register: a usage error otherwise, as the user
    named it."""
    if misfit(ds, REGISTER) is not None:
        raise UsageError(
            f"{ds.name!r} is not a SIPRI trade register", f"import one with: {IMPORT_REGISTER}"
        )
    return ds


def volumes(ds: Dataset) -> Dataset:
    """`ds`, if it is SIPRI's import-volume table."""
    if misfit(ds, VOLUMES) is not None:
        raise UsageError(
            f"{ds.name!r} is not SIPRI's import-volume table", f"import it with: {IMPORT_VOLUMES}"
        )
    return ds


def named(records: Iterable[Record], field: str, text: str) -> str:
    """The value of `field` (recipient, supplier) that `text` names."""
    return resolve(field, text, Names.of(str(r[field]) for r in records if field in r))


def spread(records: Iterable[Record], start: int, end: int, by: str) -> dict[str, float]:
    """Delivered TIV per value of `by` (supplier or recipient) in the years start-end,
    each record's TIV spread evenly over its delivery years."""
    totals: dict[str, float] = {}
    for r in records:
        tiv, years = number(r.get("tiv_delivered")), r.get("delivery_years")
        if not tiv or not isinstance(years, list) or not years:
            continue
        part = tiv / len(years)
        inside = sum(1 for y in years if isinstance(y, int) and start <= y <= end)
        if inside:
            key = str(r[by])
            totals[key] = totals.get(key, 0.0) + part * inside
    return totals


def per_year(records: Iterable[Record], start: int, end: int) -> dict[int, float]:
    """The same estimate, summed per delivery year."""
    totals = dict.fromkeys(range(start, end + 1), 0.0)
    for r in records:
        tiv, years = number(r.get("tiv_delivered")), r.get("delivery_years")
        if not tiv or not isinstance(years, list) or not years:
            continue
        for y in years:
            if isinstance(y, int) and start <= y <= end:
                totals[y] += tiv / len(years)
    return totals


def windows(start: int, end: int, size: int = 5) -> list[tuple[str, int, int]]:
    """SIPRI-style periods: every `size`-year window from start to end, as "2019-23"."""
    return [
        (f"{a}-{(a + size - 1) % 100:02d}", a, a + size - 1) for a in range(start, end - size + 2)
    ]


def last_delivery(records: Iterable[Record]) -> int | None:
    years = [
        y
        for r in records
        if isinstance(ys := r.get("delivery_years"), list)
        for y in ys
        if isinstance(y, int)
    ]
    return max(years) if years else None


def period_shares(
    records: list[Record], periods: list[tuple[str, int, int]], by: str = "supplier"
) -> list[Record]:
    """Each party's estimated share in each period, as rows of period, supplier, share
    and the sources the figures come from (for concentration.balance)."""
    sources = ", ".join(sorted({s for r in records for s in cited(r)}))
    rows: list[Record] = []
    for label, start, end in periods:
        totals = spread(records, start, end, by)
        whole = sum(totals.values())
        rows += [
            {"period": label, "supplier": name, "share": 100 * tiv / whole, "sheet": sources}
            for name, tiv in totals.items()
            if whole
        ]
    return rows


def periods_field(labels: Sequence[str]) -> Field:
    """A level field whose scale is the given periods, oldest first."""
    return Field("period", LEVEL, "Period", choices=tuple(Choice(label, label) for label in labels))


def parties_field(names: Sequence[str], title: str) -> Field:
    """A choice field for free-text names (a register's suppliers), code = name."""
    return Field("supplier", CHOICE, title, choices=tuple(Choice(name, name) for name in names))


def share_columns(party: str, title: str) -> tuple[Field, ...]:
    return (
        Field(party, TEXT, title),
        Field("tiv", NUMBER, "TIV (m)", "Estimated delivered TIV, millions."),
        Field("share", NUMBER, "Share %", "The estimated share, in per cent."),
        Field("rank", INTEGER, "Rank"),
        Field(
            "published",
            NUMBER,
            "Published %",
            "SIPRI's published share for "
            "the same period, where geobal has it (the bundled suppliers dataset).",
        ),
        Field("sheet", INTEGER, "Release", "The release that published it."),
        Field(
            "difference", NUMBER, "Difference", "Estimate minus published, in percentage points."
        ),
    )


def share_rows(
    totals: Mapping[str, float], key: str, published: Mapping[str, tuple[float, int]] | None = None
) -> list[Record]:
    """Each party's TIV and share of the total, ranked; with `published`, SIPRI's own
    share for the same period (and the release that gave it) beside the estimate."""
    whole = sum(totals.values())
    rows: list[Record] = []
    for rank, (name, tiv) in enumerate(sorted(totals.items(), key=lambda kv: -kv[1]), 1):
        share = round(100 * tiv / whole, 2) if whole else 0.0
        row: Record = {key: name, "tiv": round(tiv, 1), "share": clean(share), "rank": rank}
        if published and name in published:
            value, sheet = published[name]
            row.update(
                {
                    "published": clean(value),
                    "sheet": sheet,
                    "difference": clean(round(share - value, 2)),
                }
            )
        rows.append(row)
    return rows


CHECK_COLUMNS = (
    Field("year", TEXT, "Year"),
    Field(
        "register",
        NUMBER,
        "Register (est.)",
        "Delivered TIV estimated from the register, millions.",
    ),
    Field("table", NUMBER, "Volume table", "SIPRI's import-volume table, millions."),
    Field("difference", NUMBER, "Difference %", "Register minus table, as a share of the table."),
)


def check(name: str, records: list[Record], table: Dataset, start: int, end: int) -> Frame:
    """The register's estimated yearly imports of recipient `name` beside SIPRI's
    import-volume table, and their totals over the period."""
    yearly = per_year(records, start, end)
    published = {
        year: float(tiv)
        for r in volumes(table).records
        if r.get("recipient") == name
        and isinstance(year := r.get("year"), int)
        and (tiv := number(r.get("tiv"))) is not None
    }
    rows: list[Record] = []
    for year, estimate in [*yearly.items(), (None, sum(yearly.values()))]:
        actual = (
            published.get(year) if year is not None else sum(published.get(y, 0.0) for y in yearly)
        )
        row: Record = {
            "year": str(year) if year else f"{start}-{end}",
            "register": round(estimate, 1),
        }
        if actual is not None:
            row["table"] = clean(actual)
            if actual:
                row["difference"] = round(100 * (estimate - actual) / actual, 1)
        rows.append(row)
    return Frame(
        f"{name}: register estimate against the import-volume table",
        CHECK_COLUMNS,
        rows,
        ("year", "years"),
    )
