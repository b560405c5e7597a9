"""Renderers: exact bytes for machine formats; tables that never treat data as markup."""

import csv
import io
import itertools
import json
import random
import tomllib
from typing import Any, get_args

import pytest

from geobal.catalog import Catalog
from geobal.codecs import escape
from geobal.codecs.escape import tsv_cell, visible
from geobal.env import Env
from geobal.errors import UsageError
from geobal.fieldtypes import LIST, NUMBER, TEXT
from geobal.formats import Color, Format
from geobal.model import Field, Record
from geobal.queries import build, run
from geobal.render import WRITERS, Output, emit
from geobal.render.text import md_cell, md_text
from geobal.render.vega import SCHEMA
from geobal.views import (
    Bar,
    BarGroup,
    Brief,
    Chart,
    Document,
    Figure,
    Frame,
    Lines,
    Marked,
    Matrix,
    RecordView,
    Tables,
    View,
)
from tests.conftest import FIXTURES

NASTY = Frame(
    "T [red]itle",
    (
        Field("id", TEXT, "ID"),
        Field("v", TEXT, "V"),
        Field("n", NUMBER, "N"),
        Field("l", LIST, "L"),
    ),
    [
        {"id": "x", "v": "[/bold] [red]x\x1b[31mred\x07\u202eevil", "n": 1.5, "l": ["a", "b|c"]},
        {"id": "y", "v": "tab\there\nnew\\line", "n": 2},
    ],
)


def render(
    frame: View, fmt: Format, *, tty: bool = False, width: int = 80, color: Color = Color.NEVER
) -> str:
    out = io.StringIO()
    emit(Output(Env(out, io.StringIO(), tty, tty, {"COLUMNS": str(width)}), fmt, color), frame)
    return out.getvalue()


def items_frame() -> Frame:
    ds = Catalog(FIXTURES).get("items")
    return run(ds, build(ds))


def test_json_is_exactly_json_dumps_of_the_array() -> None:
    frame = items_frame()
    expected = [{f.name: r.get(f.name) for f in frame.columns} for r in frame.rows]
    assert render(frame, Format.JSON) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    assert render(frame._replace(rows=[]), Format.JSON) == "[]\n"
    first = json.loads(render(frame, Format.JSON))[0]
    assert list(first) == [
        "id",
        "name",
        "count",
        "share",
        "seen",
        "tags",
        "kind",
        "rank",
        "sources",
        "origin",
        "file",
    ]
    assert first["share"] == 2 and first["seen"] == "2019-03" and first["tags"] == ["y"]


# no nan or inf: JSON has none, and its writer refuses them (tests/test_numbers.py)
AWKWARD: list[Any] = [  # values a record should never hold among those it may
    "", "%s%d", 'q"\\', "\n", "é\u2028x", "\x7f\x1b[31m", 0, -5, 10**30, 1.5, 1e16,
    True, False, None, [], ["x", "y\n"], [1, 2], ["%"],
    [["nested"]], {"k": 1}, [{"a": 1}],
]  # fmt: skip
JSON_RAW = {0x7F: "\\u007f", 0x2028: "\\u2028"}  # what json.dumps leaves raw, of AWKWARD's


@pytest.mark.parametrize("seed", range(40))
def test_json_written_column_by_column_is_still_json_dumps(seed: int) -> None:
    """Large arrays are encoded a column at a time; whatever the values (containers
    where scalars belong, % in names, more rows than one chunk), the bytes stay those
    of json.dumps, with the characters it leaves raw escaped."""
    rng = random.Random(seed)
    names = rng.sample(["id", "name", "x%y", "tags", "ü"], rng.randint(1, 4))
    columns = tuple(Field(n, TEXT, n) for n in names)
    size = [0, 1, 7, 2001, 4500][seed % 5]
    rows = [{n: rng.choice(AWKWARD) for n in names if rng.random() < 0.8} for _ in range(size)]
    expected = json.dumps(
        [{n: r.get(n) for n in names} for r in rows], indent=2, ensure_ascii=False
    )
    text = render(Frame("t", columns, rows), Format.JSON)
    assert text == expected.translate(JSON_RAW) + "\n"


def test_jsonl_one_object_a_line() -> None:
    lines = render(items_frame(), Format.JSONL).splitlines()
    assert len(lines) == 4
    assert lines[0] == (
        '{"id":"b","name":"Banana","count":10,"share":2,"seen":"2019-03",'
        '"tags":["y"],"kind":"beta","rank":"top","sources":["s1"],"origin":"bundled",'
        '"file":"items.toml"}'
    )


