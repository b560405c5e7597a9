"""The codec layer: one registry for output, import and export; TSV read back exactly;
CSV's separator found where it cannot be mistaken, refused where it can."""

from pathlib import Path

import pytest

from geobal import codecs
from geobal.catalog import Catalog
from geobal.codecs.delimited import read_csv
from geobal.codecs.escape import tsv_cell, tsv_unescape
from geobal.errors import DataError
from geobal.formats import Format
from geobal.render import ROWS
from geobal.transfer import rows as importing
from geobal.transfer.export import export
from tests.conftest import SNAPSHOT

# A dataset of every kind of value, with what a line-based format finds hardest: tabs,
# newlines, carriage returns, backslashes (some before a t), controls, bidi and
# zero-width characters, text beyond ASCII, spaces at the ends, integers beyond a
# float's precision, partial dates and booleans; a record of no values but its own.
ODD = r"""[dataset]
name = "odd"
title = "Odd values"
key = "id"

[fields.id]
type = "text"

[fields.note]
type = "text"

[fields.count]
type = "integer"

[fields.share]
type = "number"

[fields.seen]
type = "date"

[fields.tags]
type = "list"

[fields.years]
type = "list"
items = "integer"

[fields.done]
type = "boolean"
"""
RECORDS = r"""
[[records]]
id = "tabs"
note = "a\tb\nc\r\nd \\ e \\t not a tab, \\\\ two, \\x1b not an escape"
count = -3
share = 0.125
seen = 2024-02-29
tags = ["über", "日本", "a b"]
years = [2019, 2020]
done = true
sources = ["article"]

[[records]]
id = "controls"
note = "  esc \u001b bell \u0007 del \u007f zw \u200b bidi \u202e nbsp \u00a0 end\\"
count = 9007199254740993
share = -1234.5
seen = "2024-02"
done = false
sources = ["article"]

[[records]]
id = "bare"
sources = ["article"]
"""


def odd_catalog(tmp_path: Path) -> Catalog:
    user = tmp_path / "user"
    user.mkdir()
    (user / "odd.toml").write_text(ODD + RECORDS, encoding="utf-8")
    (user / "copy.toml").write_text(ODD.replace('"odd"', '"copy"'), encoding="utf-8")
    return Catalog(SNAPSHOT, user)


def test_every_output_format_is_a_view_or_a_codec_that_writes_rows() -> None:
    views = {Format.TABLE, Format.MARKDOWN, Format.VEGA_LITE}
    assert {Format(c.name) for c in codecs.writing_rows()} == set(Format) - views
    assert set(ROWS) == set(Format) - {Format.VEGA_LITE}


def test_every_function_a_codec_names_exists() -> None:
    import importlib

    for codec in codecs.CODECS.values():
        module = importlib.import_module(codec.module)
        for name in (codec.reader, codec.rows, codec.dataset, codec.file):
            assert not name or callable(getattr(module, name)), (codec.name, name)
    extensions = [e for c in codecs.CODECS.values() for e in c.extensions]
    assert len(extensions) == len(set(extensions))


def test_import_and_export_take_their_formats_from_the_registry() -> None:
    assert [c.name for c in codecs.readable()] == ["json", "jsonl", "csv", "tsv", "toml"]
    exported = ["json", "jsonl", "csv", "tsv", "toml", "sqlite", "parquet"]
    assert [c.name for c in codecs.exportable()] == exported
    assert [c.name for c in codecs.exportable() if c.file] == ["sqlite", "parquet"]
    assert importing.format_of("x.NDJSON", None) == "jsonl"
    assert importing.format_of("x.tsv", None) == "tsv"
    assert codecs.by_extension("x.db", codecs.readable()) is None


