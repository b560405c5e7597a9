"""geobal's public library: open the data, ask what any command asks, and get typed
results that carry their provenance. Every command of the CLI is a client of it.

    >>> import geobal
    >>> air = geobal.query("deals", where=["sector=air"])
    >>> air.to_records()          # what `geobal deals --sector air --json` prints
    >>> air.to_pandas()           # where pandas is installed

`geobal.open()` gives a `Geobal` over the bundled datasets and the user's (folders as
the CLI finds them, or as given); the module's functions open one on each call, so
they always answer from the files as they are.
"""

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, NamedTuple, ParamSpec, TypeVar

from geobal.codecs.escape import one_line
from geobal.errors import GeobalError, NotFoundError, UsageError
from geobal.fieldtypes import BOOLEAN, LIST, TEXT
from geobal.model import Dataset, Field, Record
from geobal.periods import Period
from geobal.queries import Filter as Filter
from geobal.queries import Op as Op  # the operators of `filters`, such as Op.GE
from geobal.views import BarGroup, Document, Frame, Lines, Tables, View

if TYPE_CHECKING:
    from geobal.analysis.factsheet import Table
    from geobal.analysis.military import Spending
    from geobal.analysis.register import Register
    from geobal.catalog import Catalog
    from geobal.codecs import Codec
    from geobal.context import Context
    from geobal.model import SourceIndex
    from geobal.periods import Period
    from geobal.transfer import Progress


P = ParamSpec("P")
R = TypeVar("R")

PROBLEM = Field("problem", TEXT, "Problem", "Where, and what is wrong.")


class MissingPackage(GeobalError):
    """An optional package a conversion needs and that is not installed."""


class Provenance(NamedTuple):
    """Where a result's figures come from and how far they can be trusted."""

    sources: tuple[str, ...] = ()  # ids of the sources its rows cite (geobal show sources ID)
    exact: bool | None = None  # computed exactly (True) or estimated (False); None: as stored
    covers: tuple[int, int] | None = None  # the first and last year the data cover
    partial: bool = False  # a period the data cover only in part
    credit: str | None = None  # the credit line the data's publisher asks for (SIPRI's)
    notes: tuple[str, ...] = ()  # what a reader of the figures must know


class Result:
    """What a question to geobal answers: rows under typed columns (`frame`), what a
    command hands to render (`view`, the frame itself for a listing), its provenance,
    and notes for people.

    `to_records()` gives the rows as `--json` prints them; `typed_records()` with
    Python's types (datetime.date for a full date, Decimal for a number, exactly as
    written); `to_pandas()`, `to_polars()` and `to_arrow()` where those are installed.
    """

    __slots__ = ("aside", "frame", "notes", "provenance", "view")

    def __init__(
        self,
        frame: Frame,
        provenance: Provenance = Provenance(),
        notes: tuple[str, ...] = (),
        view: View | None = None,
        aside: tuple[str, ...] = (),
    ) -> None:
        self.frame = frame
        self.provenance = provenance
        self.notes = notes  # what anyone reading the rows should be told
        self.view: View = frame if view is None else view
        self.aside = aside  # what a person at a terminal would like to know besides

    def __repr__(self) -> str:
        names = ", ".join(f.name for f in self.frame.columns)
        return f"<geobal.Result {self.frame.title!r}: {len(self)} rows of {names}>"

    def __len__(self) -> int:
        return len(self.frame.rows)

    @property
    def title(self) -> str:
        return self.frame.title

    @property
    def columns(self) -> tuple[Field, ...]:
        return self.frame.columns

    @property
    def rows(self) -> Sequence[Record]:
        return self.frame.rows

    def to_records(self) -> list[dict[str, object]]:
        """The rows as `--json` prints them: a dict a row, keys in column order, every
        column present (None where a row has no value), dates as ISO text."""
        names = [f.name for f in self.frame.columns]
        return [{name: row.get(name) for name in names} for row in self.frame.rows]

    def typed_records(self) -> list[dict[str, object]]:
        """The rows with Python's types: a date known to the day as datetime.date (one
        known to the month or year stays ISO text, "2018-10"), a number as the Decimal
        written in the data, booleans and whole numbers as they are."""
        convert = [(f.name, _typed(f)) for f in self.frame.columns]
        return [
            {name: (None if (v := row.get(name)) is None else to(v)) for name, to in convert}
            for row in self.frame.rows
        ]

    def to_arrow(self) -> Any:
        """A pyarrow.Table with a typed column a field, the provenance in its metadata."""
        from geobal.frames import arrow_table

        return arrow_table(self)

    def to_pandas(self) -> Any:
        """A pandas.DataFrame with a typed column a field (nullable integers and
        booleans, datetime64 for a column of full dates), the provenance in `.attrs`."""
        from geobal.frames import pandas_frame

        return pandas_frame(self)

    def to_polars(self) -> Any:
        """A polars.DataFrame with a typed column a field."""
        from geobal.frames import polars_frame

        return polars_frame(self)


def _typed(field: Field) -> Any:
    kind = field.type.name
    if kind == "date":
        return lambda v: dt.date.fromisoformat(v) if len(v) == 10 else v
    if kind == "number":
        from decimal import Decimal  # here: decimal costs the CLI's start-up 2 ms

        return lambda v: Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    return lambda v: v