def test_json_escapes_every_control_character() -> None:
    text = render(NASTY, Format.JSON)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert json.loads(text)[0]["v"] == NASTY.rows[0]["v"]  # losslessly


def test_csv_keeps_bytes_in_pipes_and_escapes_on_terminals() -> None:
    piped = render(NASTY, Format.CSV)
    assert list(csv.reader(io.StringIO(piped)))[1] == ["x", NASTY.rows[0]["v"], "1.5", "a; b|c"]
    assert piped.splitlines()[0] == "id,v,n,l"
    on_terminal = render(NASTY, Format.CSV, tty=True)
    assert "\x1b" not in on_terminal and "\\x1b[31mred\\x07\\u202eevil" in on_terminal


def test_tsv_escapes_keep_one_record_a_line() -> None:
    assert render(NASTY, Format.TSV) == (
        "id\tv\tn\tl\n"
        "x\t[/bold] [red]x\\x1b[31mred\\x07\\u202eevil\t1.5\ta; b|c\n"
        "y\ttab\\there\\nnew\\\\line\t2\t\n"
    )
    assert tsv_cell("a\r\nb") == "a\\r\\nb"


def test_markdown_escapes_formatting_and_pipes() -> None:
    # brackets that make no link, and a backslash before a letter, are shown as they are
    assert render(NASTY, Format.MARKDOWN) == (
        "| ID | V | N | L |\n"
        "|---|---|---:|---|\n"
        "| x | [/bold] [red]x\\x1b[31mred\\x07\\u202eevil | 1.5 | a, b\\|c |\n"
        "| y | tab\there<br>new\\line | 2 |  |\n"
    )
    assert md_cell("*a*_b_`c`<d>") == "\\*a\\*\\_b\\_\\`c\\`\\<d>"


@pytest.mark.parametrize(
    ("text", "line", "cell"),
    [
        # nothing Markdown reads as formatting: shown as it is
        ("[article]", "[article]", "[article]"),
        ("5 * 3, snake_case, C#, a < b, AT&T, ~5, US$5", None, None),
        ("back\\slash, x|y", "back\\slash, x|y", "back\\slash, x\\|y"),
        # a link, an image, a link's definition
        ("see [x](y)", "see \\[x](y)", "see \\[x](y)"),
        ("![a][b]", "!\\[a][b]", "!\\[a][b]"),
        ("[k]: v", "\\[k]: v", "\\[k]: v"),
        # emphasis, code, strikethrough and maths where they could pair, HTML, entities
        ("a*b*c _x_ **y**", "a\\*b\\*c \\_x\\_ \\*\\*y\\*\\*", None),
        ("`code`", "\\`code\\`", None),
        ("~5 or ~6, US$5 or US$6", "\\~5 or \\~6, US\\$5 or US\\$6", None),
        ("<b>x</b> <!-- c -->", "\\<b>x\\</b> \\<!-- c -->", None),
        ("&amp; &#38;", "\\&amp; \\&#38;", None),
        ("a\\*", "a\\\\\\*", None),
        # what starts a block, at the start of a line only (no block starts in a cell)
        ("# head #", "\\# head \\#", "# head #"),
        ("> q", "\\> q", "> q"),
        ("- item", "\\- item", "- item"),
        ("1. one", "1\\. one", "1. one"),
        ("* * *", "\\* * *", "* * *"),
        ("1990s -5%", "1990s -5%", "1990s -5%"),
        # control characters as escapes, a line break as <br>
        ("a\x1b[1mb\nc", "a\\x1b[1mb<br>c", "a\\x1b[1mb<br>c"),
    ],
)
def test_markdown_escapes_only_what_would_change_how_it_renders(
    text: str, line: str | None, cell: str | None
) -> None:
    line = text if line is None else line
    assert (md_text(text), md_cell(text)) == (line, line if cell is None else cell)


def test_toml_round_trips_through_tomllib() -> None:
    frame = items_frame()
    doc = tomllib.loads(render(frame, Format.TOML))
    assert [r["id"] for r in doc["records"]] == ["b", "a", "c", "d"]
    assert str(doc["records"][1]["seen"]) == "2018-10-05"  # a full date is a TOML date
    assert doc["records"][0]["seen"] == "2019-03"  # a partial one stays text
    assert "count" not in doc["records"][2]  # missing values are left out
    nasty = render(NASTY, Format.TOML)
    assert "\x1b" not in nasty and "\u202e" not in nasty
    assert tomllib.loads(nasty)["records"][0]["v"] == NASTY.rows[0]["v"]


