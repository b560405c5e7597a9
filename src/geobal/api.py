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
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from geobal.errors import GeobalError, UsageError
from geobal.fieldtypes import TEXT
from geobal.model import Dataset, Field, Record
from geobal.queries import Op as Op  # the operators of `filters`, such as Op.GE
from geobal.views import Document, Frame, Lines, View

if TYPE_CHECKING:
    from geobal.catalog import Catalog
    from geobal.context import Context
    from geobal.queries import Filter
    from geobal.transfer import Progress


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
        dataset: "str | Dataset",
        where: Iterable[str] = (),
        *,
        sort: Iterable[str] = (),
        desc: bool = False,
        limit: int | None = None,
        fields: str | Sequence[str] | None = None,
        count_by: str | None = None,
        sum: Iterable[str] = (),
        mean: Iterable[str] = (),
        min: Iterable[str] = (),
        max: Iterable[str] = (),
        search: str | None = None,
        filters: Iterable["Filter"] = (),
        narrow: bool = False,
    ) -> Result:
        """A dataset's records with the CLI's query semantics: `where` conditions such
        as "sector=air" or "year>=2018" (every one must hold), `sort` fields (each next
        one breaking ties; "-year" for descending), `fields` to pick ("id,deal" or a
        list), `count_by` a field with `sum`/`mean`/`min`/`max` of others, `search`
        for text in any field, `limit` rows (0 or None: all). `filters` are the CLI's own
        (field, operator, values) filters, such as ("sector", "=", ["air", "naval"]);
        `narrow` leaves in each row only the fields the result reads and shows."""
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
            filters=filters,
            narrow=narrow,
        )

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

        return _picked(Result(about.datasets(self.catalog)), fields)

    def describe(
        self, dataset: str, field: str | None = None, fields: str | Sequence[str] | None = None
    ) -> Result:
        """A dataset's schema, a row a field (type, required, values, meaning); with
        `field`, a choice or level field's values and what each means."""
        from geobal import about

        return _picked(Result(about.schema(self.catalog.get(dataset), field)), fields)

    def show(self, dataset: str, record_id: str) -> Result:
        """One record in full: its row, and (`view`) the sources it cites written out;
        for a source, the records that cite it."""
        from geobal import about

        view = about.record(self.catalog, dataset, record_id)
        frame = Frame(view.dataset.title, view.dataset.fields, [view.record])
        cited = tuple(str(s[view.source_fields[0].name]) for s in view.sources)
        return Result(frame, Provenance(sources=cited), view=view)

    def search(
        self,
        text: str,
        datasets: Iterable[str] = (),
        limit: int | None = None,
        fields: str | Sequence[str] | None = None,
    ) -> Result:
        """Every record holding `text` (any case) in any field, of `datasets` or of all:
        its dataset, id, own words, the fields that matched and the text around the
        match; at most `limit` (0 or None: all)."""
        from geobal import about

        frame, counts = about.search(self.catalog, text, tuple(datasets), limit)
        each = ", ".join(f"{name} {n:,}" for name, n in counts.most_common())
        total = counts.total()
        if len(frame.rows) < total:
            said = f"matches by dataset: {each}; showing the first {len(frame.rows):,} (--limit)"
            return _picked(Result(frame, notes=(said,)), fields)
        aside = (f"matches by dataset: {each}",) if total else ()
        return _picked(Result(frame, aside=aside), fields)

    # --- changes to the user's datasets, each through the one write path ---

    def new(self, dataset: str, fields: Sequence[str] = (), title: str | None = None) -> Result:
        """A new dataset of the user's, with `fields` given as the CLI's --field takes
        them ("item:text!", "priority:level=low,high")."""
        from geobal import edit

        path = edit.scaffold(self.catalog, dataset, fields, title)
        return _done([], f"created {path}")

    def add(
        self, dataset: str, values: Sequence[str], *, replace: bool = False, force: bool = False
    ) -> Result:
        """Add a record, its `values` given as the CLI's --set takes them ("FIELD=VALUE",
        a list's items separated by ';'); with `replace`, over the record of its id."""
        from geobal import edit

        written = edit.add(self.catalog, dataset, values, replace, force, self.context.say)
        rid = (written.added or written.replaced)[0]
        verb = "added" if written.added else "replaced"
        return _done([rid], f"{verb} {rid} in {written.path}")

    def set(
        self, dataset: str, record_id: str, changes: Sequence[str], *, force: bool = False
    ) -> Result:
        """Change fields of a record ("FIELD=VALUE" each), keeping the others; a bundled
        record is first copied into the user's file."""
        from geobal import edit

        changed = edit.set_fields(
            self.catalog, dataset, record_id, changes, force, self.context.say
        )
        notes = []
        if changed.copied:
            notes.append(f"copied the bundled record {changed.rid} into {changed.path}")
        if changed.fields:
            notes.append(f"changed {', '.join(changed.fields)} of {changed.rid} in {changed.path}")
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
        ids: Sequence[str] = (),
        *,
        where: Sequence[str] = (),
        yes: bool = False,
        force: bool = False,
    ) -> Result:
        """Remove records of the user's, all or none: those `ids`, or those `where`
        matches (which needs `yes`). Bundled records stay."""
        from geobal import edit
        from geobal.schema import USER

        ids = list(ids)
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
        notes = [f"removed {', '.join(dict.fromkeys(ids))} from {path}"]
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
        sources: Sequence[str] = (),
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
        ("sipri", "sipri-tiv"), a SIPRI export as a dataset of its own, replaced whole.
        `mapping` maps columns to fields; `sources` are cited by every row."""
        from geobal import transfer

        if isinstance(file, bytes):
            data, given = file, name or "-"
            where = "standard input" if given == "-" else given
        else:
            from geobal.files import read_bytes

            data, given = read_bytes(Path(file)), str(file)
            where = given
        if as_ is not None:
            rows_only = [
                option
                for option, value in (
                    ("--map", mapping),
                    ("--source", sources),
                    ("--replace", replace),
                    ("--format", format),
                    ("--delimiter", delimiter),
                )
                if value
            ]
            if rows_only:
                raise UsageError(
                    f"{', '.join(rows_only)} {'applies' if len(rows_only) == 1 else 'apply'} "
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
            dict(mapping or {}),
            tuple(dict.fromkeys(sources)),  # a source given twice is cited once
            replace,
            format,
            force,
            self.context.say,
            allow_smaller,
            delimiter,
        )
        importer = transfer.importer(None if as_ is None else transfer.As(as_))
        done = importer(self.catalog, request, progress or transfer.QUIET)
        return _done([], *done.lines)

    def export(
        self,
        datasets: Sequence[str] = (),
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
        `format`, else what `output`'s extension names, else TOML."""
        from geobal import codecs
        from geobal.transfer.export import export, export_format

        names = list(datasets)
        out = None if output is None else str(output)
        fmt = export_format(format, out)
        codec = codecs.CODECS[fmt]
        if out not in (None, "-") and (read := self._read_by_geobal(Path(out))):
            raise UsageError(
                f"{out} is {read}, which geobal reads: export does not write over it",
                "write the export to a file of its own",
            )
        if codec.file:
            if for_spreadsheet:
                raise UsageError(
                    f"--for-spreadsheet makes CSV safe to open in a spreadsheet; {fmt} is not CSV",
                    "leave it out",
                )
            return _done([], *codec.write_file(self.catalog, names, out, force, self.context.say))
        if len(names) != 1:
            raise UsageError(
                f"--format {fmt} exports one dataset; {len(names) or 'none'} given",
                "name one dataset, or use --format sqlite or parquet for several",
            )
        if force:
            raise UsageError(
                "--force applies to --format sqlite and parquet", "leave it out, or choose one"
            )
        ds = self.catalog.get(names[0])
        chunks = export(ds, fmt, for_spreadsheet)
        if out is None or out == "-":  # as `import -` reads standard input
            return Result(codecs.records_frame(ds), view=Document(chunks))
        from geobal.store import atomic_write

        atomic_write(Path(out), "".join(chunks), say=self.context.say, forced_by=None)
        return _done([], f"wrote {len(ds.records)} records to {out}")

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

    def validate(self, paths: Sequence[str | Path] = ()) -> Result:
        """Every problem of the dataset files at `paths` (files or folders; every
        dataset when none), a row each; notes say what was checked. No rows: sound."""
        checked, problems, notes = self.catalog.validate([Path(p) for p in paths])
        files = f"{checked} file{'s' if checked != 1 else ''}"
        if not problems:
            said = f"{files} checked: no problems"
        else:
            said = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files}"
        rows: list[Record] = [{"problem": p} for p in problems]
        frame = Frame("Problems", (PROBLEM,), rows, ("problem", "problems"))
        return Result(frame, notes=(*notes, said), view=Lines(problems))

    def sources(self, datasets: Iterable[str] = (), **options: Any) -> Result:
        """The sources, or those the records of `datasets` cite (any of them), with the
        query options of `query`."""
        from geobal.schema import SOURCES, cited

        ds = self.catalog.get(SOURCES)
        chosen = [self.catalog.get(name) for name in dict.fromkeys(datasets)]
        if chosen:
            ids = {s for one in chosen for record in one.records for s in cited(record)}
            ds = ds.with_records([r for r in ds.records if r[ds.key] in ids])
        return self._run(ds, options)

    def _run(self, ds: "Dataset", options: dict[str, Any]) -> Result:
        """`query` on a dataset built here rather than found by name."""
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
            filters=options.pop("filters", ()),
            narrow=options.pop("narrow", False),
            **options,
        )

    def _query(
        self,
        dataset: "str | Dataset",
        *,
        where: Iterable[str],
        sort: Iterable[str],
        desc: bool,
        limit: int | None,
        fields: str | Sequence[str] | None,
        count_by: str | None,
        aggregates: Iterable[tuple[str, Iterable[str]]],
        search: str | None,
        filters: Iterable["Filter"],
        narrow: bool = False,
    ) -> Result:
        from geobal import queries

        ds = self.catalog.get(dataset) if isinstance(dataset, str) else dataset
        picked = fields if fields is None or isinstance(fields, str) else ",".join(fields)
        q = queries.build(
            ds,
            where=tuple(where),
            filters=filters,
            search=search,
            sort=tuple(sort),
            desc=desc,
            limit=limit,
            fields=picked,
            count_by=count_by,
            aggregates=[(how, name) for how, names in aggregates for name in names],
        )
        frame = queries.run(ds, q, narrow)
        return Result(frame, Provenance(sources=_cited(frame.rows)))


