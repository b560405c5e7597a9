"""SIPRI's exports as geobal stores them: the fields of the dataset each shape becomes
(the legacy register, the per-year export, the import- and export-volume tables), and
which shape a dataset was imported from, told by its fields. transfer.sipri reads the
exports into these shapes; search tells SIPRI's imports from a user's own datasets here,
without importing the import package and its parsers."""

from pathlib import Path
from typing import NamedTuple

from geobal.model import Dataset
from geobal.schema import SOURCES

STATUS = {
    "New": "new",
    "Second hand": "second-hand",
    "Second hand but modernized": "second-hand-modernized",
}
# An import that rejects more of its data lines than this writes nothing, unless --force.
MOST_REJECTED = 0.01

_ID = {"id": {"type": "text", "title": "ID"}}
_STATUS_FIELD = {
    "type": "choice",
    "title": "Status",
    "choices": [{"value": code, "label": label} for label, code in STATUS.items()],
}
_TIV_UNIT = "SIPRI trend-indicator value (TIV) per unit in this deal, millions."
# matched in --where by any of a country's names, as shares --recipient matches them
_RECIPIENT = {"type": "text", "title": "Recipient", "required": True, "country": True}
_SUPPLIER = {"type": "text", "title": "Supplier", "required": True, "country": True}
LEGACY_FIELDS: dict[str, object] = {
    **_ID,
    "recipient": _RECIPIENT,
    "supplier": _SUPPLIER,
    "order_year": {"type": "integer", "title": "Ordered"},
    "ordered": {"type": "integer", "title": "Number ordered"},
    "designation": {"type": "text", "title": "Designation"},
    "description": {"type": "text", "title": "Description"},
    "delivered": {"type": "integer", "title": "Number delivered"},
    "delivery_years": {"type": "list", "items": "integer", "title": "Delivered in"},
    "status": _STATUS_FIELD,
    "comments": {"type": "text", "title": "Comments"},
    "tiv_unit": {"type": "number", "title": "TIV per unit", "description": _TIV_UNIT},
    "tiv_total": {
        "type": "number",
        "title": "TIV of order",
        "description": "SIPRI TIV for the total order, millions.",
    },
    "tiv_delivered": {
        "type": "number",
        "title": "TIV delivered",
        "description": "SIPRI TIV of the weapons delivered, millions, over all the delivery "
        "years: the register does not say how much in which year.",
    },
    "uncertain": {
        "type": "list",
        "title": "Uncertain",
        "description": "The figures SIPRI marks with '?': order_year, ordered, delivered.",
    },
}
PER_YEAR_FIELDS: dict[str, object] = {
    **_ID,
    "deal": {"type": "text", "title": "Deal", "description": "SIPRI AT Database ID."},
    "recipient": _RECIPIENT,
    "supplier": _SUPPLIER,
    "designation": {"type": "text", "title": "Designation"},
    "description": {"type": "text", "title": "Description"},
    "category": {"type": "text", "title": "Category", "description": "Armament category."},
    "order_year": {"type": "integer", "title": "Ordered"},
    "order_year_estimated": {"type": "boolean", "title": "Order year estimated"},
    "delivered": {
        "type": "integer",
        "title": "Number delivered",
        "description": "Delivered in this delivery year.",
    },
    "delivered_estimated": {"type": "boolean", "title": "Number estimated"},
    "delivery_year": {"type": "integer", "title": "Delivered in", "required": True},
    "delivery_year_estimated": {"type": "boolean", "title": "Delivery year estimated"},
    "status": _STATUS_FIELD,
    "tiv_estimate": {
        "type": "number",
        "title": "TIV estimate",
        "description": "SIPRI's estimate of the TIV of one unit as new, millions.",
    },
    "tiv_unit": {"type": "number", "title": "TIV per unit", "description": _TIV_UNIT},
    "tiv_delivered": {
        "type": "number",
        "title": "TIV delivered",
        "description": "SIPRI TIV of the weapons delivered in this delivery year, millions.",
    },
    "local_production": {"type": "boolean", "title": "Local production"},
}
# true on the row SIPRI closes a volume table with ("Total world import"): its stated
# totals, which the rows above need not add up to (SIPRI rounds each figure)
_TOTAL = {
    "type": "boolean",
    "title": "Total",
    "description": "True on SIPRI's row of totals ('Total world import', 'Total world "
    "export', 'Total imports from China'), as SIPRI states them: the rows above may not "
    "add up to it, as SIPRI rounds each figure.",
    "totals": True,
}
VOLUME_FIELDS: dict[str, object] = {
    **_ID,
    "recipient": _RECIPIENT,
    "year": {"type": "integer", "title": "Year", "required": True},
    "tiv": {
        "type": "number",
        "title": "TIV",
        "description": "Volume of arms imports, millions of SIPRI trend-indicator values.",
    },
    "total": _TOTAL,
}
EXPORT_VOLUME_FIELDS: dict[str, object] = {
    **_ID,
    "supplier": _SUPPLIER,
    "year": {"type": "integer", "title": "Year", "required": True},
    "tiv": {
        "type": "number",
        "title": "TIV",
        "description": "Volume of arms exports, millions of SIPRI trend-indicator values.",
    },
    "total": _TOTAL,
}