class Geobal:
    """The datasets geobal answers from, bundled and the user's, and every question a
    command asks of them. Build one with `geobal.open()`."""

    def __init__(self, context: "Context") -> None:
        self.context = context

    @property
    def catalog(self) -> "Catalog":
        return self.context.catalog

    @property
    def paths(self) -> Any:
        """Where the bundled datasets, the user's, the config and the cache are."""
        return self.context.paths

    def query(
        self,
        dataset: str | Dataset,
        where: str | Iterable[str] = (),
        *,
        sort: str | Iterable[str] = (),
        desc: bool = False,
        limit: int | None = None,
        fields: str | Sequence[str] | None = None,
        count_by: str | None = None,
        sum: str | Iterable[str] = (),
        mean: str | Iterable[str] = (),
        min: str | Iterable[str] = (),
        max: str | Iterable[str] = (),
        search: str | None = None,
        filters: Iterable[Filter] = (),
        narrow: bool = False,
    ) -> Result:
        """A dataset's records with the CLI's query semantics: `where` conditions such
        as "sector=air" or "year>=2018" (every one must hold), `sort` fields (each next
        one breaking ties; "-year" for descending), `fields` to pick ("id,deal" or a
        list), `count_by` a field with `sum`/`mean`/`min`/`max` of others, `search`
        for text in any field, `limit` rows (0 or None: all). `filters` are the CLI's own
        (field, operator, values) filters, such as ("sector", "=", ["air", "naval"]);
        `narrow` leaves in each row only the fields the result reads and shows.

        Every parameter that takes a list (here and in every method) takes one text as
        that one item, never its letters: where="sector=air", sort="-year". A value of
        the wrong type (limit="2", limit=True, count_by=["a"]) is refused with a
        UsageError naming the parameter."""
        from geobal import given

        return self._query(
            dataset,
            where=where,
            sort=sort,
            desc=desc,
            limit=limit,
            fields=fields,
            count_by=count_by,
            aggregates=(("sum", sum), ("mean", mean), ("min", min), ("max", max)),
            search=search,
            filters=given.filters(filters, "filters"),
            narrow=narrow,
        )

    def source_index(self) -> "SourceIndex":
        """Every source by its id, and the sources dataset's fields."""
        return self.catalog.source_index()

    def names(self) -> list[str]:
        """The names of every dataset, bundled and the user's."""
        return self.catalog.names()

    def dataset(self, name: str) -> Dataset:
        """A dataset itself: its fields (name, type, title, choices), key and records."""
        return self.catalog.get(name)

    def headlines(self, dataset: str) -> dict[str, str]:
        """Each record's id and its own words (its title, name or first text)."""
        from geobal.searching import headline, headline_field

        ds = self.catalog.get(dataset)
        named = headline_field(ds)
        return {rid: headline(ds, record, named) for rid, record in ds.by_id.items()}

    def datasets(self, fields: str | Sequence[str] | None = None) -> Result:
        """Every dataset: name, title, records, fields, the date its facts run to
        (`as_of`), and when it was last updated."""
        from geobal import about

        return picked(Result(about.datasets(self.catalog)), fields)

    def describe(
        self, dataset: str, field: str | None = None, fields: str | Sequence[str] | None = None
    ) -> Result:
        """A dataset's schema, a row a field (type, required, values, meaning); with
        `field`, a choice or level field's values and what each means."""
        from geobal import about, given

        found = about.schema(self.catalog.get(dataset), given.text(field, "field"))
        return picked(Result(found), fields)

    def show(self, dataset: str, record_id: str) -> Result:
        """One record in full: its row, and (`view`) the sources it cites written out;
        for a source, the records that cite it."""
        from geobal import about, given

        view = about.record(self.catalog, dataset, given.name(record_id, "record_id"))
        frame = Frame(view.dataset.title, view.dataset.fields, [view.record])
        cited = tuple(str(s[view.source_fields[0].name]) for s in view.sources)
        return Result(frame, Provenance(sources=cited), view=view)

    def search(
        self,
        text: str,
        datasets: str | Iterable[str] = (),
        limit: int | None = None,
        fields: str | Sequence[str] | None = None,
        everything: bool = False,
    ) -> Result:
        """Every record holding `text` (any case) in any field, of `datasets`, else of
        the bundled datasets and the user's own (those a SIPRI import made, such as a
        register, too with `everything`): its dataset, id, date where it has one, own
        words, the fields that matched and the text around the match; at most `limit`
        (0 or None: all)."""
        from geobal import about, given

        if not isinstance(text, str):
            raise UsageError(f"text takes the text to search for, not {text!r}")
        found = tuple(given.items(datasets, "datasets"))
        frame, counts, left = about.search(
            self.catalog,
            text,
            found,
            given.whole(limit, "limit"),
            given.flag(everything, "everything"),
        )
        each = ", ".join(f"{name} {n:,}" for name, n in counts.most_common())
        total = counts.total()
        unsearched = []
        if left:
            some = f"{len(left)} dataset{'s' if len(left) != 1 else ''}"
            unsearched.append(
                f"not searched: {some} a SIPRI import made ({', '.join(left)}); "
                "--all searches them too, --dataset NAME one of them"
            )
        if len(frame.rows) < total:
            said = f"matches by dataset: {each}; showing the first {len(frame.rows):,} (--limit)"
            return picked(Result(frame, notes=(said,), aside=tuple(unsearched)), fields)
        matched = [f"matches by dataset: {each}"] if total else []
        return picked(Result(frame, aside=(*matched, *unsearched)), fields)

    # --- changes to the user's datasets, each through the one write path ---

    def new(
        self, dataset: str, fields: str | Sequence[str] = (), title: str | None = None
    ) -> Result:
        """A new dataset of the user's, with `fields` given as the CLI's --field takes
        them ("item:text!", "priority:level=low,high"; one as text is that one). A
        dataset of the user's that has no records yet takes `fields` as more fields."""
        from geobal import edit, given

        specs = given.items(fields, "fields")
        # a dataset of the user's with no records yet takes more fields (edit.more_fields)
        existed = os.path.lexists(self.catalog.user_path(dataset))
        path = edit.scaffold(self.catalog, dataset, specs, given.text(title, "title"))
        if existed:
            names = ", ".join(edit.parse_field_spec(spec)[0] for spec in specs)
            return _done([], f"added {names} to the fields of {one_line(path)}")
        return _done([], f"created {one_line(path)}")

    def add(
        self,
        dataset: str,
        values: str | Sequence[str],
        *,
        replace: bool = False,
        force: bool = False,
    ) -> Result:
        """Add a record, its `values` given as the CLI's --set takes them ("FIELD=VALUE",
        a list's items separated by ';'; one as text is that one); with `replace`, over
        the record of its id."""
        from geobal import edit, given

        written = edit.add(
            self.catalog,
            dataset,
            given.items(values, "values"),
            given.flag(replace, "replace"),
            given.flag(force, "force"),
            self.context.say,
        )
        rid = (written.added or written.replaced)[0]
        verb = "added" if written.added else "replaced"
        return _done([rid], f"{verb} {rid} in {one_line(written.path)}")

    def set(
        self,
        dataset: str,
        record_id: str,
        changes: str | Sequence[str],
        *,
        force: bool = False,
    ) -> Result:
        """Change fields of a record ("FIELD=VALUE" each; one as text is that one),
        keeping the others; a bundled record is first copied into the user's file."""
        from geobal import edit, given

        changed = edit.set_fields(
            self.catalog,
            dataset,
            record_id,
            given.items(changes, "changes"),
            given.flag(force, "force"),
            self.context.say,
        )
        notes = []
        if changed.copied:
            notes.append(f"copied the bundled record {changed.rid} into {one_line(changed.path)}")
        if changed.fields:
            notes.append(
                f"changed {', '.join(changed.fields)} of {changed.rid} in {one_line(changed.path)}"
            )
        if changed.same:
            notes.append(
                f"{', '.join(changed.same)} of {changed.rid} had "
                f"{'that value' if len(changed.same) == 1 else 'those values'} already"
                + ("; nothing was written" if not changed.fields else "")
            )
        return _done([changed.rid], *notes)

    def remove(
        self,
        dataset: str,
        ids: str | Sequence[str] = (),
        *,
        where: str | Sequence[str] = (),
        yes: bool = False,
        force: bool = False,
    ) -> Result:
        """Remove records of the user's, all or none: those `ids`, or those `where`
        matches (which needs `yes`). Bundled records stay."""
        from geobal import edit, given
        from geobal.schema import USER

        # one id given as text is that id, never its letters (which may name other records)
        ids = given.items(ids, "ids")
        where = given.items(where, "where")
        yes, force = given.flag(yes, "yes"), given.flag(force, "force")
        if where:
            if ids:
                raise UsageError("give ids or --where, not both")
            ds = self.catalog.get(dataset)
            frame = self.query(ds.name, where, fields=ds.key).frame
            matched = [str(r[ds.key]) for r in frame.rows]
            ids = [rid for rid in matched if ds.by_id[rid].get("origin") == USER]
            bundled = len(matched) - len(ids)
            also = f"; {bundled} bundled records match too, which stay" if bundled else ""
            if not ids:
                return _done([], f"no record of yours in {ds.name} matches{also}")
            if not yes:
                shown = ", ".join(ids[:10]) + (
                    f" and {len(ids) - 10} more" if len(ids) > 10 else ""
                )
                raise UsageError(
                    f"--where matches {len(ids)} of your records in {ds.name} ({shown}){also}",
                    "pass --yes to remove them",
                )
        if not ids:
            raise UsageError("give the ids to remove, or --where EXPR --yes")
        path, revealed = edit.remove_many(self.catalog, dataset, ids, force, self.context.say)
        notes = [f"removed {', '.join(dict.fromkeys(ids))} from {one_line(path)}"]
        if revealed:
            noun = "records" if len(revealed) > 1 else "record"
            notes.append(f"the bundled {noun} {', '.join(revealed)} shows again")
        return _done([], *notes)

    def import_(
        self,
        file: str | Path | bytes,
        into: str | None = None,
        *,
        as_: str | None = None,
        mapping: Mapping[str, str] | None = None,
        sources: str | Sequence[str] = (),
        replace: bool = False,
        format: str | None = None,
        delimiter: str | None = None,
        force: bool = False,
        allow_smaller: bool = False,
        name: str | None = None,
        progress: "Progress | None" = None,
    ) -> Result:
        """Rows from `file` (a path, or the bytes of one, named by `name`) into the
        dataset `into`, every row checked before anything is written; or, with `as_`
        ("sipri", "sipri-tiv"), a SIPRI export as a dataset of its own, replaced whole; a
        SIPRI export given without `as_` is recognised and read so. `mapping` maps
        columns to fields; `sources` (one as text is that one) are cited by every row."""
        from geobal import codecs, transfer
        from geobal.given import choice, filled, flag, items, path, text
        from geobal.given import mapping as mapped

        columns, cited = mapped(mapping, "mapping"), items(sources, "sources")
        replace, force = flag(replace, "replace"), flag(force, "force")
        allow_smaller = flag(allow_smaller, "allow_smaller")
        as_ = choice(as_, "as_", (str(shape) for shape in transfer.As))
        format = choice(format, "format", (c.name for c in codecs.readable()))
        delimiter, name = text(delimiter, "delimiter"), text(name, "name")
        into = filled(into, "into", "--into", "a dataset's name")
        if not isinstance(file, bytes):
            file = str(path(file, "file", required=True))
        if isinstance(file, bytes):
            data, given = file, name or "-"
            where = "standard input" if given == "-" else one_line(given)
        else:
            from geobal.files import read_bytes

            data, given = read_bytes(Path(file)), str(file)
            where = one_line(given)
        # a SIPRI export given without --as is read as its --as would read it, and said so
        found = transfer.recognised(data, where, mapped=bool(columns)) if as_ is None else None
        door = (
            [] if found is None else [f"{where} is a SIPRI export: read as with --as {found.as_}"]
        )
        if found is not None:
            as_ = str(found.as_)
        if as_ is not None:
            rows_only = [
                option
                for option, value in (
                    ("--map", columns),
                    ("--source", cited),
                    ("--replace", replace),
                    ("--format", format),
                    ("--delimiter", delimiter),
                )
                if value
            ]
            if rows_only:
                what = (
                    f"{where} is SIPRI's {found.kind}, read as with --as {as_}: " if found else ""
                )
                raise UsageError(
                    f"{what}{', '.join(rows_only)} "
                    f"{'applies' if len(rows_only) == 1 else 'apply'} "
                    f"to rows, not to --as {as_}: a SIPRI export's columns, source and format "
                    "are its own, and it replaces the dataset whole",
                    "leave them out",
                )
        elif allow_smaller:
            raise UsageError(
                "--allow-smaller applies to --as imports, which replace a dataset whole",
                "rows are added, or with --replace put in place of their own ids",
            )
        request = transfer.Request(
            data,
            given,
            where,
            into,
            columns,
            tuple(dict.fromkeys(cited)),  # a source given twice is cited once
            replace,
            format,
            force,
            self.context.say,
            allow_smaller,
            delimiter,
        )
        importer = transfer.importer(None if as_ is None else transfer.As(as_))
        done = importer(self.catalog, request, progress or transfer.QUIET)
        return _done([], *door, *done.lines)

    def export(
        self,
        datasets: str | Sequence[str] = (),
        format: str | None = None,
        output: str | Path | None = None,
        *,
        for_spreadsheet: bool = False,
        force: bool = False,
    ) -> Result:
        """Datasets whole, bundled and the user's records merged: one in a text format
        (TOML, which geobal reads back, or its records as JSON, JSON Lines, CSV, TSV),
        to `output` or, where that is None or "-", as the result's view (a Document);
        any number (all when none is named) as SQLite or Parquet files. The format is
        `format`, else what `output`'s extension names, else TOML. One dataset named as
        text is that one."""
        from geobal import codecs, given
        from geobal.transfer.export import export, export_format

        names = given.items(datasets, "datasets")
        for_spreadsheet = given.flag(for_spreadsheet, "for_spreadsheet")
        force = given.flag(force, "force")
        format = given.choice(format, "format", (c.name for c in codecs.exportable()))
        out = given.path(output, "output")
        fmt = export_format(format, out)
        codec = codecs.CODECS[fmt]
        if out not in (None, "-") and (read := self._read_by_geobal(Path(out))):
            raise UsageError(
                f"{one_line(out)} is {read}, which geobal reads: export does not write over it",
                "write the export to a file of its own",
            )
        if codec.file:
            if for_spreadsheet:
                raise UsageError(
                    f"--for-spreadsheet makes CSV safe to open in a spreadsheet; {fmt} is not CSV",
                    "leave it out",
                )
            return _done([], *codec.write_file(self.catalog, names, out, force, self.context.say))
        if not names:
            raise UsageError(
                "name a dataset to export (geobal datasets lists them)",
                "or export them all with --format sqlite or --format parquet",
            )
        if len(names) != 1:
            raise UsageError(
                f"--format {fmt} exports one dataset; {len(names)} given",
                "name one dataset, or use --format sqlite or parquet for several",
            )
        to_file = out not in (None, "-")  # - is standard output, as `import -` reads stdin
        if force and not to_file:
            raise UsageError(
                "--force replaces a file there: standard output has none", "leave it out"
            )
        ds = self.catalog.get(names[0])
        chunks = export(ds, fmt, for_spreadsheet)
        if out is None or not to_file:
            return Result(codecs.records_frame(ds), view=Document(chunks))
        from geobal.store import atomic_write
        from geobal.transfer.bridges import refuse_over

        if Path(out).is_file():  # a folder and the like: atomic_write says what it is
            refuse_over(Path(out), force)

        atomic_write(Path(out), "".join(chunks), say=self.context.say, forced_by=None)
        return _done([], f"wrote {len(ds.records)} records to {one_line(out)}")

    def _read_by_geobal(self, path: Path) -> str | None:
        """What `path` is, if it is a file geobal reads (a dataset file of the user's or
        geobal's, the config file); else None."""
        real = path.resolve()
        if real == self.context.paths.config.resolve():
            return "geobal's config file"
        catalog = self.catalog
        for folder, whose in ((catalog.user, "your"), (catalog.bundled, "a bundled")):
            if folder is not None and real.suffix == ".toml" and real.parent == folder.resolve():
                return f"{whose} dataset file {real.stem}"
        return None

    def validate(self, paths: str | Path | Sequence[str | Path] = ()) -> Result:
        """Every problem of the dataset files at `paths` (files or folders, one or a list;
        every dataset when none), a row each; notes say what was checked. No rows: sound."""
        from geobal import given

        checked, problems, notes = self.catalog.validate(given.paths(paths, "paths"))
        files = f"{checked} file{'s' if checked != 1 else ''}"
        if not problems:
            said = f"{files} checked: no problems"
        else:
            said = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files}"
        rows: list[Record] = [{"problem": p} for p in problems]
        frame = Frame("Problems", (PROBLEM,), rows, ("problem", "problems"))
        return Result(frame, notes=(*notes, said), view=Lines(problems))

    def sources(self, /, datasets: str | Iterable[str] = (), **options: Any) -> Result:
        """The sources, or those the records of `datasets` (one, or a list) cite (any of
        them), with the query options of `query`."""
        from geobal import given
        from geobal.schema import SOURCES, cited

        ds = self.catalog.get(SOURCES)
        named = given.items(datasets, "datasets")
        chosen = [self.catalog.get(name) for name in dict.fromkeys(named)]
        if chosen:
            ids = {s for one in chosen for record in one.records for s in cited(record)}
            ds = ds.with_records([r for r in ds.records if r[ds.key] in ids])
        return self._run(ds, options)

    def _publishers(self, cited: Iterable[str]) -> str:
        """A chart's line of sources: who published them, each once, A to Z, as people
        name them (a source's publisher, else its title, else its id), not geobal's ids."""
        return f"Sources: {self._published_by(cited)}"

    def _published_by(self, cited: Iterable[str]) -> str:
        """The publishers of the sources `cited`, each once, A to Z, as people name them."""
        from geobal.schema import SOURCES

        entries = self.catalog.get(SOURCES).by_id
        names = {
            str(next((v for k in ("publisher", "title") if (v := entry.get(k))), s))
            for s in cited
            for entry in [entries.get(s, {})]
        }
        return ", ".join(sorted(names, key=str.casefold))

    def _run(self, ds: "Dataset", options: dict[str, Any], own: Iterable["Filter"] = ()) -> Result:
        """`query` on a dataset built here rather than found by name, with the caller's
        `options` and the method's `own` filters (where a None or no values is none)."""
        from geobal import given

        aggregates = tuple((how, options.pop(how, ())) for how in ("sum", "mean", "min", "max"))
        return self._query(
            ds,
            where=options.pop("where", ()),
            sort=options.pop("sort", ()),
            desc=options.pop("desc", False),
            limit=options.pop("limit", None),
            fields=options.pop("fields", None),
            count_by=options.pop("count_by", None),
            aggregates=aggregates,
            search=options.pop("search", None),
            filters=[*given.filters(options.pop("filters", ()), "filters"), *own],
            narrow=options.pop("narrow", False),
            **options,
        )

    def _query(
        self,
        dataset: str | Dataset,
        *,
        where: Iterable[str],
        sort: Iterable[str],
        desc: bool,
        limit: int | None,
        fields: str | Sequence[str] | None,
        count_by: str | None,
        aggregates: Iterable[tuple[str, Iterable[str]]],
        search: str | None,
        filters: Iterable[Filter],
        narrow: bool = False,
    ) -> Result:
        from geobal import given, queries

        ds = dataset if isinstance(dataset, Dataset) else self.catalog.get(dataset)
        q = queries.build(
            ds,
            where=tuple(given.items(where, "where")),  # one condition as text is that one
            filters=filters,
            search=given.filled(search, "search", "--search", "some text to look for"),
            sort=tuple(given.items(sort, "sort")),
            desc=given.flag(desc, "desc"),
            limit=given.whole(limit, "limit"),
            fields=_fields(fields),
            count_by=given.filled(count_by, "count_by", "--count-by", "a field to count by"),
            aggregates=[
                (how, name) for how, names in aggregates for name in given.items(names, how)
            ],
        )
        frame = queries.run(ds, q, given.flag(narrow, "narrow"))
        cited = _cited(frame.rows)
        credit = None
        if q.grouped:  # figures geobal computed: credited as the data's publisher asks
            from geobal.analysis.register import credit_of

            if credit := credit_of(ds):
                line = f"{credit}; the figures are geobal's."
                frame = queries.credited(frame, credit, line, q.fields is None)
        return Result(frame, Provenance(sources=cited, credit=credit))

    # --- analyses ---
    # every analysis a command asks for; their helpers are at the end of the module

    def shares(
        self,
        recipient: str | None = None,
        *,
        supplier_of: str | None = None,
        period: str | Period | Sequence[str | Period] | None = None,
        start: int | None = None,
        end: int | None = None,
        periods: str | Period | Sequence[str | Period] | None = None,
        step: int | None = None,
        compare: str | Sequence[str | Period] | None = None,
        by: str | None = None,
        successors: bool = False,
        partial: bool = False,
        dataset: str = "transfers",
        volumes: str | None = None,
        check: bool = False,
        fields: str | Sequence[str] | None = None,
        chart: bool = True,
    ) -> Result:
        """Who supplies `recipient`'s arms (or, `supplier_of`, whom a supplier arms), from
        an imported SIPRI trade register: each party's share over `period` (by default the
        last five years the data cover; `start`/`end` are the CLI's --from/--to), period by
        period (`periods`, cut into `step` years where one period is given), or periods side
        by side (`compare`, or several periods in `period`). `by="category"` breaks them down
        by armament category; `check` sets the recipient's yearly totals beside SIPRI's
        import-volume table `volumes` (default "tiv"), or the supplier's beside its
        export-volume table (default "tiv-exports"). Periods are typed as "2019-23",
        "2019-2023", "2021" or lists "2014-18,2019-23", or given as Period values. For India,
        a five-year period is shown beside the share SIPRI published (`published`). `chart`:
        the view is bars."""
        from geobal import given
        from geobal.analysis import published, register
        from geobal.analysis import shares as figures
        from geobal.analysis.parties import SUCCESSORS
        from geobal.fieldtypes import TEXT
        from geobal.periods import Period, compared, fitted, steps, year
        from geobal.views import Chart, Figure, Matrix

        recipient, supplier_of = (
            given.filled(recipient, "recipient", "--recipient", COUNTRY),
            given.filled(supplier_of, "supplier_of", "--supplier-of", COUNTRY),
        )
        start = year(given.whole(start, "start"), "--from")
        end, step = year(given.whole(end, "end"), "--to"), given.whole(step, "step")
        dataset = given.name(dataset, "dataset")
        volumes = None if volumes is None else given.name(volumes, "volumes")
        successors, partial = given.flag(successors, "successors"), given.flag(partial, "partial")
        check, chart = given.flag(check, "check"), given.flag(chart, "chart")
        if (recipient is None) == (supplier_of is None):
            raise UsageError("give --recipient NAME or --supplier-of NAME (one of them)")
        if by not in (None, "category"):
            raise UsageError(f"--by takes category, not {by!r}")
        asked = [
            flag
            for flag, given in (
                ("--period", period is not None),
                ("--from or --to", start is not None or end is not None),
                ("--periods", periods is not None),
                ("--compare", compare is not None),
            )
            if given
        ]
        if len(asked) > 1:
            raise UsageError(
                f"{' and '.join(asked)} each say the years: give one of them",
                "--period 2019-23 (or 2014-18,2019-23 side by side), --from and --to, "
                "--periods 2004-23 --step 5, or --compare 2014-18,2019-23",
            )
        chosen = None if period is None else _periods(period, "--period")
        if chosen is not None and len(chosen) > 1:
            compare = compared(chosen, "--period")
        if compare is not None and check:
            raise UsageError("--compare names its periods itself: not with --check")
        if step is not None and periods is None:
            raise UsageError("--step sets the years of a period of --periods", "give --periods too")
        reg = _register(self, dataset)
        who, party = (
            ("recipient", "supplier") if recipient is not None else ("supplier", "recipient")
        )
        name = register.named(reg, who, str(recipient or supplier_of))
        if not check:  # a check may keep to the one partner a register holds whole
            register.whole(reg, who)
        joined = SUCCESSORS if successors else None
        if by is not None:
            if not reg.exact:
                raise UsageError(
                    "--by category needs the per-year export: the legacy register has no "
                    "armament categories",
                    "import the per-year export with: geobal fetch sipri",
                )
            party = by
        # each once, as provenance's
        notes: tuple[str, ...] = (reg.how, f"source: {', '.join(reg.sources)}")
        what = f"{dataset!r}"
        source = register.source_line(reg, self._published_by(reg.sources))
        if compare is not None:
            sides = compared(compare)
            spans = [register.span(reg, p, partial, what) for p in sides]
            frame = _selected(figures.compare(reg, who, name, party, spans, joined, source), fields)
            named = Field(party, TEXT, party.capitalize())
            view = frame if fields is not None else _compared(frame, named, _labels(spans), chart)
            return Result(frame, _from_register(reg, spans), notes, view)
        if periods is not None:
            cut = _periods(periods, "--periods")
            if len(cut) == 1:
                whole = cut[0]
                each = (5 if whole.length >= 5 else whole.length) if step is None else step
                covers = None if partial else reg.covers
                cut = steps(whole, each, covers)
                if covers is not None and not (
                    covers[0] <= whole.first and whole.last <= covers[1]
                ):
                    inside = fitted(whole, each, covers)
                    raise UsageError(
                        f"--periods {whole} reaches beyond the years {what} covers, "
                        f"{Period(*covers)}",
                        (f"ask for --periods {inside}, or " if inside else "")
                        + "pass --partial to mark the periods it covers only in part",
                    )
            elif step is not None:
                raise UsageError("--step cuts one period of --periods: not a list of them")
            spans = [register.span(reg, p, partial, what) for p in cut]
            frame = figures.moves(reg, who, name, party, spans, joined)
            provenance = _from_register(reg, spans)
            if fields is not None:
                frame = _selected(frame, fields)
                return Result(frame, provenance, notes)
            partly = next((p for p in spans if p.partial), None)
            drawn = register.caption(reg, partly, joined, chart=True)
            if len(spans) == 1:
                # one period: a bar a supplier, each named on its axis, as the chart of
                # --from/--to draws it (colours would need a legend of as many)
                one = f"{spans[0].label}; {source}"
                figure = Figure(party, "share", percent=True, notes=(one,), caption=drawn)
            else:
                figure = Figure(
                    "period", "share", color=party, percent=True, notes=(source,), caption=drawn
                )
            frame = frame._replace(figure=figure)
            return Result(frame, provenance, notes, Matrix(frame, party, "period", "share", chart))
        if chosen is not None:
            start, end = chosen[0].first, chosen[0].last
        elif start is not None and end is not None and start > end:
            raise UsageError(f"--from {start} is after --to {end}")
        covers = reg.covers or (0, 0)
        last = end if end is not None else covers[1]
        first = start if start is not None else max(covers[0], last - 4)
        if first > last:
            raise _inverted(first, last, start, end)
        asked_period = register.span(reg, Period(first, last), partial, what)
        if check:
            exports = who == "supplier"
            kind, how, read = (
                ("export-volume table", register.IMPORT_EXPORT_VOLUMES, register.export_volumes)
                if exports
                else ("import-volume table", register.IMPORT_VOLUMES, register.volumes)
            )
            volumes = volumes if volumes is not None else "tiv-exports" if exports else "tiv"
            try:
                table = self.catalog.get(volumes)
            except UsageError:
                raise UsageError(
                    f"no dataset {volumes!r}: --check compares with SIPRI's {kind}",
                    f"import it with: {how}",
                ) from None
            asked_period = register.narrowed(asked_period, read(table), partial)
            partner = _scoped_partner(reg, table, who)
            register.whole(reg, who, partner)
            checked = figures.check(reg, name, table, asked_period, joined, partner, who)
            frame = _selected(checked, fields)
            provenance = _from_register(reg, [asked_period])
            # exports of different dates explain a difference; where none goes beyond
            # SIPRI's rounding of each year's figure, there is nothing to explain
            if figures.differs(checked) and (
                versions := _versions(self, reg, [(table.name, _cited(table.records))])
            ):
                notes += (versions,)
                provenance = provenance._replace(notes=(*provenance.notes, versions))
            return Result(frame, provenance, notes)
        shown = None
        # the bundled suppliers dataset has SIPRI's published shares of India's imports
        five_years = asked_period.length == 5 and not asked_period.partial
        if by is None and who == "recipient" and name == "India" and five_years:
            bundled = self.catalog.get("suppliers")
            shown = published.published_shares(bundled, asked_period.label) or None
        frame = figures.shares(reg, who, name, party, asked_period, shown, joined)
        frame = frame._replace(
            figure=Figure(
                party,
                "share",
                percent=True,
                notes=(f"{asked_period.label}; {source}",),
                caption=register.caption(reg, asked_period, joined, chart=True),
            )
        )
        provenance = _from_register(reg, [asked_period])
        if fields is not None or not (chart and frame.rows):
            frame = _selected(frame, fields)
            return Result(frame, provenance, notes)
        view = Chart(frame.title, [_share_bars(frame, party, asked_period.label)], frame)
        return Result(frame, provenance, notes, view)

    def spending(
        self,
        countries: str | Sequence[str] = (),
        *,
        start: int | None = None,
        end: int | None = None,
        measures: str | Sequence[str] = ("constant",),
        top: int | None = None,
        year: int | None = None,
        change: bool = False,
        dataset: str = "milex",
        fields: str | Sequence[str] | None = None,
    ) -> Result:
        """Military spending from SIPRI's Military Expenditure Database, imported with
        `geobal import FILE.xlsx --as sipri-milex` as `dataset`: each of `countries`' figures
        year by year from `start` to `end` (the CLI's --from/--to; by default from the first
        year with a figure to the last the data cover), one column a measure (constant,
        current, gdp, per-capita, government, local, local-fy); the `top` spenders of
        `year` with their share of the world; or with `change` the change from the first
        year to the last. Every figure is exact as stored, with SIPRI's marks."""
        from geobal import given
        from geobal.analysis import spending as sp
        from geobal.periods import year as a_year
        from geobal.shapes import MILEX_CREDIT

        names = [countries] if isinstance(countries, str) else given.items(countries, "countries")
        asked = [measures] if isinstance(measures, str) else given.items(measures, "measures")
        start, end = (
            a_year(given.whole(start, "start"), "--from"),
            a_year(given.whole(end, "end"), "--to"),
        )
        top, year = given.whole(top, "top"), a_year(given.whole(year, "year"), "--year")
        change = given.flag(change, "change")
        dataset = given.name(dataset, "dataset")
        unknown = [m for m in asked if m not in sp.MEASURES]
        if unknown:
            raise UsageError(
                f"--measure takes {', '.join(sp.MEASURES)}, not {unknown[0]!r}",
            )
        if not asked:
            asked = ["constant"]
        if len(set(asked)) < len(asked):
            raise UsageError("--measure names a measure twice: give each once")
        picked = [sp.MEASURES[m] for m in asked]
        if len(set(names)) < len(names):
            raise UsageError("--country names a country twice: give each once")
        try:
            ds = self.catalog.get(dataset)
        except UsageError:
            raise UsageError(
                f"no dataset {dataset!r}: spending reads SIPRI's military expenditure "
                "workbook, imported (the bundled dataset 'spending' holds India's figures "
                "as the news reported them: geobal query spending)",
                sp.IMPORT,
            ) from None
        ref = ds.field_map["notes"].ref if "notes" in ds.field_map else None
        notes = self.catalog.get(ref) if ref and ref in self.catalog.names() else None
        m = sp.milex_of(ds, notes)
        found = [m.country(n) for n in names]
        if len(set(found)) < len(found):
            raise UsageError("--country names one country twice: give each once")
        first_covered, last_covered = m.covers
        for option, value in (("--from", start), ("--to", end), ("--year", year)):
            if value is not None and not first_covered <= value <= last_covered:
                raise UsageError(
                    f"{option} {value} is outside the years {dataset!r} covers, "
                    f"{first_covered}-{last_covered}"
                )
        if top is not None or year is not None:
            if change:
                raise UsageError("--top ranks one year: not with --change")
            if names:
                raise UsageError(
                    "--top ranks every country: not with --country",
                    "leave out --country, or --top to see the countries' series",
                )
            if start is not None or end is not None:
                raise UsageError("--top ranks one year: give it with --year, not --from/--to")
            if len(picked) > 1:
                raise UsageError("--top ranks by one measure: give --measure once")
            if top is None:
                raise UsageError("--year is the year of --top: give --top N too")
            if top < 1:
                raise UsageError(f"--top must be 1 or more, not {top}")
            when = year if year is not None else sp.last_world_year(m)
            marked = sp.top(m, when, picked[0], top)
        else:
            if not names:
                raise UsageError(
                    "give --country NAME (or --top N for the largest spenders)",
                    "geobal spending --country India",
                )
            last = end if end is not None else last_covered
            if start is None:
                firsts = [y for c in found if (y := sp.first_year(m, c, picked[0])) is not None]
                # a country with no figure at all (one that did not yet exist) is
                # shown over every year, each saying why it has none
                firsts = firsts or [first_covered]
                first = min(firsts)
            else:
                first = start
            if first > last:
                raise _inverted(first, last, start, end)
            if change:
                marked = sp.change(m, found, picked, first, last)
            else:
                marked = sp.series(m, found, picked, first, last)
        frame = _selected(marked.frame, fields)
        provenance = Provenance(sources=tuple(m.sources), covers=m.covers, credit=MILEX_CREDIT)
        view = frame if fields is not None else marked
        return Result(frame, provenance, (), view)

    def pipeline(
        self,
        recipient: str,
        *,
        orders: bool = False,
        everything: bool = False,
        successors: bool = False,
        dataset: str = "transfers",
        fields: str | Sequence[str] | None = None,
    ) -> Result:
        """The arms `recipient` has ordered and not yet received, from the legacy register:
        by supplier, or with `orders` each order; orders whose last delivery (or order) is
        older than the data's last five years are left out, unless `everything`."""
        from geobal import given
        from geobal.analysis import register
        from geobal.analysis.parties import SUCCESSORS
        from geobal.analysis.pipeline import pipeline

        orders, everything = given.flag(orders, "orders"), given.flag(everything, "everything")
        successors = given.flag(successors, "successors")
        recipient = given.name(recipient, "recipient")
        given.filled(recipient, "recipient", "--recipient", COUNTRY)
        reg = _register(self, dataset)
        register.whole(reg, "recipient")
        name = register.named(reg, "recipient", recipient)
        recent = None if everything or reg.covers is None else reg.covers[1] - 4
        frame = pipeline(reg, name, recent, orders, SUCCESSORS if successors else None)
        notes = (f"source: {', '.join(reg.sources)}",)
        return Result(_selected(frame, fields), _from_register(reg)._replace(notes=()), notes)

    def factsheet(
        self,
        *,
        period: str | Period | Sequence[str | Period] | None = None,
        top: int = 10,
        importers: bool = False,
        exporters: bool = False,
        recipients: str | Sequence[str] | None = None,
        volumes: str = "tiv",
        dataset: str = "transfers",
        fields: str | Sequence[str] | None = None,
        export_volumes: str = "tiv-exports",
    ) -> Result:
        """The fact sheet's tables for `period` (by default the last five years the data
        cover; several periods give a table each, one after another): the largest importers
        (from SIPRI's import-volume table `volumes`) and exporters (from SIPRI's
        export-volume table `export_volumes` where it is imported, exact; else from the
        trade register `dataset`), each against the period of the same length before, or
        the group of `recipients`."""
        from geobal import given
        from geobal.analysis import factsheet as sheet
        from geobal.analysis import register
        from geobal.analysis.parties import resolve

        asked = None if period is None else _periods(period, "--period")
        importers, exporters = (
            given.flag(importers, "importers"),
            given.flag(exporters, "exporters"),
        )
        top = given.whole(top, "top") or 0
        if top < 1:
            raise UsageError(f"--top must be 1 or more, not {top}")
        table = _volume_table(self, given.name(volumes, "volumes"))
        exports = _volume_table(self, given.name(export_volumes, "export_volumes"), True)
        reg = _optional_register(self, dataset)
        if reg is not None:  # its partners rank every country's, so it must hold them all
            register.whole(reg, None)
        # text is the CLI's --recipients, comma-separated, as --fields is
        typed = (
            recipients.split(",")
            if isinstance(recipients, str)
            else given.items(recipients, "recipients")
        )
        group = [n.strip() for n in typed if n.strip()]
        if recipients is not None and not group:
            raise UsageError("--recipients needs names, comma-separated")
        if group:
            if exporters:
                raise UsageError("--recipients makes a group of importers: leave out --exporters")
            importers = True
            # names as SIPRI gives them, in the volume table or the register
            known = set(table.by_party) if table is not None else set()
            if reg is not None:
                known |= {str(v) for v in reg.distinct("recipient") if v is not None}
            group = [resolve("recipient", n, sorted(known)) for n in group]
        covers = table.covers if table is not None else (reg.covers if reg else None)
        if covers is None:
            raise UsageError(
                "the fact sheet needs SIPRI's data: import the import-volume table and a "
                "trade register",
                f"{register.IMPORT_VOLUMES}; {register.IMPORT_REGISTER}",
            )
        chosen = [Period(covers[1] - 4, covers[1])] if asked is None else asked
        notes: tuple[str, ...] = ()
        if not importers and not exporters:
            importers = True
            exporters = reg is not None
            if reg is None:
                notes = (
                    f"no exporters' table: it needs a trade register ({register.IMPORT_REGISTER})",
                )
        sides = [
            s for s, asked in ((sheet.IMPORTERS, importers), (sheet.EXPORTERS, exporters)) if asked
        ]
        made, parts = [], []
        for one in chosen:
            frames = sheet.tables(table, reg, sides, one, top, group, exports)
            if len(frames) == 1:
                made.append(frames[0])
                parts.append(frames[0])
            else:
                listing, tables = sheet.both(frames[0], frames[1], one)
                made.append(listing)
                parts += tables
        frame = made[0]
        if len(made) > 1:
            # for scripts, every period's rows in one listing, whose period column says whose
            shown = frame.table_columns or tuple(f.name for f in frame.columns)
            frame = frame._replace(
                title="; ".join(f.title for f in made),
                rows=[r for f in made for r in f.rows],
                table_columns=("period", *(c for c in shown if c != "period")),
                figure=None,
            )
        # the sources of the data the figures come from: the volume table where it gave
        # totals (an exporters' table may take only the register's), the register's always
        # where there is one (partners, exporters)
        used = table is not None and (
            importers or any(repr(table.name) in str(r.get("totals_from")) for r in frame.rows)
        )
        cited = [*(table.sources if table is not None and used else ())]
        exports_used = exports is not None and any(
            repr(exports.name) in str(r.get("totals_from")) for r in frame.rows
        )
        if exports is not None and exports_used:
            cited += exports.sources
        cited += reg.sources if reg is not None else []
        exact = sheet.exact(reg, frame.rows, exporters)
        said: tuple[str, ...] = () if exact else (register.EXACT_FROM,)
        # the partners are the register's, the totals a table's: say where the two may be
        # different versions of SIPRI's database
        beside = [t for t, is_used in ((table, used), (exports, exports_used)) if t and is_used]
        if reg is not None and (
            versions := _versions(self, reg, [(t.name, t.sources) for t in beside])
        ):
            said += (versions,)
        notes = (*notes, *said)
        provenance = Provenance(
            sources=tuple(dict.fromkeys(cited)),
            exact=exact,
            covers=covers,
            credit=register.CREDIT,
            notes=said,
        )
        picked = _selected(frame, fields)
        # for people, a table a period and side (as --help says), each with its own rows,
        # title and caption, the lines they all end with said once, under the last; the
        # title says the side, so a `side` asked for in --fields is for scripts only
        shown_fields = _fields(fields)
        if shown_fields is not None and len(sides) > 1:
            shown_fields = ",".join(n for n in shown_fields.split(",") if n.strip() != "side")
        parts = [
            *(p._replace(caption=sheet.without_closing(p.caption)) for p in parts[:-1]),
            parts[-1],
        ]
        # one table a Tables too: in Markdown it keeps its heading, which names the period
        view = Tables(picked, [_selected(p, shown_fields) for p in parts]) if parts else None
        return Result(picked, provenance, notes, view)

    def suppliers(
        self,
        *,
        period: str | Period | Sequence[str | Period] | None = None,
        supplier: str | Sequence[str] | None = None,
        sheet: int | None = None,
        compare: str | Sequence[str | Period] | None = None,
        chart: bool = True,
        where: str | Iterable[str] = (),
        sort: str | Iterable[str] = (),
        desc: bool = False,
        limit: int | None = None,
        fields: str | Sequence[str] | None = None,
        count_by: str | None = None,
        sum: str | Iterable[str] = (),
        mean: str | Iterable[str] = (),
        min: str | Iterable[str] = (),
        max: str | Iterable[str] = (),
    ) -> Result:
        """Each supplier's share of India's arms imports per SIPRI period, as SIPRI
        published them (the bundled suppliers dataset): each figure as its latest release
        gives it, or as `sheet`'s release did; only the `period`s and `supplier`s given
        (each any of several); or periods side by side (`compare`). Query options as
        `query`'s. `chart`: the view is bars per period."""
        from geobal import given
        from geobal.analysis import published
        from geobal.analysis.compare import side_by_side
        from geobal.periods import compared
        from geobal.queries import Op
        from geobal.views import NOT_REPORTED, Chart, Figure

        ds = published.suppliers(self.catalog.get("suppliers"))
        supplier_field = ds.field_map["supplier"]
        wanted = given.items(supplier, "supplier")
        sheet, chart = (
            published.release(ds, given.whole(sheet, "sheet")),
            given.flag(chart, "chart"),
        )
        grouped = count_by is not None or any(tuple(v) for v in (sum, mean, min, max))
        if compare is not None:
            ignored = [
                flag
                for flag, given in (
                    ("--period", period is not None),
                    ("--supplier", bool(wanted)),
                    ("--where", bool(tuple(where))),
                    ("--sort", bool(tuple(sort)) or desc),
                    ("--limit", limit is not None),
                    ("--count-by and the aggregates", grouped),
                )
                if given
            ]
            if ignored:
                raise UsageError(
                    f"--compare gives a table of its own, which {', '.join(ignored)} do not "
                    "apply to",
                    "leave them out (--fields picks columns; --json gives every row for a script)",
                )
            sides = compared(compare)
            labels, figures, releases = published.compare(ds, sides, sheet)
            cited = sorted({s for f in figures.values() for r in f.values() for s in _cited([r])})
            frame = side_by_side(
                supplier_field,
                labels,
                figures,
                title=f"India's arms imports by supplier, {' against '.join(labels)}: "
                "shares as SIPRI published them",
                caption=f"{releases} A supplier with no share shown had none found. {PUBLISHED}",
                notes=(self._publishers(cited),),
                missing=NOT_REPORTED,
            )
            frame = _selected(frame, fields)
            provenance = _published(frame.rows)
            if fields is not None:
                return Result(frame, provenance)
            return Result(frame, provenance, view=_compared(frame, supplier_field, labels, chart))
        if sheet is None:
            ds = ds.with_records(published.shares(ds))
        chosen = None
        if period is not None:
            chosen = published.published_periods(ds, _periods(period, "--period"))
        filters = [
            ("period", Op.EQ, chosen),
            ("supplier", Op.EQ, wanted or None),
            ("sheet", Op.EQ, None if sheet is None else str(sheet)),
        ]
        options = {"where": where, "sort": sort, "desc": desc, "limit": limit, "fields": fields}
        aggregates = {"count_by": count_by, "sum": sum, "mean": mean, "min": min, "max": max}
        frame = self._run(ds, {**options, **aggregates}, filters).frame
        drawn = fields is None and not grouped
        if not drawn:
            return Result(frame, _published(frame.rows))
        cited = sorted(_cited(frame.rows))
        frame = frame._replace(
            figure=Figure(
                "period",
                "share",
                color="supplier",
                y_title="Share of India's arms imports (%)",
                percent=True,
                missing=NOT_REPORTED,
                notes=(
                    self._publishers(cited),
                    f"Every share from SIPRI's {sheet} release."
                    if sheet is not None
                    else "Each share as its latest SIPRI release gives it (releases revise "
                    "past periods).",
                    PUBLISHED,
                ),
            )
        )
        if not (chart and frame.rows):
            return Result(frame, _published(frame.rows))
        places = published.places(published.imports(self.catalog.get("imports")), sheet)
        groups = published.supplier_bars(frame.rows, ds.field_map["period"], supplier_field, places)
        title = f"{frame.title}: share of India's imports"
        return Result(
            frame, _published(frame.rows), view=Chart(title, groups, frame, ("period", "periods"))
        )

    def balance(
        self,
        recipient: str | None = None,
        *,
        dataset: str | None = None,
        sheet: int | None = None,
        period: str | Period | Sequence[str | Period] | None = None,
        start: int | None = None,
        end: int | None = None,
        successors: bool = False,
        partial: bool = False,
        fields: str | Sequence[str] | None = None,
    ) -> Result:
        """How concentrated a country's arms suppliers are, per SIPRI period (HHI bounds):
        India's from the shares SIPRI published (as `sheet`'s release gives them, else each
        as its latest does), or with `dataset` any `recipient`'s from an imported trade
        register, every five-year period from `start` (2009) to `end` (the last year
        covered). `period`: the five-year periods within it, or a list: those periods."""
        from geobal import given
        from geobal.analysis import concentration, published, register
        from geobal.analysis import shares as figures
        from geobal.analysis.parties import SUCCESSORS, successor
        from geobal.periods import Period, parse, windows, year
        from geobal.views import Figure

        sheet = given.whole(sheet, "sheet")
        start = year(given.whole(start, "start"), "--from")
        end = year(given.whole(end, "end"), "--to")
        successors, partial = given.flag(successors, "successors"), given.flag(partial, "partial")
        recipient = given.filled(recipient, "recipient", "--recipient", COUNTRY)
        if period is not None and (start is not None or end is not None):
            raise UsageError(
                "--period and --from or --to each say the years: give one of them",
                "--period 2009-23 (its five-year periods) or 2014-18,2019-23 (those), "
                "or --from 2009 --to 2023",
            )
        chosen = None if period is None else _periods(period, "--period")
        notes: tuple[str, ...] = ()
        if dataset is None:
            ignored = [
                flag
                for flag, asked in (
                    ("--recipient", recipient is not None),
                    ("--from and --to", start is not None or end is not None),
                    ("--successors", successors),
                    ("--partial", partial),
                )
                if asked
            ]
            if ignored:
                verb = "goes" if len(ignored) == 1 and ignored[0] != "--from and --to" else "go"
                raise UsageError(
                    f"{', '.join(ignored)} {verb} with --dataset (an imported trade register)",
                    "the bundled shares are India's, per SIPRI period: geobal balance "
                    "(--period picks periods)",
                )
            ds = published.suppliers(self.catalog.get("suppliers"))
            rows = published.shares(ds, sheet)
            field, supplier = ds.field_map["period"], ds.field_map["supplier"]
            if chosen is not None:
                if len(chosen) > 1:
                    kept = set(published.published_periods(ds, chosen))
                else:
                    years = chosen[0]
                    kept = {
                        c.value
                        for c in field.choices
                        if years.first <= parse(c.value).first <= parse(c.value).last <= years.last
                    }
                    if not kept:
                        raise UsageError(
                            f"no five-year period SIPRI published shares for lies within {years}",
                            f"available: {', '.join(c.value for c in field.choices)}",
                        )
                rows = [r for r in rows if r.get("period") in kept]
            who, caption, chart_caption = "India", "", ""
            cited = sorted(_cited(rows))
            source = f"{self._publishers(cited)}. {PUBLISHED}"
            provenance = _published(rows)
        else:
            if recipient is None:
                raise UsageError("--dataset needs --recipient NAME: whose suppliers?")
            if sheet is not None:
                raise UsageError(
                    "--sheet picks a release of the shares SIPRI published (the bundled data), "
                    "not of an imported register",
                    "leave out --sheet, or --dataset and --recipient",
                )
            reg = _register(self, dataset)
            register.whole(reg, "recipient")
            named = register.named(reg, "recipient", recipient)
            joined = SUCCESSORS if successors else None
            mine = register.where(reg, "recipient", named, joined)
            what = f"{dataset!r}"
            if chosen is not None and len(chosen) > 1:
                periods = [register.span(reg, p, partial, what) for p in chosen]
                span = next((p for p in periods if p.partial), periods[-1])
            else:
                first = 2009 if start is None else start
                last = end if end is not None else (reg.covers or (0, first + 4))[1]
                if first > last:
                    raise _inverted(first, last, start, end)
                asked = chosen[0] if chosen else Period(first, last)
                span = register.span(reg, asked, partial, what)
                periods = windows(*span.years)
                if not periods:
                    raise UsageError(
                        f"{Period(*span.years)} is shorter than a five-year period",
                        "give five years or more, or the periods themselves: --period "
                        "2014-18,2019-23",
                    )
            rows, field, supplier = figures.balance_inputs(reg, mine, periods, joined)
            said = f"source: {', '.join(reg.sources)}"
            notes = (reg.how, said)  # as shares says them
            who = successor(named, joined)
            caption = register.caption(reg, span, extra=said)
            chart_caption = register.caption(reg, span, chart=True)
            source = register.source_line(reg, self._published_by(reg.sources))
            provenance = _from_register(reg, periods)
        found = concentration.balance(rows, field, supplier)
        frame = Frame(
            f"Concentration of {who}'s arms suppliers (HHI, 0-10,000)",
            concentration.balance_columns(field, supplier, published=dataset is None),
            found,
            ("period", "periods"),
            concentration.BALANCE_TABLE,
            "\n".join(c for c in (caption, concentration.uncertain(found)) if c),
            Figure(
                "period",
                "hhi_low",
                y2="hhi_high",
                y_title="HHI (0-10,000), from its lower to its upper bound",
                notes=(
                    "Each bar spans the index from the known shares alone (the rest spread "
                    "thin) to the known shares plus the unknown remainder held by one supplier.",
                    source,
                ),
                caption="\n".join(c for c in (chart_caption, concentration.uncertain(found)) if c),
            ),
        )
        return Result(_selected(frame, fields), provenance, notes)

    def timeline(
        self,
        /,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | Sequence[str] = (),
        kind: str | Sequence[str] = (),
        deal: str | Sequence[str] = (),
        **options: Any,
    ) -> Result:
        """Dated events, oldest first: those on or after `since` and on or before `until`
        (2018, 2018-10 or 2018-10-05), involving any of `actor` (any case, or a prefix), of
        any `kind` (each one as text, or a list), naming any of the deals `deal` (ids of
        deals records, any case); query options as `query`'s."""
        from geobal import given
        from geobal.fieldtypes import DATE, date_span
        from geobal.names import Names, resolve
        from geobal.queries import Op

        since, until = given.text(since, "since"), given.text(until, "until")
        actor, kind = given.items(actor, "actor"), given.items(kind, "kind")
        deals = [self._deal_id(d) for d in given.items(deal, "deal")]
        for option, typed in (("--since", since), ("--until", until)):
            if typed is not None:  # a date that is none said as the option, not as `date`
                DATE.from_text(Field(option, DATE, option), typed)
        spans = [date_span(typed) for typed in (since, until) if typed is not None]
        if len(spans) == 2 and spans[0] and spans[1] and spans[0][0] > spans[1][1]:
            raise UsageError(f"--since {since} is after --until {until}", "swap them")
        ds = self.catalog.get("events")
        who: tuple[str, ...] = ()
        if actor:
            names = Names.of(
                str(a) for r in ds.records if isinstance(v := r.get("actors"), list) for a in v
            )
            who = tuple(resolve("actor", a, names, prefix=True) for a in actor)
        filters = [
            ("date", Op.GE, since),
            ("date", Op.LE, until),
            ("actors", Op.EQ, who),
            ("kind", Op.EQ, list(kind) or None),
            ("deals", Op.EQ, deals or None),
        ]
        return self._run(ds, options, filters)

    def _deal_id(self, typed: str) -> str:
        """The id of the deals record `typed` names (any case); a NotFoundError with the
        closest id where none does."""
        from geobal.names import unknown_name

        deals = self.catalog.get("deals")
        found = deals.find_id(typed)
        if found is None:
            raise unknown_name(
                "deal",
                typed,
                list(deals.ids),
                "",
                error=NotFoundError,
                hint="list the deals' ids with: geobal query deals --fields id",
            )
        return found

    def brief(
        self,
        recipient: str | None = None,
        *,
        dataset: str = "transfers",
        successors: bool = False,
        fields: str | Sequence[str] | None = None,
    ) -> Result:
        """Where the balancing stands, on one screen, every line with its source ids:
        India's from the bundled data, or with `recipient` any country's from the imported
        trade register `dataset`."""
        from geobal import given
        from geobal.analysis import brief as briefing
        from geobal.analysis import country, military, published, register
        from geobal.analysis.parties import SUCCESSORS

        recipient, successors = (
            given.filled(recipient, "recipient", "--recipient", COUNTRY),
            given.flag(successors, "successors"),
        )
        if recipient is None and (dataset != "transfers" or successors):
            raise UsageError(
                "--dataset and --successors go with --recipient: the brief on a country from a "
                "register",
                "geobal brief alone is India's, from the bundled data",
            )
        if recipient is None:
            report = briefing.brief(self.catalog.get)
            if (india := _spending(self, "India", "Military spending")) is not None:
                # SIPRI's own figures, beside the bundled ones as the news reported them
                from geobal.views import Brief

                frame = report.frame
                report = Brief(
                    frame._replace(
                        columns=(*frame.columns, *military.COLUMNS),
                        rows=[*frame.rows, *india.rows, india.about],
                    )
                )
            provenance = Provenance(sources=_cited(report.frame.rows))
        else:
            reg = _register(self, dataset)
            register.whole(reg, "recipient")
            named = register.named(reg, "recipient", recipient)
            shown: list[tuple[str, Record]] = []
            label, as_of = "", None
            if named == "India" and reg.covers is not None:  # the bundled data are India's
                label = Period(reg.covers[1] - 4, reg.covers[1]).label
                bundled = self.catalog.get("suppliers")
                shown, as_of = published.published_rows(bundled, label), bundled.as_of
            joined = SUCCESSORS if successors else None
            spent = _spending(self, named, country.ABOUT)
            report = country.brief(reg, named, dataset, joined, shown, label, as_of, spent)
            provenance = _from_register(reg)
            if spent is not None:
                from geobal.shapes import MILEX_CREDIT

                cited = _cited([*spent.rows, spent.about])
                provenance = provenance._replace(
                    sources=tuple(dict.fromkeys((*provenance.sources, *cited))),
                    credit=f"{provenance.credit}; {MILEX_CREDIT}",
                )
        if fields is not None:
            frame = _selected(report.frame, fields)
            return Result(frame, provenance)
        return Result(report.frame, provenance, view=report)

    # --- settings and fetch ---
    # geobal's own settings and folders, and SIPRI's backend; what config, paths, cache
    # and fetch ask

    def locations(self, fields: str | Sequence[str] | None = None) -> Result:
        """Every location geobal uses (bundled datasets, the user's, the config file,
        the cache): its path, whether it exists, and what set it."""
        p, environ = self.context.paths, self.context.env.environ
        rows: list[Record] = [
            {"name": "bundled datasets", "path": str(p.bundled), "set_by": "the package"},
            {"name": "your datasets", "path": str(p.data), "set_by": p.data_from},
            {
                "name": "config file",
                "path": str(p.config),
                "set_by": "environment GEOBAL_CONFIG"
                if environ.get("GEOBAL_CONFIG")
                else "default",
            },
            {
                "name": "cache",
                "path": str(p.cache),
                "set_by": "environment GEOBAL_CACHE_DIR"
                if environ.get("GEOBAL_CACHE_DIR")
                else "default",
            },
        ]
        for row in rows:
            row["exists"] = Path(str(row["path"])).exists()
        frame = Frame(
            "Where geobal keeps things", LOCATION_COLUMNS, rows, ("location", "locations")
        )
        return picked(Result(frame), fields)

    def settings(self, fields: str | Sequence[str] | None = None) -> Result:
        """Every setting of the config file: its key, its value where one is set, the
        values it allows and what it means."""
        from geobal.config import SETTINGS

        values = self.context.config.values
        rows: list[Record] = []
        for key, setting in SETTINGS.items():
            row: Record = {"key": key, "description": setting.help}
            if setting.choices:
                row["allowed"] = list(setting.choices)
            if key in values:
                row["value"] = values[key]
            rows.append(row)
        return picked(
            Result(Frame("Settings", SETTING_COLUMNS, rows, ("setting", "settings"))), fields
        )

    def setting(self, key: str) -> str | None:
        """A setting's value in the config file; None where it is not set. A UsageError
        for a key that is no setting."""
        from geobal import given
        from geobal.config import SETTINGS

        key = given.name(key, "key")
        if key not in SETTINGS:
            raise UsageError(f"unknown setting {key!r}", f"settings: {', '.join(SETTINGS)}")
        return self.context.config.values.get(key)

    def set_setting(self, key: str, value: str) -> Result:
        """Set a setting in the config file, keeping the rest of the file as it is; the
        note says the value as stored (a folder made absolute)."""
        from geobal import given
        from geobal.config import set_value

        key, value = given.name(key, "key"), given.name(value, "value")
        path = self.context.paths.config
        kept = set_value(path, key, value)
        # read again when next asked, so that `setting` answers what was just set (the
        # folders this Geobal reads stay those it opened with)
        vars(self.context).pop("config", None)
        return _done([], f"{key} = {kept} in {one_line(path)}")

    def clear_cache(self) -> Result:
        """Remove every entry of the parse cache (never needed for correctness: entries
        are rebuilt when their file changes); the note says how many."""
        from geobal.cache import Cache

        folder = self.context.paths.cache
        removed = Cache(folder).clear()
        return _done(
            [],
            f"removed {removed} cache entr{'y' if removed == 1 else 'ies'} from {one_line(folder)}",
        )

    def fetch(
        self,
        source: str = "sipri",
        *,
        start: int = 1950,
        end: int | None = None,
        into: str = "transfers",
        url: str | None = None,
        refresh: bool = False,
        timeout: float = 120.0,
        force: bool = False,
        allow_smaller: bool = False,
        progress: "Progress | None" = None,
    ) -> Result:
        """Fetch SIPRI's per-year export of deliveries in `start`-`end` (by default up
        to last year) from its backend (`url`, else GEOBAL_SIPRI_URL, else SIPRI's own),
        and import it as `into`, replacing it as `import_(..., as_="sipri")` does; the
        export is kept beside it as a CSV file. The last good reply to the same request
        is kept in the cache and used again unless `refresh`. `force` and
        `allow_smaller` as for `import_`; `timeout` in seconds for each try."""
        from geobal import given
        from geobal.transfer import QUIET
        from geobal.transfer import fetch as backend
        from geobal.transfer.written import fetch_register, register_path

        source, into = given.name(source, "source"), given.name(into, "into")
        first, end, url = (
            given.whole(start, "start"),
            given.whole(end, "end"),
            given.text(url, "url"),
        )
        if first is None:
            raise UsageError("start takes a year, not None", "give start=1950")
        start = first
        timeout = given.number(timeout, "timeout")
        refresh, force = given.flag(refresh, "refresh"), given.flag(force, "force")
        allow_smaller = given.flag(allow_smaller, "allow_smaller")
        if source != "sipri":
            raise UsageError(f"unknown source {source!r}", "sources: sipri")
        this_year = dt.date.today().year
        for option, year in (("--from", start), ("--to", end)):
            if year is not None and not FIRST_FETCHED <= year <= this_year:
                raise UsageError(
                    f"{option} {year} is not a year SIPRI's register covers",
                    f"give a year from {FIRST_FETCHED} to {this_year}",
                )
        last = end if end is not None else this_year - 1
        if start > last:
            raise UsageError(f"--from {start} is after --to {last}")
        backend.checked_timeout(timeout)
        register_path(self.catalog, into)  # said before anything is asked of the backend
        context = self.context
        environ = context.env.environ
        if url is not None:
            address = backend.checked_url(url)
        elif environ.get("GEOBAL_SIPRI_URL"):
            address = backend.checked_url(environ["GEOBAL_SIPRI_URL"], "GEOBAL_SIPRI_URL")
        else:
            address = backend.URL
        done = fetch_register(
            self.catalog,
            address,
            start,
            last,
            into,
            cache=None if context.no_cache else context.paths.cache,
            refresh=refresh,
            timeout=timeout,
            force=force,
            allow_smaller=allow_smaller,
            say=context.say,
            busy=context.busy,
            progress=progress or QUIET,
        )
        return _done([], *done.lines)