def _done(ids: list[str], *notes: str) -> Result:
    """What a change answers: the ids it wrote (a line each on stdout), and notes."""
    rows: list[Record] = [{"id": rid} for rid in ids]
    frame = Frame("Changed", (Field("id", TEXT, "ID"),), rows)
    return Result(frame, notes=notes, view=Lines(ids))


def _picked(result: Result, fields: str | Sequence[str] | None) -> Result:
    """`result` with only the `fields` named ("a,b" or a list), in that order."""
    if fields is None:
        return result
    from geobal.queries import select

    picked = fields if isinstance(fields, str) else ",".join(fields)
    frame = select(result.frame, picked)
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
    from geobal.context import Context
    from geobal.env import Env

    env = Env(
        sys.stdout,
        sys.stderr,
        False,
        False,
        os.environ if environ is None else environ,
        bundled=None if bundled is None else Path(bundled),
    )
    context = Context(
        env,
        strict=strict,
        data_dir=None if data_dir is None else Path(data_dir),
        no_cache=not cache,
    )
    return Geobal(context)


def query(dataset: str, where: Iterable[str] = (), **options: Any) -> Result:
    """`Geobal.query` on the data as `geobal.open()` finds it."""
    return open().query(dataset, where, **options)


def datasets(**options: Any) -> Result:
    """`Geobal.datasets` on the data as `geobal.open()` finds it."""
    return open().datasets(**options)


def describe(dataset: str, field: str | None = None, **options: Any) -> Result:
    """`Geobal.describe` on the data as `geobal.open()` finds it."""
    return open().describe(dataset, field, **options)


def show(dataset: str, record_id: str) -> Result:
    """`Geobal.show` on the data as `geobal.open()` finds it."""
    return open().show(dataset, record_id)


def search(text: str, **options: Any) -> Result:
    """`Geobal.search` on the data as `geobal.open()` finds it."""
    return open().search(text, **options)


def sources(datasets: Iterable[str] = (), **options: Any) -> Result:
    """`Geobal.sources` on the data as `geobal.open()` finds it."""
    return open().sources(datasets, **options)