@pytest.mark.parametrize(
    "text",
    ["", "plain", "a\tb", "a\nb\r\n", "\\", "\\t", "\\\\t", "end\\", "\x1b[31m", "\x00\x7f\x9b",
     "\u200b\u202e\ufeff", "\ud800", "日本 über", "\\x1b", "\\u200b"],
)  # fmt: skip
def test_a_tsv_cell_reads_back_as_the_text_it_was(text: str) -> None:
    cell = tsv_cell(text)
    assert "\t" not in cell and "\n" not in cell and "\r" not in cell
    assert tsv_unescape(cell) == text


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("C:\\data", "\\d is no escape geobal's TSV writes"),
        ("a\\", "a \\ at the end of a cell is no escape geobal's TSV writes"),
        ("\\x1", "\\x is no escape geobal's TSV writes"),
        ("\\u20zz", "\\u is no escape geobal's TSV writes"),
    ],
)
def test_a_tsv_cell_with_an_escape_geobal_does_not_write_is_refused(cell: str, said: str) -> None:
    with pytest.raises(ValueError) as err:
        tsv_unescape(cell)
    assert str(err.value) == said


def test_a_tsv_export_imports_back_to_the_same_records(tmp_path: Path) -> None:
    catalog = odd_catalog(tmp_path)
    text = "".join(export(catalog.get("odd"), "tsv"))
    assert text.count("\n") == 4  # a header and a line a record, whatever they hold
    read = importing.read_rows(text, "tsv", "odd.tsv")
    assert read.places == ["line 2", "line 3", "line 4"]
    importing.import_rows(catalog, "copy", read, "odd.tsv")
    fresh = Catalog(SNAPSHOT, tmp_path / "user")
    strip = ("origin", "file")
    assert [{k: v for k, v in r.items() if k not in strip} for r in fresh.get("copy").records] == [
        {k: v for k, v in r.items() if k not in strip} for r in fresh.get("odd").records
    ]
    assert "".join(export(fresh.get("copy"), "tsv")) == text


def test_a_tsv_export_refuses_lists_it_could_not_read_back(tmp_path: Path) -> None:
    from geobal.errors import UsageError

    catalog = odd_catalog(tmp_path)
    (tmp_path / "user" / "odd.toml").write_text(
        ODD + RECORDS.replace("years = [2019, 2020]", "years = []"), encoding="utf-8"
    )
    with pytest.raises(UsageError) as err:
        export(Catalog(SNAPSHOT, tmp_path / "user").get("odd"), "tsv")
    assert (err.value.message, err.value.hint) == (
        "odd: 1 lists cannot be written as TSV and read back the same (an item holding "
        "';', with spaces at its ends or empty, or an empty list): tabs: years",
        "export --format json or toml, which keep them exactly",
    )
    assert catalog.get("copy").records == []


def test_tsv_rows_that_cannot_be_read_whole_are_listed_by_line() -> None:
    with pytest.raises(DataError) as err:
        importing.read_rows("id\tnote\nx\tC:\\data\ny\n\nz\tok\textra\n", "tsv", "in.tsv")
    assert (err.value.message, err.value.details, err.value.hint) == (
        "in.tsv: 3 rows cannot be read whole; nothing was imported",
        [
            "in.tsv: line 2: \\d is no escape geobal's TSV writes",
            "in.tsv: line 3 has 1 cells, the header has 2",
            "in.tsv: line 5 has 3 cells, the header has 2",
        ],
        "geobal's TSV writes a backslash as \\\\; a tab-separated file from elsewhere "
        "reads as CSV: --format csv --delimiter tab",
    )


@pytest.mark.parametrize(
    ("text", "rows", "said"),
    [
        ("a,b\n1,2\n", [{"a": "1", "b": "2"}], ""),
        ("a;b\n1,5;2\n", [{"a": "1,5", "b": "2"}], "CSV separated by ';'"),
        ("a\tb\n1;2\t3\n", [{"a": "1;2", "b": "3"}],
         "CSV separated by tabs (TSV as geobal writes it, its escapes read back, is --format tsv)"),
        ('"a;b",c\n1,2\n', [{"a;b": "1", "c": "2"}], ""),  # quoted: no separator
        ("\n\nname\nx;y\n", [{"name": "x;y"}], ""),  # one column
        # both in the header, and only the comma reads every row to its width
        ("id,note (a; b)\nx,y\n", [{"id": "x", "note (a; b)": "y"}],
         "CSV separated by ',' (its header holds ',' and ';')"),
    ],
)  # fmt: skip
def test_a_csv_separator_is_found_only_where_it_cannot_be_mistaken(
    text: str, rows: list[dict[str, str]], said: str
) -> None:
    read = read_csv(text, "in.csv", codecs.ReadOptions())
    assert (read.rows, read.read_as) == (rows, said)