class Shape(NamedTuple):
    kind: str  # what the export is, in titles and reports
    tag: str  # in the id of the source entry that the dataset cites
    header: str  # how its header line begins
    fields: dict[str, object]  # the dataset's schema
    default: str  # the dataset it goes into unless --into says otherwise
    unit: str  # what a data line is, in the report
    # fields a later release of geobal added: a dataset an earlier one imported lacks them
    added: tuple[str, ...] = ()


LEGACY = Shape(
    "trade register (legacy export)",
    "register",
    "Recipient,Supplier,Year of order",
    LEGACY_FIELDS,
    "transfers",
    "lines",
)
PER_YEAR = Shape(
    "trade register (per-year export)",
    "per-year",
    "SIPRI AT Database ID,",
    PER_YEAR_FIELDS,
    "transfers",
    "lines",
)
VOLUMES = Shape(
    "import-volume table", "volumes", "Recipient,", VOLUME_FIELDS, "tiv", "rows", ("total",)
)
EXPORT_VOLUMES = Shape(
    "export-volume table",
    "export-volumes",
    "Exports by,",
    EXPORT_VOLUME_FIELDS,
    "tiv-exports",
    "rows",
    ("total",),
)
# every shape geobal reads; a new one joins here, and transfer.DOOR says how it is imported
SHAPES: tuple[Shape, ...] = (LEGACY, PER_YEAR, VOLUMES, EXPORT_VOLUMES)


def shape_of(ds: Dataset) -> Shape | None:
    """The export a dataset was imported from, told by its fields: those of one shape,
    exactly (name, type and items), or those an earlier release of geobal gave it."""
    own = {
        f.name: (f.type.name, f.items.name if f.items else None)
        for f in ds.fields
        if not f.derived and f.name != SOURCES
    }
    for shape in SHAPES:
        declared = {
            name: (spec["type"], spec.get("items"))
            for name, spec in shape.fields.items()
            if isinstance(spec, dict)
        }
        if own == declared or own == {
            name: kind for name, kind in declared.items() if name not in shape.added
        }:
            return shape
    return None


def made_by_import(ds: Dataset) -> bool:
    """Whether a SIPRI import made `ds` (a register, a volume table, military spending
    or its notes), told by its fields as an import that would replace it tells."""
    return shape_of(ds) is not None or milex_kind(ds) is not None


# how much of a file's start is read for its [dataset] and [fields] tables: a SIPRI
# import's are about 4 KB
HEAD = 64 * 1024


def imported_file(path: Path) -> bool | None:
    """Whether the dataset file at `path` is one a SIPRI import made, told by the fields
    its start declares, without reading its records (a register's are 12 MB); None where
    that cannot be told so (no records line in the first HEAD bytes, a start that does
    not parse, anything unreadable): the caller reads the dataset whole."""
    import tomllib

    from geobal.files import not_regular
    from geobal.schema import USER, build_dataset

    try:
        if not_regular(path) is not None:
            return None
        with path.open("rb") as f:
            start = f.read(HEAD)
        end = start.find(b"\n[[records]]\n")
        if end < 0:
            return None
        doc = tomllib.loads(start[: end + 1].decode("utf-8"))
        if "records" in doc:
            return None
        return made_by_import(build_dataset({**doc, "records": []}, path, USER))
    except Exception:  # whatever it is, reading the dataset whole says it
        return None


# SIPRI's Military Expenditure Database (the workbook `import --as sipri-milex` reads):
# a measure a country sheet gives, by the field it becomes. Its sheet is found by the
# start of its name ("Constant (2023) US$": the base year is the edition's), and its
# figures are stored exactly as the workbook holds them (shares as fractions, as SIPRI
# stores 2.27% as 0.0227). Each has two marks, read from the cells' font colours.
MILEX_MEASURES: dict[str, tuple[str, str]] = {
    # field: (the start of its sheet's name, what its figures are)
    "constant_usd": ("Constant (", "US$ m. at constant prices and exchange rates of the base year"),
    "current_usd": ("Current US$", "US$ m. at current prices and exchange rates"),
    "local_calendar": (
        "Local currency calendar years",
        "local currency at current prices, calendar years (the currency field says which)",
    ),
    "local_financial": (
        "Local currency financial years",
        "local currency at current prices, financial years (fiscal_year says which months)",
    ),
    "gdp_share": (
        "Share of GDP",
        "share of gross domestic product, as a fraction: 0.0227 is 2.27%",
    ),
    "per_capita": ("Per capita", "current US$ per person"),
    "government_share": (
        "Share of Govt. spending",
        "share of general government spending, as a fraction: 0.0763 is 7.63%",
    ),
}
ESTIMATE, UNCERTAIN = "_estimate", "_uncertain"  # the two marks' fields: constant_usd_estimate
# the regional totals, in US$ b. as SIPRI gives them, on the rows with `total` set
MILEX_TOTALS: dict[str, str] = {
    "total_constant_usd_bn": "US$ b. at constant prices and exchange rates of the base year",
    "total_current_usd_bn": "US$ b. at current prices and exchange rates (the last year only)",
}