COUNTRY = "a country's name"  # what --recipient and --supplier-of need
FIRST_FETCHED = 1950  # the first year of SIPRI's Arms Transfers Database

# the columns of Geobal.locations and Geobal.settings
LOCATION_COLUMNS = (
    Field("name", TEXT, "What"),
    Field("path", TEXT, "Path"),
    Field("exists", BOOLEAN, "Exists"),
    Field("set_by", TEXT, "Set by"),
)
SETTING_COLUMNS = (
    Field("key", TEXT, "Setting"),
    Field("value", TEXT, "Value"),
    Field("allowed", LIST, "Allowed"),
    Field("description", TEXT, "Meaning"),
)


def _inverted(first: int, last: int, start: int | None, end: int | None) -> UsageError:
    """Years that run backwards, each said as given or as the default it took."""
    said = f"--from {first}" if start is not None else f"the first year by default, {first},"
    until = f"--to {last}" if end is not None else f"the last year the data cover, {last}"
    return UsageError(f"{said} is after {until}", "give --from a year before --to")


def _done(ids: list[str], *notes: str) -> Result:
    """What a change answers: the ids it wrote (a line each on stdout), and notes."""
    rows: list[Record] = [{"id": rid} for rid in ids]
    frame = Frame("Changed", (Field("id", TEXT, "ID"),), rows)
    return Result(frame, notes=notes, view=Lines(ids))