def test_visible() -> None:
    assert visible("a\x00b\x1bc\x7fd\x9be\u2066f\tg\nh") == (
        "a\\x00b\\x1bc\\x7fd\\x9be\\u2066f\tg\nh"
    )


def test_visible_escapes_every_character_of_its_table_alone_and_no_printable_one() -> None:
    # visible returns printable text as it is (str.isprintable, a C scan, rather than a
    # translate): that holds only while every character it escapes is unprintable
    table = escape._visible_table()
    assert all(not chr(code).isprintable() for code in table)
    assert {"\\x1b", "\\u200b", "\\ufeff", "\\u2028", "\\ud800", "\\xad"} <= set(table.values())
    for code, shown in table.items():
        assert visible(f"a{chr(code)}b") == f"a{shown}b"
    printable = "".join(chr(c) for c in range(0x30000) if chr(c).isprintable())
    assert visible(printable) == printable


def test_u_escape_writes_each_raw_character_as_its_json_escape_and_leaves_the_rest() -> None:
    table = escape._u_escape_table()
    assert all(not chr(code).isprintable() for code in table)
    assert set(table) == set(escape._visible_table()) - set(range(0x20))
    for code, shown in table.items():
        assert escape.u_escape(f'[\n  "\u00e9{chr(code)}"\n]') == f'[\n  "\u00e9{shown}"\n]'
    # printable but for its line breaks (indented JSON), or holding what is unprintable
    # but not raw in JSON (a no-break space, a tab): left as it is
    for text in ('[\n  "Su-30MKI \u2014 \u20b9"\n]', "a\u00a0b\tc\n", "\ue000"):
        assert escape.u_escape(text) == text


@pytest.mark.parametrize("color", [Color.NEVER, Color.ALWAYS, Color.AUTO])
def test_table_cells_are_text_not_markup(color: Color) -> None:
    out = render(NASTY, Format.TABLE, tty=True, width=120, color=color)
    assert "[/bold] [red]x\\x1b[31mred\\x07\\u202eevil" in out
    assert "T [red]itle" in out
    assert "\x07" not in out and "\u202e" not in out
    if color is Color.NEVER:
        assert "\x1b" not in out
    if color is Color.ALWAYS:
        assert "\x1b[1m" in out  # bold title: the only escapes come from geobal's styles


def test_narrow_terminals_get_cards() -> None:
    ds = Catalog(FIXTURES).get("items")
    frame = run(ds, build(ds, fields="id,name,count,share,seen,tags,kind,rank"))
    wide = render(frame, Format.TABLE, tty=True, width=120)
    assert wide.splitlines()[2].split() == [
        "ID",
        "Name",
        "Count",
        "Share",
        "Seen",
        "Tags",
        "Kind",
        "Rank",
    ]
    narrow = render(frame, Format.TABLE, tty=True, width=40)
    assert all(len(line) <= 40 for line in narrow.splitlines())
    assert [line.rstrip() for line in narrow.splitlines()[:6]] == [
        "Test items",
        "",
        "b",  # a card is headed by the record's words where they are long, else its first
        "Name  Banana",  # column; empty fields are left out
        "Count 10",
        "Share 2",
    ]


DEALS = Frame(
    "Deals",
    (
        Field("deal", TEXT, "Deal"),
        Field("note", TEXT, "Note"),
        Field("usd", NUMBER, "US$"),
    ),
    [
        {"deal": "Supply and production of the Su-57 fighter in India", "note": "ok", "usd": 1462},
        {"deal": "40 more Su-30MKI fighters", "note": "no", "usd": 16},
    ],
)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_listing_is_a_table_wherever_its_columns_fit_whatever_their_order(
    order: tuple[int, ...],
) -> None:
    # at their least widths the three take 30 columns: 14 for the deal's words, 4 for the
    # note's title, 4 for the figure, and 8 between and beside them
    frame = DEALS._replace(columns=tuple(DEALS.columns[i] for i in order))
    titles = [f.title for f in frame.columns]
    for width in (80, 40, 30):
        out = render(frame, Format.TABLE, tty=True, width=width)
        assert out.splitlines()[2].split() == titles, (width, out)
        assert all(len(line) <= width for line in out.splitlines())
    cards = render(frame, Format.TABLE, tty=True, width=29).splitlines()
    assert cards[2].rstrip() == "Supply and production of the"
    assert "Deal" not in cards[2].split()


