"""The orders a recipient placed that an imported SIPRI legacy register shows not
fully delivered: the dependence that is already contracted."""

from collections.abc import Mapping

from geobal.analysis import Needs, clean, misfit, number
from geobal.analysis.parties import successor
from geobal.analysis.register import CREDIT, IMPORT_REGISTER, LEGACY, Register, caption, of
from geobal.errors import UsageError
from geobal.fieldtypes import INTEGER, LIST, NUMBER, TEXT
from geobal.model import Field, Record
from geobal.views import Frame

ORDERS: Needs = {
    **LEGACY,
    "ordered": ("integer",),
    "delivered": ("integer",),
    "tiv_total": ("number", "integer"),
}


# with the per-year export in place, the legacy register goes beside it, not over it
KEEP_BOTH = (
    "import the legacy register beside the per-year export, which keeps its exact figures: "
    f"{IMPORT_REGISTER} --into legacy, then geobal pipeline --dataset legacy"
)


def pipeline(
    reg: Register,
    name: str,
    recent: int | None,
    orders: bool,
    successors: Mapping[str, str] | None = None,
) -> Frame:
    """The orders `name` placed that the register shows not fully delivered: the number
    ordered minus the number delivered, and the TIV of the order minus the TIV
    delivered. With `recent`, only orders with a delivery, or placed, in that year or
    later (an old shortfall is more likely a cut than a delivery to come). By supplier,
    or with `orders` each order."""
    if reg.exact or misfit(reg.dataset, ORDERS) is not None:
        raise UsageError(
            "pipeline needs the legacy register, which gives the number ordered; the "
            "per-year export gives only what was delivered each year",
            KEEP_BOTH if reg.exact else f"import the legacy register: {IMPORT_REGISTER}",
        )
    open_orders: list[Record] = []
    for r in of(reg, "recipient", name, successors):
        ordered, got = r.get("ordered"), r.get("delivered") or 0
        if not isinstance(ordered, int) or not isinstance(got, int) or ordered <= got:
            continue
        listed = r.get("delivery_years")
        years = [y for y in listed if isinstance(y, int)] if isinstance(listed, list) else []
        latest = max(years, default=r.get("order_year"))
        if recent is not None and not (isinstance(latest, int) and latest >= recent):
            continue
        row: Record = {
            "supplier": successor(str(r["supplier"]), successors),
            "designation": str(r.get("designation") or ""),
            "description": str(r.get("description") or ""),
            "outstanding": ordered - got,
            "ordered": ordered,
            "delivered": got,
        }
        for key in ("order_year", "tiv_total", "tiv_delivered"):
            if isinstance(value := r.get(key), int | float) and not isinstance(value, bool):
                row[key] = value
        if isinstance(latest, int):
            row["latest"] = latest
        total, sent = number(r.get("tiv_total")), number(r.get("tiv_delivered")) or 0.0
        if total:  # SIPRI leaves it empty, or 0, where the order's size or unit value is not known
            row["tiv_outstanding"] = clean(round(total - sent, 1))
        if (uncertain := r.get("uncertain")) is not None:
            row["uncertain"] = uncertain
        open_orders.append(row)
    who = successor(name, successors)
    since = f", with a delivery or the order in {recent} or later" if recent else ""
    note = caption(None, None, successors, f"orders not fully delivered{since}")
    if orders:
        open_orders.sort(
            key=lambda r: (-(number(r.get("tiv_outstanding")) or 0), str(r["supplier"]))
        )
        for row in open_orders:
            row["recipient"] = who
            row["credit"] = CREDIT
        return Frame(
            f"{who}'s arms orders still to be delivered",
            ORDER_COLUMNS,
            open_orders,
            ("order", "orders"),
            ("supplier", "designation", "order_year", "outstanding", "tiv_outstanding", "latest"),
            note,
        )
    totals: dict[str, dict[str, float]] = {}
    for row in open_orders:
        due = totals.setdefault(
            str(row["supplier"]), {"orders": 0, "units": 0, "unknown": 0, "tiv": 0, "priced": 0}
        )
        due["orders"] += 1
        due["units"] += number(row["outstanding"]) or 0
        tiv = number(row.get("tiv_outstanding"))
        due["unknown" if tiv is None else "priced"] += 1
        due["tiv"] += tiv or 0
    whole = sum(due["tiv"] for due in totals.values())
    rows: list[Record] = []
    for supplier, due in sorted(totals.items(), key=lambda kv: (-kv[1]["tiv"], kv[0])):
        row = {
            "recipient": who,
            "supplier": supplier,
            "orders": int(due["orders"]),
            "units": int(due["units"]),
            "unknown": int(due["unknown"]),
            "credit": CREDIT,
        }
        if due["priced"]:
            row["tiv_outstanding"] = clean(round(due["tiv"], 1))
            if whole:
                row["share"] = clean(round(100 * due["tiv"] / whole, 2))
        rows.append(row)
    return Frame(
        f"{who}'s arms orders still to be delivered, by supplier",
        PIPELINE_COLUMNS,
        rows,
        ("supplier", "suppliers"),
        ("supplier", "orders", "units", "tiv_outstanding", "share", "unknown"),
        note,
    )


PIPELINE_COLUMNS = (
    Field("recipient", TEXT, "Recipient"),
    Field("supplier", TEXT, "Supplier"),
    Field("orders", INTEGER, "Orders", "Orders not fully delivered."),
    Field("units", INTEGER, "To come", "Units: number ordered minus number delivered."),
    Field(
        "tiv_outstanding",
        NUMBER,
        "TIV (m)",
        "The orders' TIV minus the TIV delivered, millions, where the register gives it.",
    ),
    Field("share", NUMBER, "Share %", "Of the TIV still to come."),
    Field("unknown", INTEGER, "No TIV", "Orders whose TIV the register does not give."),
    Field("credit", TEXT, "Credit"),
)
ORDER_COLUMNS = (
    Field("recipient", TEXT, "Recipient"),
    Field("supplier", TEXT, "Supplier"),
    Field("designation", TEXT, "Designation"),
    Field("description", TEXT, "Description"),
    Field("order_year", INTEGER, "Ordered"),
    Field("ordered", INTEGER, "Number ordered"),
    Field("delivered", INTEGER, "Delivered"),
    Field("outstanding", INTEGER, "To come"),
    Field("tiv_total", NUMBER, "TIV of order"),
    Field("tiv_delivered", NUMBER, "TIV delivered"),
    Field("tiv_outstanding", NUMBER, "TIV (m)", "The TIV still to come, millions."),
    Field("latest", INTEGER, "Last", "The last delivery year, or the order year."),
    Field("uncertain", LIST, "Uncertain", "The figures SIPRI marks with '?'."),
    Field("credit", TEXT, "Credit"),
)