@pytest.mark.parametrize(
    ("text", "reads"),
    [("a;b,c;d\n1;2,3;4\n5;6;7;8\n", "none reads"), ("id,note;x\nx3,a;b\n", "each reads")],
)
def test_a_header_that_two_separators_could_split_is_refused(text: str, reads: str) -> None:
    with pytest.raises(DataError) as err:
        read_csv(text, "in.csv", codecs.ReadOptions())
    assert (err.value.message, err.value.hint) == (
        "in.csv: cannot tell what separates its cells: its header holds ',' and ';', "
        f"and {reads} every row to the header's width",
        "say it with --delimiter (for example --delimiter ';', or --delimiter tab)",
    )


def test_a_separator_given_is_used_as_it_is_and_nothing_is_said() -> None:
    read = read_csv("a,b;c\n1,2;3\n", "in.csv", codecs.ReadOptions(";"))
    assert (read.rows, read.read_as) == ([{"a,b": "1,2", "c": "3"}], "")
    with pytest.raises(DataError) as err:
        read_csv("a;b\n1;2\n3,4;5;6\n", "in.csv", codecs.ReadOptions(","))
    assert err.value.hint == (
        "give every row as many cells as the header has columns (an empty cell is "
        "nothing between two commas), and import again"
    )


@pytest.mark.parametrize(
    ("text", "given", "rows", "said"),
    [
        # as Excel writes it for a locale whose lists are separated by ';'
        ("sep=;\r\nid;note\r\nx;1,5\r\n", None, [{"id": "x", "note": "1,5"}],
         "CSV separated by ';', as its first line says"),
        ("sep=,\nid,note\nx,a;b\n", ",", [{"id": "x", "note": "a;b"}],
         "CSV separated by ',', as its first line says"),
        ("sep=|\nid|note\nx|y\n", None, [{"id": "x", "note": "y"}],
         "CSV separated by '|', as its first line says"),
        # not the line Excel writes: a header like any other
        ("sep=;a\nx;y\n", None, [{"sep=": "x", "a": "y"}], "CSV separated by ';'"),
    ],
)  # fmt: skip
def test_a_first_line_sep_says_the_separator_and_is_no_header(
    text: str, given: str | None, rows: list[dict[str, str]], said: str
) -> None:
    read = read_csv(text, "in.csv", codecs.ReadOptions(given))
    assert (read.rows, read.read_as) == (rows, said)


def test_a_first_line_sep_keeps_line_numbers_and_disagreeing_with_delimiter_is_refused() -> None:
    with pytest.raises(DataError) as err:
        read_csv("sep=;\nid;note\nx;y;z\n", "in.csv", codecs.ReadOptions())
    assert err.value.details == ["in.csv: line 3 has 3 cells, the header has 2"]
    with pytest.raises(DataError) as err:
        read_csv("sep=;\nid;note\n", "in.csv", codecs.ReadOptions("\t"))
    assert (err.value.message, err.value.hint) == (
        "in.csv: line 1: sep=; says its cells are separated by ';', and --delimiter says '\\t'",
        "leave --delimiter out, or fix the file's first line",
    )


def test_a_codec_that_writes_only_files_is_exported_to_a_file_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from geobal.errors import UsageError
    from geobal.transfer.export import export_format

    blob = codecs.Codec("blob", "Blob", ("blob", "bl"), "geobal.codecs.jsontext", file="f")
    monkeypatch.setitem(codecs.CODECS, "blob", blob)
    assert blob in codecs.exportable() and blob not in codecs.readable()
    assert (export_format(None, "x.bl"), export_format("blob", None)) == ("blob", "blob")
    with pytest.raises(UsageError) as err:
        export(odd_catalog(tmp_path).get("odd"), "blob")
    assert (err.value.message, err.value.hint) == (
        "Blob is written to a file, not to standard output",
        "give the file to write: --output FILE.blob",
    )
