"""Periods side by side, as SIPRI reports shifts: each party's share in each period and
the change in points from the period before the latest, ranked by the latest.

The figures come from elsewhere (published.compare, register.compare); this module
lays them out the same way for both, so a script reads one shape whichever it asked.
"""

import re
from collections.abc import Mapping, Sequence

from geobal.analysis import clean, number
from geobal.fieldtypes import INTEGER, NUMBER, TEXT
from geobal.model import Field, Record, Value
from geobal.views import Bar, BarGroup, Figure, Frame

CHANGE = "change"


def key(label: str) -> str:
    """A period as a field name's part: "2014-18" -> "2014_18"."""
    return re.sub(r"\W", "_", label)


def side_by_side(
    party: Field,
    labels: Sequence[str],
    figures: Mapping[str, Mapping[str, Record]],
    *,
    title: str,
    caption: str,
    carry: Sequence[tuple[Field, Value]] = (),
    notes: tuple[str, ...] = (),
    missing: str = "",
    chart_caption: str | None = None,
) -> Frame:
    """A row a party: its share in each period (`figures[label][party]["share"]`, none
    where a period lacks the party: a published share that was not found), the change
    in points from the period before the latest to the latest, and what the figures'
    records carry beside (tiv, sheet); then `carry`, each field's value, on every row.
    `missing`: what its chart writes for a share a period lacks (else no bar is drawn);
    `chart_caption`: the chart's lines in place of `caption` (views.Figure.caption)."""
    last, before = labels[-1], labels[-2]
    names = list(dict.fromkeys(p for label in labels for p in figures.get(label, {})))
    rows: list[Record] = []
    for name in names:
        row: Record = {party.name: name}
        for label in labels:
            found = figures.get(label, {}).get(name, {})
            share = number(found.get("share"))
            if share is not None:
                row[f"share_{key(label)}"] = clean(share)
            for extra in ("tiv", "sheet"):
                if (value := found.get(extra)) is not None:
                    row[f"{extra}_{key(label)}"] = value
        now, then = number(row.get(f"share_{key(last)}")), number(row.get(f"share_{key(before)}"))
        if now is not None and then is not None:
            row[CHANGE] = clean(round(now - then, 2))
        row.update((field.name, value) for field, value in carry)
        rows.append(row)
    order = [f"share_{key(label)}" for label in reversed(labels)]
    rows.sort(key=lambda r: tuple(-(number(r.get(name)) or -1.0) for name in order))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    columns = _columns(party, labels, rows, carry)
    sheets = [f"sheet_{key(label)}" for label in labels]
    table = (
        party.name,
        *(f"share_{key(label)}" for label in labels),
        CHANGE,
        *(name for name in sheets if any(name in r for r in rows)),
    )
    return Frame(
        title,
        columns,
        rows,
        (party.name, f"{party.name}s"),
        table,
        caption,
        _figure(party, labels, rows, notes, missing)._replace(caption=chart_caption),
    )


def _columns(
    party: Field,
    labels: Sequence[str],
    rows: Sequence[Record],
    carry: Sequence[tuple[Field, Value]],
) -> tuple[Field, ...]:
    present = {k for r in rows for k in r}
    columns = [party.renamed(party.name, party.title)]
    columns += [
        Field(f"share_{key(label)}", NUMBER, f"{label} %", f"The share in {label}, in per cent.")
        for label in labels
    ]
    columns.append(
        Field(
            CHANGE,
            NUMBER,
            "Change",
            f"The share in {labels[-1]} minus the share in {labels[-2]}, in percentage points.",
        )
    )
    columns.append(Field("rank", INTEGER, "Rank", f"By the share in {labels[-1]}."))
    for extra, kind, title, what in (
        ("tiv", NUMBER, "TIV (m)", "Delivered TIV in {}, millions."),
        ("sheet", INTEGER, "Release", "The SIPRI release that published the {} share."),
    ):
        columns += [
            Field(f"{extra}_{key(label)}", kind, f"{label} {title}", what.format(label))
            for label in labels
            if f"{extra}_{key(label)}" in present
        ]
    columns += [field for field, _ in carry]
    return tuple(columns)


def _figure(
    party: Field,
    labels: Sequence[str],
    rows: Sequence[Record],
    notes: tuple[str, ...],
    missing: str,
) -> Figure:
    """The chart: for each party a bar a period, side by side; a period without a share
    kept, for the chart to say `missing`, where that is given."""
    period = Field("period", TEXT, "Period")
    long: list[Record] = []
    for r in rows:
        for label in labels:
            share = r.get(f"share_{key(label)}")
            if share is not None or missing:
                long.append({party.name: r[party.name], "period": label})
                if share is not None:
                    long[-1]["share"] = share
    return Figure(
        party.name,
        "share",
        color="period",
        y_title="Share (%)",
        percent=True,
        rows=long,
        columns=(party, period, Field("share", NUMBER, "Share %")),
        notes=notes,
        order=tuple(labels),
        missing=missing,
    )


def bars(frame: Frame, party: Field, labels: Sequence[str]) -> list[BarGroup]:
    """The terminal's chart of a comparison: a group a party, a bar a period."""
    groups = []
    for r in frame.rows:
        change = r.get(CHANGE)
        if not isinstance(change, int | float):
            said = "change not known"
        else:
            said = f"{change:+g} points" if change else "no change"
        group = []
        for label in labels:
            sheet = r.get(f"sheet_{key(label)}")
            note = f"published {sheet}" if sheet is not None else ""
            group.append(Bar(label, number(r.get(f"share_{key(label)}")), note))
        name = party.labels.get(str(r[party.name]), str(r[party.name]))
        groups.append(BarGroup(name, said, group))
    return groups