def test_a_card_is_headed_by_the_field_its_frame_names() -> None:
    frame = DEALS._replace(head="note")
    out = render(frame, Format.TABLE, tty=True, width=29)
    assert [line.rstrip() for line in out.splitlines()[2:6]] == [
        "ok",
        "Deal Supply and production of",
        "     the Su-57 fighter in",
        "     India",
    ]


def test_a_series_of_periods_keeps_one_legend_whatever_the_order_of_its_rows() -> None:
    given: list[tuple[str, str, int]] = [
        ("United States", "2014-18", 30),
        ("United Kingdom", "2014-18", 30),
        ("United States", "2019-23", 20),
        ("United Kingdom", "2019-23", 20),
        ("Russia", "2019-23", 50),
    ]
    rows: list[Record] = [{"supplier": s, "period": p, "share": v} for s, p, v in given]
    shares = Frame(
        "Shares",
        (Field("supplier", TEXT, "S"), Field("period", TEXT, "P"), Field("share", NUMBER, "%")),
        rows,
    )
    drawn = set()
    for seed in range(6):
        # the rows of each period in any order (the periods keep theirs, oldest first)
        rows = list(shares.rows)
        random.Random(seed).shuffle(rows)
        rows.sort(key=lambda r: str(r["period"]))
        matrix = Matrix(shares._replace(rows=rows), "supplier", "period", "share", True)
        drawn.add(render(matrix, Format.TABLE, tty=True, width=60))
    (out,) = drawn
    # the heaviest first, ties by name: the United Kingdom's U, the United States' N
    legend = next(line for line in out.splitlines() if "the others" in line)
    assert legend.split("  ")[:3] == ["R Russia", "U United Kingdom", "N United States"]
    assert "2014-18 UUUUUUUUUUNNNNNNNNNN              United Kingdom 30%" in out
    # at 40 columns the legend breaks between its entries, never inside one
    narrow = render(matrix, Format.TABLE, tty=True, width=40).splitlines()
    assert narrow[-2:] == ["R Russia  U United Kingdom", "N United States  · the others"]
    assert all(len(line) <= 40 for line in narrow)


def test_a_chart_says_not_reported_where_a_figure_is_missing_and_draws_no_bar() -> None:
    from geobal.render.vega import spec

    columns = (Field("period", TEXT, "P"), Field("who", TEXT, "W"), Field("share", NUMBER, "%"))
    rows: list[Record] = [
        {"period": "1", "who": "a", "share": 60},
        {"period": "1", "who": "b"},  # found, its share not
        {"period": "2", "who": "a", "share": 50},  # b not named at all in period 2
    ]
    figure = Figure("period", "share", color="who", missing="not reported")
    frame = Frame("Shares", columns, rows, figure=figure)
    chart = spec(frame)
    assert chart["data"]["values"] == [
        {"period": "1", "who": "a", "share": 60},
        {"period": "1", "who": "b"},
        {"period": "2", "who": "a", "share": 50},
        {"period": "2", "who": "b"},
    ]
    assert "mark" not in chart
    bars, words = chart["layer"]
    assert bars["transform"] == [{"filter": 'isValid(datum["share"])'}]
    assert words["transform"] == [{"filter": '!isValid(datum["share"])'}]
    assert words["encoding"] == {"y": {"datum": 0}, "text": {"value": "not reported"}}
    # without words for them, rows with no figure are left out, and the chart is bars alone
    plain = spec(frame._replace(figure=figure._replace(missing="")))
    assert len(plain["data"]["values"]) == 2 and plain["mark"]["type"] == "bar"


def _views() -> list[View]:
    ds = Catalog(FIXTURES).get("items")
    sources = Catalog(FIXTURES).get("sources")
    frame = run(ds, build(ds))
    return [
        frame,
        Chart("Chart", [BarGroup("2019-23", "", [Bar("a", 50.0), Bar("b", None, "2nd")])], frame),
        RecordView(ds, ds.by_id["a"], [sources.by_id["s1"]], sources.fields),
        Brief(Frame("Brief", (Field("section", TEXT, "S"), Field("text", TEXT, "T")), [])),
        Lines(["one", "two"]),
        Tables(frame, [frame, frame]),
        Marked(frame, frame, [{}]),
        Document(iter(["as it is\n"])),
        Matrix(
            Frame(
                "Shares",
                (
                    Field("supplier", TEXT, "S"),
                    Field("period", TEXT, "P"),
                    Field("share", NUMBER, "%"),
                ),
                [
                    {"supplier": "a", "period": "1", "share": 60},
                    {"supplier": "b", "period": "1", "share": 40},
                ],
            ),
            "supplier",
            "period",
            "share",
            True,
        ),
    ]