def milex_fields(base_year: int, notes: str) -> dict[str, object]:
    """The fields of a dataset of SIPRI's military expenditure workbook, whose constant
    dollars are of `base_year`, and whose footnotes are the records of dataset `notes`."""
    fields: dict[str, object] = {
        **_ID,
        "country": {
            "type": "text",
            "title": "Country",
            "required": True,
            "country": True,
            "description": "The country as SIPRI's workbook names it; on a row of totals, "
            "the world or the region.",
        },
        "region": {"type": "text", "title": "Region"},
        "subregion": {"type": "text", "title": "Subregion"},
        "year": {"type": "integer", "title": "Year", "required": True},
        "currency": {"type": "text", "title": "Currency", "description": "Of local figures."},
        "fiscal_year": {
            "type": "text",
            "title": "Financial year",
            "description": "The months of local_financial's years where not January-December.",
        },
    }
    for name, (_, what) in MILEX_MEASURES.items():
        what = what.replace("the base year", str(base_year))
        spec: dict[str, object] = {
            "type": "number",
            "title": _MILEX_TITLES[name],
            "description": what,
        }
        if name.startswith("local_"):
            spec["unit"] = "currency"
        fields[name] = spec
        fields[name + ESTIMATE] = {
            "type": "boolean",
            "title": f"{_MILEX_TITLES[name]} estimated",
            "description": "SIPRI prints the figure in blue: one of its estimates.",
        }
        fields[name + UNCERTAIN] = {
            "type": "boolean",
            "title": f"{_MILEX_TITLES[name]} uncertain",
            "description": "SIPRI prints the figure in red: highly uncertain data.",
        }
    fields |= {
        "unknown": {
            "type": "list",
            "title": "Unknown",
            "description": "The measures SIPRI gives as '. .' (data unavailable) this year.",
        },
        "not_independent": {
            "type": "list",
            "title": "Did not exist",
            "description": "The measures SIPRI gives as 'xxx': the country did not exist or "
            "was not independent during all or part of the year.",
        },
        "notes": {
            "type": "list",
            "title": "Notes",
            "ref": notes,
            "description": "SIPRI's special notes and footnotes on the country's figures.",
        },
        "total": {
            "type": "boolean",
            "title": "Total",
            "description": "True on SIPRI's regional totals (the world, a region): their "
            "figures are in the total_ fields.",
            "totals": True,
        },
    }
    for name, what in MILEX_TOTALS.items():
        what = what.replace("the base year", str(base_year))
        fields[name] = {"type": "number", "title": _MILEX_TITLES[name], "description": what}
        fields[name + UNCERTAIN] = {
            "type": "boolean",
            "title": f"{_MILEX_TITLES[name]} uncertain",
            "description": "SIPRI prints the total in red: more than 10% of it consists of "
            "estimates for countries whose data are missing.",
        }
    fields["omitted"] = {
        "type": "text",
        "title": "Omitted countries",
        "description": "Countries a regional total leaves out (too few data to estimate).",
    }
    return fields


_MILEX_TITLES = {
    "constant_usd": "US$ m. (constant)",
    "current_usd": "US$ m.",
    "local_calendar": "Local currency",
    "local_financial": "Local currency (FY)",
    "gdp_share": "Share of GDP",
    "per_capita": "Per capita US$",
    "government_share": "Share of govt. spending",
    "total_constant_usd_bn": "Total US$ b. (constant)",
    "total_current_usd_bn": "Total US$ b.",
}
MILEX_NOTES_FIELDS: dict[str, object] = {
    **_ID,
    "mark": {"type": "text", "title": "Mark", "required": True},
    "text": {"type": "text", "title": "Note", "required": True},
}
MILEX_CREDIT = "SIPRI Military Expenditure Database"


def milex_kind(ds: Dataset) -> str | None:
    """ "milex" for a dataset `import --as sipri-milex` made, "milex-notes" for its notes,
    told by their fields exactly (name, type and items; titles say the edition's base
    year); None for any other."""
    own = {
        f.name: (f.type.name, f.items.name if f.items else None)
        for f in ds.fields
        if not f.derived and f.name != SOURCES
    }
    for kind, fields in (("milex", milex_fields(0, "")), ("milex-notes", MILEX_NOTES_FIELDS)):
        declared = {
            name: (spec["type"], spec.get("items"))
            for name, spec in fields.items()
            if isinstance(spec, dict)
        }
        if own == declared:
            return kind
    return None