def picked(result: Result, fields: str | Sequence[str] | None) -> Result:
    """`result` with only the `fields` named ("a,b" or a list), in that order."""
    if fields is None:
        return result
    frame = _selected(result.frame, fields)
    view = frame if result.view is result.frame else result.view
    return Result(frame, result.provenance, result.notes, view, result.aside)


def _cited(rows: Sequence[Record]) -> tuple[str, ...]:
    """The source ids these rows cite, each once, in the order first cited."""
    seen: dict[str, None] = {}
    for row in rows:
        cited = row.get("sources")
        if isinstance(cited, list):
            seen.update((str(s), None) for s in cited)
    return tuple(seen)


def open(
    data_dir: str | Path | None = None,
    *,
    bundled: str | Path | None = None,
    cache: bool = True,
    strict: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Geobal:
    """The data as the CLI finds it: the bundled datasets, and the user's from
    `data_dir` (else GEOBAL_DATA_DIR, the config's data_dir, the platform's folder).
    `bundled` points at another folder of bundled datasets; `cache=False` reads every
    file afresh; `strict` makes a broken config file an error."""
    from geobal import given
    from geobal.context import Context
    from geobal.env import Env

    cache, strict = given.flag(cache, "cache"), given.flag(strict, "strict")
    folder, shipped = given.path(data_dir, "data_dir"), given.path(bundled, "bundled")
    if shipped is not None and not Path(shipped).is_dir():
        # else every bundled dataset would be silently missing from every answer
        raise UsageError(
            f"bundled={one_line(shipped)} is no folder",
            "give the folder of bundled datasets, or leave bundled out for geobal's own",
        )
    env = Env(
        sys.stdout,
        sys.stderr,
        False,
        False,
        os.environ if environ is None else given.mapping(environ, "environ"),
        bundled=None if shipped is None else Path(shipped),
    )
    context = Context(
        env,
        strict=strict,
        data_dir=None if folder is None else Path(folder),
        no_cache=not cache,
    )
    return Geobal(context)


def _on_open(method: "Callable[Concatenate[Geobal, P], R]") -> "Callable[P, R]":
    """`method` as a module function that asks the data as `geobal.open()` finds them,
    with the method's parameters and docstring, so that help() and editors show them
    rather than `**options`."""
    import inspect

    def answer(*args: P.args, **kwargs: P.kwargs) -> R:
        return method(open(), *args, **kwargs)

    name = method.__name__
    answer.__name__ = answer.__qualname__ = name
    answer.__doc__ = (
        f"{inspect.cleandoc(method.__doc__ or '')}\n\n"
        f"On the data as `geobal.open()` finds them: `geobal.open().{name}(...)`."
    )
    signature = inspect.signature(method)
    # without `self`: the Geobal is the one this call opens
    unbound = signature.replace(parameters=list(signature.parameters.values())[1:])
    setattr(answer, "__signature__", unbound)  # noqa: B010 (mypy refuses the attribute)
    return answer


# The module's functions: Geobal's questions on the data as `geobal.open()` finds them,
# each made on first use (__getattr__), not at import: reading their signatures was a
# third of this module's own import, which the command line, using none of them, paid
# on every run.
_ON_OPEN = (
    "query",
    "datasets",
    "describe",
    "show",
    "search",
    "sources",
    "shares",
    "pipeline",
    "spending",
    "factsheet",
    "suppliers",
    "balance",
    "timeline",
    "brief",
    "locations",
    "settings",
    "setting",
)

if TYPE_CHECKING:  # what __getattr__ makes, as type checkers see it
    query = _on_open(Geobal.query)
    datasets = _on_open(Geobal.datasets)
    describe = _on_open(Geobal.describe)
    show = _on_open(Geobal.show)
    search = _on_open(Geobal.search)
    sources = _on_open(Geobal.sources)
    shares = _on_open(Geobal.shares)
    pipeline = _on_open(Geobal.pipeline)
    spending = _on_open(Geobal.spending)
    factsheet = _on_open(Geobal.factsheet)
    suppliers = _on_open(Geobal.suppliers)
    balance = _on_open(Geobal.balance)
    timeline = _on_open(Geobal.timeline)
    brief = _on_open(Geobal.brief)
    locations = _on_open(Geobal.locations)
    settings = _on_open(Geobal.settings)
    setting = _on_open(Geobal.setting)
else:

    def __getattr__(name: str) -> Any:
        if name not in _ON_OPEN:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        made = globals()[name] = _on_open(getattr(Geobal, name))  # made once
        return made

    def __dir__() -> list[str]:
        """The module's names as they were before its functions were made on first use,
        those not made yet included: dir() and help() show what they showed."""
        return sorted({*globals(), *_ON_OPEN} - {"__getattr__", "__dir__", "_ON_OPEN"})


# --- analyses ---
# What Geobal's analyses share: periods as typed, the register, provenance, the views.

BARS = 20  # bars a chart of shares draws before it sums the rest into one
GROUPS = 10  # parties a comparison draws on a terminal; the table and JSON have them all


def _periods(value: object, option: str) -> list[Period]:
    """Periods as typed (one, or a list: "2014-18,2019-23") or as Period values."""
    from geobal.periods import read

    return read(value, option)


def _selected(frame: Frame, fields: str | Sequence[str] | None) -> Frame:
    """`frame` with only the `fields` named ("a,b" or a list), in that order."""
    from geobal.queries import select

    return select(frame, _fields(fields))


def _fields(fields: object) -> str | None:
    """`fields` as the CLI's --fields takes them: text, comma-separated ("id,year"), as
    given; a list of names joined so."""
    from geobal import given

    if fields is None or isinstance(fields, str):
        return fields
    return ",".join(given.items(fields, "fields"))


def _register(geobal: Geobal, dataset: str) -> "Register":
    """The trade register named `dataset`, or an error saying how to import one."""
    from geobal.analysis import register
    from geobal.errors import UsageError

    try:
        found = geobal.catalog.get(dataset)
    except UsageError:
        raise UsageError(
            f"no dataset {dataset!r}: import SIPRI's trade register first",
            register.IMPORT_REGISTER,
        ) from None
    return register.register(found)


def _spending(geobal: Geobal, name: str, section: str) -> "Spending | None":
    """The brief's lines on the military spending of the country `name`, from the
    dataset `import --as sipri-milex` makes by default, with SIPRI's notes on them;
    None where there is no such dataset."""
    from geobal.analysis import military

    if military.DATASET not in geobal.catalog.names():
        return None
    ds = geobal.catalog.get(military.DATASET)
    notes: dict[str, tuple[str, str]] = {}
    field = ds.field_map.get("notes")
    if field is not None and field.ref and field.ref in geobal.catalog.names():
        notes = {
            str(r["id"]): (str(r.get("mark", "")), str(r.get("text", "")))
            for r in geobal.catalog.get(field.ref).records
        }
    return military.spending(ds, military.DATASET, name, section, notes)


def _labels(periods: Sequence[Period]) -> list[str]:
    from geobal.periods import labels

    return labels(periods)


def _from_register(reg: "Register", periods: Sequence[Period] = ()) -> Provenance:
    from geobal.analysis.register import CREDIT

    return Provenance(
        sources=tuple(reg.sources),
        exact=reg.exact,
        covers=reg.covers,
        partial=any(p.partial for p in periods),
        credit=CREDIT,
        notes=(reg.how,),
    )


def _published(rows: Sequence[Record]) -> Provenance:
    """What figures SIPRI published, as the bundled data record them, come with."""
    from geobal.analysis.register import CREDIT

    return Provenance(sources=_cited(rows), credit=CREDIT, notes=(PUBLISHED,))


# the credit line of a chart of the shares SIPRI itself published (the bundled data)
PUBLISHED = "Shares as SIPRI published them (SIPRI Arms Transfers Database), as the sources report."


def _compared(frame: Frame, party: Field, labels: Sequence[str], chart: bool) -> View:
    """Periods side by side: bars on a terminal (GROUPS of them, the caption saying how
    many more the table has), the rows elsewhere."""
    from geobal.analysis.compare import bars
    from geobal.views import Chart

    if not (chart and frame.rows):
        return frame
    groups = bars(frame, party, labels)
    caption = None
    if len(groups) > GROUPS:
        rest = len(groups) - GROUPS
        more = f"{rest} more {party.name}s below these: --no-chart or --json shows them all."
        caption = f"{frame.caption}\n{more}".strip()
    return Chart(frame.title, groups[:GROUPS], frame, (party.name, f"{party.name}s"), caption)


def _share_bars(frame: Frame, party: str, label: str) -> BarGroup:
    """A bar a row; past BARS rows, the rest as one bar, so the chart shows them all."""
    from geobal.analysis import number
    from geobal.views import Bar, BarGroup

    rows = list(frame.rows)
    bars = [
        Bar(
            str(r[party]),
            number(r["share"]),
            f"published {r['published']}%" if "published" in r else "",
        )
        for r in rows[:BARS]
    ]
    rest = rows[BARS:]
    if rest:
        share = round(sum(number(r["share"]) or 0.0 for r in rest), 2)
        bars.append(Bar(f"{len(rest)} others", share, "together"))
    noun = frame.noun[len(rows) != 1]
    shown = f"{len(rows)} {noun}" + (f", the last {len(rest)} as one bar" if rest else "")
    return BarGroup(label, shown, bars)


def successors_help() -> str:
    """The states `successors=True` counts as their successors, said for people."""
    from geobal.analysis.parties import SUCCESSORS_HELP

    return SUCCESSORS_HELP


def _scoped_partner(reg: "Register", table: Dataset, who: str) -> str | None:
    """The partner a volume table is filtered to ("Total imports from China" for an
    import table, who = recipient; "Total exports to India" for an export table, who =
    supplier), as the register names it; None for the world's table. A table of another
    scope, or of a partner the register does not name, is refused: it measures nothing
    the register's flows can be checked against."""
    from geobal.analysis.register import IMPORT_EXPORT_VOLUMES, IMPORT_VOLUMES, named
    from geobal.analysis.scopes import scope
    from geobal.model import column

    exports = who == "supplier"
    tag, flow, party, how, whose = (
        ("export-volumes", "exports to ", "recipient", IMPORT_EXPORT_VOLUMES, "supplier's exports")
        if exports
        else ("volumes", "imports from ", "supplier", IMPORT_VOLUMES, "recipient's imports")
    )
    scoped = scope((str(v) for v in column(table.records, who)), tag)
    if scoped is None:
        return None
    if not scoped.startswith(flow):
        raise UsageError(
            f"{table.name!r} holds {scoped} only: --check compares a {whose}, "
            f"whole or {flow.strip()} one {party}",
            f"import the table for all {who}s: {how}",
        )
    return named(reg, party, scoped.removeprefix(flow))


def _versions(
    geobal: Geobal, reg: "Register", tables: Sequence[tuple[str, Sequence[str]]]
) -> str | None:
    """The note register.versions gives for the register `reg` set beside the volume
    tables (each its name and the ids of the sources it cites): told by the "data
    generated" date of each one's source entry, as the import recorded it."""
    from geobal.analysis.register import versions

    by_id = geobal.catalog.source_index().by_id

    def generated(ids: Sequence[str]) -> str | None:
        dates = [entry.get("date") if (entry := by_id.get(i)) else None for i in ids]
        if not dates or None in dates:
            return None
        return ", ".join(sorted({str(d) for d in dates}))

    sides = [("the register", generated(reg.sources))]
    sides += [(repr(name), generated(ids)) for name, ids in tables]
    return versions(sides)


def _volume_table(geobal: Geobal, name: str, exports: bool = False) -> "Table | None":
    """The import-volume table (with `exports`, the export-volume table), if one is
    imported, with the date of its export."""
    from geobal.analysis import factsheet as sheet
    from geobal.analysis.register import IMPORT_EXPORT_VOLUMES, IMPORT_VOLUMES
    from geobal.model import column

    catalog = geobal.catalog
    if name not in catalog.names():
        if name == ("tiv-exports" if exports else "tiv"):
            return None
        how = IMPORT_EXPORT_VOLUMES if exports else IMPORT_VOLUMES
        raise UsageError(f"no dataset {name!r}", f"import the table with: {how}")
    ds = catalog.get(name)
    # the first row's, from its column: ds.records[:1] would build every record
    first = column(ds.records, "sources")[:1]
    cited = [s for v in first if isinstance(v, list) for s in v]
    entry = catalog.source_index().by_id.get(str(cited[0])) if cited else None
    date = entry.get("date") if entry is not None else None
    return sheet.read_table(ds, str(date) if date is not None else None, exports)


def _optional_register(geobal: Geobal, name: str) -> "Register | None":
    """The trade register `name`, or None where the default one is not imported; a
    dataset of that name that is no register, or one named and absent, is an error."""
    from geobal.analysis import register

    if name not in geobal.catalog.names():
        if name == "transfers":
            return None
        return _register(geobal, name)  # says how to import one
    return register.register(geobal.catalog.get(name))


# --- what import, export and fetch take ---


def read_formats() -> "list[Codec]":
    """The formats `Geobal.import_` reads (its `format`): each codec's `name`, `title`
    and file `extensions`."""
    from geobal import codecs

    return codecs.readable()


def export_formats() -> "list[Codec]":
    """The formats `Geobal.export` writes (its `format`): as text (`writes_text`), or
    as files (`file`: SQLite, Parquet)."""
    from geobal import codecs

    return codecs.exportable()


def import_shapes() -> list[str]:
    """What `Geobal.import_`'s `as_` may name: the SIPRI exports it reads as SIPRI
    publishes them."""
    from geobal.transfer import As

    return [str(shape) for shape in As]


# --- what spending takes ---


def spending_measures() -> list[str]:
    """What `Geobal.spending`'s `measures` may name: constant, current, gdp..."""
    from geobal.analysis.spending import MEASURES

    return list(MEASURES)


def country_names(name: str) -> tuple[str, ...]:
    """The other names of the country `name` names, which every command takes for it
    ("South Korea", "Republic of Korea"... for "Korea, South"); none for most."""
    from geobal.analysis.parties import other_names

    return other_names(name)