def test_the_writer_table_has_every_view_and_every_format() -> None:
    assert set(WRITERS) == set(get_args(View)) == {type(v) for v in _views()}
    for writers in WRITERS.values():
        assert set(writers) == set(Format)


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("index", range(len(_views())))
def test_every_view_is_written_in_every_format(index: int, fmt: Format) -> None:
    view = _views()[index]
    out, err = io.StringIO(), io.StringIO()
    output = Output(Env(out, err, fmt is Format.TABLE, False, {}), fmt, Color.NEVER)
    if fmt is Format.VEGA_LITE:  # a chart's, for the views with a figure; refused for others
        with pytest.raises(UsageError, match=r"^this output is not a chart"):
            emit(output, view)
        frame = view.frame if isinstance(view, Chart | Matrix | Brief) else view
        if not isinstance(frame, Frame) or not frame.columns:
            return
        first = frame.columns[0].name
        numbers = [f.name for f in frame.columns if f.numeric]
        if not numbers:
            return
        charted = frame._replace(figure=Figure(first, numbers[0]))
        view = (
            type(view)(charted, view.row, view.column, view.value, view.chart)
            if isinstance(view, Matrix)
            else Chart(view.title, view.groups, charted)
            if isinstance(view, Chart)
            else charted
        )
        emit(output, view)
        assert json.loads(out.getvalue())["$schema"] == SCHEMA
        return
    emit(output, view)
    assert out.getvalue() or err.getvalue() == "No records matched.\n"


def test_a_charts_specification_escapes_its_data() -> None:
    """Vega-Lite JSON is JSON: a bidirectional override or ESC in a label is escaped,
    as in every other JSON geobal writes."""
    from geobal.render.vega import spec_json

    frame = Frame(
        "T\x1b[31m",
        (Field("name", TEXT, "Name"), Field("share", NUMBER, "Share")),
        [{"name": "evil\u202eli\x07ve", "share": 5}],
        figure=Figure("name", "share"),
    )
    text = spec_json(frame)
    assert "\u202e" not in text and "\x07" not in text and "\x1b" not in text
    assert "evil\\u202eli\\u0007ve" in text
    assert json.loads(text)["data"]["values"] == [{"name": "evil\u202eli\x07ve", "share": 5}]


def _bars(width: int) -> list[str]:
    bars = [Bar("Russia", 36.45, "published 36%"), Bar("unknown supplier(s)", 0.05)]
    frame = Frame("Shares", (Field("supplier", TEXT, "S"),), [])
    chart = Chart("Shares", [BarGroup("2019-23", "", bars)], frame)
    return [
        line.rstrip() for line in render(chart, Format.TABLE, tty=True, width=width).splitlines()
    ]


def test_a_published_figure_beside_a_bar_is_never_cut_short() -> None:
    """The newcomer pass on issue 21: at 40 columns it read "publish…"."""
    wide = _bars(80)
    assert any(line.startswith("Russia ") and "published 36%" in line for line in wide)
    narrow = _bars(40)
    at = next(i for i, line in enumerate(narrow) if line.startswith("Russia "))
    assert narrow[at].endswith("36.45%") and "publish" not in narrow[at]
    assert narrow[at + 1].strip() == "published 36%"
    assert all(len(line) <= 40 for line in narrow)


def test_a_long_supplier_name_is_whole_where_the_terminal_has_room() -> None:
    assert any(line.startswith("unknown supplier(s) ") for line in _bars(80))
    assert any(line.startswith("unknown suppl…") for line in _bars(40))


def test_an_address_in_a_charts_caption_is_never_cut() -> None:
    """The newcomer pass on issue 22: at 40 columns it read ".../armstran" and "sfers"."""
    address = "https://www.sipri.org/databases/armstransfers"
    frame = Frame(
        "Shares",
        (Field("supplier", TEXT, "S"),),
        [],
        caption=f"download it from {address} and import it",
    )
    chart = Chart("Shares", [BarGroup("2019-23", "", [Bar("Russia", 36.45)])], frame)
    for width in (40, 80):
        lines = render(chart, Format.TABLE, tty=True, width=width).splitlines()
        assert any(address in line for line in lines), lines
        assert all(len(line.rstrip()) <= width or address in line for line in lines)
