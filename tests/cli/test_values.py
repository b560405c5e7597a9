"""Values are stored exactly or refused: numbers within what their field holds, dates
that exist in ASCII digits, text composed (NFC), ids transliterated. Each test drives
the CLI with a home folder of its own."""

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

Cli = Callable[..., Run]

FIELDS = ["name:text", "n:number", "i:integer", "d:date"]
NFD = "cafe\u0301"  # "café" with the accent as a combining mark, as macOS file names have it
NFC = "caf\u00e9"


def _notes(cli: Cli, home: Path) -> Path:
    """A dataset `notes` with a field of each kind these tests type values into."""
    made = cli(["new", "notes", *(a for f in FIELDS for a in ("--field", f))], home=home)
    assert made.exit_code == 0, made.stderr
    return home / "datasets" / "notes.toml"


def _add(cli: Cli, home: Path, *sets: str) -> Run:
    given = [*sets, "sources=article"]
    return cli(["add", "notes", *(a for s in given for a in ("--set", s))], home=home)


def _records(cli: Cli, home: Path, *args: str) -> list[dict[str, object]]:
    result = cli(["query", "notes", "--json", *args], home=home)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def _hand_written(home: Path, records: str) -> Path:
    """A notes dataset as a user writes it by hand, with these [[records]]."""
    folder = home / "datasets"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "notes.toml"
    fields = "".join(
        f'[fields.{name}]\ntype = "{kind}"\n\n' for name, kind in (f.split(":") for f in FIELDS)
    )
    head = (
        '[dataset]\nname = "notes"\ntitle = "Notes"\nkey = "id"\n\n[fields.id]\ntype = "text"\n\n'
    )
    path.write_text(head + fields + records, encoding="utf-8")
    return path


INEXACT = (
    "cannot be kept exactly: a number field holds whole numbers of up to 64 bits and "
    "64-bit floats (about 15 significant digits), which would store it as"
)
ROUND = "round it to the digits you mean, or keep every digit in a text field"
INT64 = (
    "is outside an integer field's range, -9223372036854775808 to 9223372036854775807 "
    "(64 bits, as TOML holds integers)"
)
WIDER = (
    "a number field keeps larger figures to about 15 significant digits; a text field "
    "keeps every digit"
)


def test_a_number_field_keeps_what_was_typed_or_refuses_naming_the_limit(
    cli: Cli, tmp_path: Path
) -> None:
    path = _notes(cli, tmp_path)
    for name, n in (("big", "9007199254740993"), ("tenth", "0.10"), ("huge", "1e20")):
        added = _add(cli, tmp_path, f"name={name}", f"n={n}")
        assert added.exit_code == 0, added.stderr
    text = path.read_text()
    # 2**53 + 1 stays whole, as typed; 0.10 is the float whose shortest form is 0.1;
    # 10**20, beyond 64-bit integers, is the float 1e+20 exactly
    assert "n = 9007199254740993\n" in text and "n = 0.1\n" in text and "n = 1e+20\n" in text
    assert [r["n"] for r in _records(cli, tmp_path, "--fields", "n", "--sort", "n")] == [
        0.1,
        9007199254740993,
        1e20,
    ]
    before = path.read_bytes()
    rounded = _add(cli, tmp_path, "name=pi", "n=1234567890.123456789")
    assert (rounded.exit_code, rounded.stderr) == (
        2,
        f"geobal: n: 1234567890.123456789 {INEXACT} 1234567890.1234567\n{ROUND}\n",
    )
    # a whole number of 64 bits and one more, which a float holds only as 2**63
    wide = _add(cli, tmp_path, "name=wide", "n=9223372036854775809")
    assert (wide.exit_code, wide.stderr) == (
        2,
        f"geobal: n: 9223372036854775809 {INEXACT} 9.223372036854776e+18\n{ROUND}\n",
    )
    beyond = _add(cli, tmp_path, "name=beyond", "n=1e400")
    assert (beyond.exit_code, beyond.stderr) == (
        2,
        "geobal: n: 1e400 is beyond a number field's range (64-bit floats, up to about "
        "1.8e308)\ngive the figure in a larger unit, or keep it in a text field\n",
    )
    # a filter is held to the same rule: comparing with a rounded figure is no answer
    where = cli(["query", "notes", "--where", "n=9007199254740993.5"], home=tmp_path)
    assert (where.exit_code, where.stderr) == (
        2,
        f"geobal: n: 9007199254740993.5 {INEXACT} 9007199254740994.0\n{ROUND}\n",
    )
    assert path.read_bytes() == before


def test_an_integer_field_holds_64_bits_and_refuses_more(cli: Cli, tmp_path: Path) -> None:
    path = _notes(cli, tmp_path)
    for name, i in (("low", "-9223372036854775808"), ("high", "9223372036854775807")):
        assert _add(cli, tmp_path, f"name={name}", f"i={i}").exit_code == 0
    before = path.read_bytes()
    for i in ("99999999999999999999", "-9223372036854775809", "9223372036854775808"):
        refused = _add(cli, tmp_path, "name=x", f"i={i}")
        assert (refused.exit_code, refused.stderr) == (2, f"geobal: i: {i} {INT64}\n{WIDER}\n")
    assert path.read_bytes() == before
    # every value written reads back through other TOML readers too
    import tomllib

    assert [r["i"] for r in tomllib.loads(before.decode())["records"]] == [-(2**63), 2**63 - 1]


def test_json_numbers_are_kept_exactly_or_the_import_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = _notes(cli, tmp_path)
    before = path.read_bytes()
    rows = (
        '[{"name": "a", "n": 1234567890.123456789},\n'
        ' {"name": "b", "n": 1e400},\n'
        ' {"name": "c", "i": 18446744073709551616},\n'
        ' {"name": "d", "n": 0.1, "i": 2}]\n'
    )
    result = cli(
        ["import", "-", "--into", "notes", "--format", "json", "--source", "article"],
        home=tmp_path,
        stdin=rows,
    )
    assert (result.exit_code, result.stderr) == (
        1,
        "geobal: standard input: 3 problems; nothing was imported\n"
        f"  standard input: item 1: record a: n: 1234567890.123456789 {INEXACT} "
        "1234567890.1234567\n"
        "  standard input: item 2: record b: n: 1e400 is beyond a number field's range "
        "(64-bit floats, up to about 1.8e308)\n"
        f"  standard input: item 3: record c: i: 18446744073709551616 {INT64}\n"
        "fix the rows (or map their columns with --map) and import again\n",
    )
    assert path.read_bytes() == before
    # a float that is a whole number of 64 bits is that whole number, not its float
    whole = cli(
        ["import", "-", "--into", "notes", "--format", "json", "--source", "article"],
        home=tmp_path,
        stdin='[{"name": "e", "n": 9007199254740993.0}]',
    )
    assert whole.exit_code == 0, whole.stderr
    assert "n = 9007199254740993\n" in path.read_text()


def test_a_file_holding_what_its_fields_cannot_hold_is_reported(cli: Cli, tmp_path: Path) -> None:
    path = _hand_written(
        tmp_path,
        '[[records]]\nid = "a"\nn = 1234567890.123456789\nsources = ["article"]\n\n'
        '[[records]]\nid = "b"\ni = 99999999999999999999\nsources = ["article"]\n\n'
        '[[records]]\nid = "c"\nd = "2026-00"\nsources = ["article"]\n\n'
        '[[records]]\nid = "e"\nd = "0000"\nsources = ["article"]\n\n'
        '[[records]]\nid = "f"\nn = 0.1\nd = 2024-02-29\nsources = ["article"]\n',
    )
    result = cli(["validate"], home=tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}: record a: n: 1234567890.123456789 {INEXACT} 1234567890.1234567",
        f"{path}: record b: i: 99999999999999999999 {INT64}",
        f"{path}: record c: d: expected a date such as 2018-10-05, 2018-10 or 2018, got "
        "'2026-00': there is no month 00",
        f"{path}: record e: d: expected a date such as 2018-10-05, 2018-10 or 2018, got "
        "'0000': there is no year 0000; years run from 0001",
    ]


def test_dates_that_do_not_exist_are_refused(cli: Cli, tmp_path: Path) -> None:
    path = _notes(cli, tmp_path)
    before = path.read_bytes()
    expected = "a date such as 2018-10-05, 2018-10 or 2018"
    for date, why in (
        ("2026-00", "there is no month 00"),
        ("2026-10-00", "2026-10 has no day 00"),
        ("0000", "there is no year 0000; years run from 0001"),
        ("0000-01-01", "there is no year 0000; years run from 0001"),
        ("2025-02-29", "2025-02 has no day 29"),
    ):
        refused = _add(cli, tmp_path, "name=x", f"d={date}")
        assert (refused.exit_code, refused.stderr) == (
            2,
            f"geobal: d takes {expected}, not {date!r}: {why}\n",
        )
    assert path.read_bytes() == before
    assert _add(cli, tmp_path, "name=leap", "d=2024-02-29").exit_code == 0
    # what validate passes, export and set handle
    assert cli(["validate"], home=tmp_path).exit_code == 0
    assert cli(["export", "notes", "--format", "toml"], home=tmp_path).exit_code == 0


def test_digits_of_other_scripts_are_stored_and_compared_as_ascii(cli: Cli, tmp_path: Path) -> None:
    path = _notes(cli, tmp_path)
    # Arabic-Indic, then full-width digits, typed on the command line
    assert (
        _add(cli, tmp_path, "name=arabic", "d=\u0662\u0660\u0662\u0666-\u0661\u0660").exit_code == 0
    )
    assert _add(cli, tmp_path, "name=wide", "d=\uff12\uff10\uff12\uff14", "i=\uff17").exit_code == 0
    # Devanagari, in a CSV import
    csv = "name,d,i\ndevanagari,\u0968\u0966\u0968\u096b-\u0966\u096c-\u0966\u0967,\u096f\n"
    imported = cli(
        ["import", "-", "--into", "notes", "--source", "article"], home=tmp_path, stdin=csv
    )
    assert imported.exit_code == 0, imported.stderr
    text = path.read_text()
    assert 'd = "2026-10"\n' in text and 'd = "2024"\n' in text and "d = 2025-06-01\n" in text
    assert "i = 7\n" in text and "i = 9\n" in text and text.isascii()
    # a hand-written file in other digits reads as the same dates
    (tmp_path / "datasets" / "more.toml").write_text(
        path.read_text()
        .replace('name = "notes"', 'name = "more"')
        .replace("2026-10", "\u0662\u0660\u0662\u0666-\u0661\u0660"),
        encoding="utf-8",
    )
    rows = json.loads(cli(["query", "more", "--json", "--fields", "id,d"], home=tmp_path).stdout)
    assert {"id": "arabic", "d": "2026-10"} in rows
    # filters read other digits the same way: >= 2025 in Devanagari, = 2026 in Arabic-Indic
    since = _records(cli, tmp_path, "--where", "d>=\u0968\u0966\u0968\u096b", "--fields", "id")
    assert since == [{"id": "arabic"}, {"id": "devanagari"}]
    assert _records(cli, tmp_path, "--where", "d=\u0662\u0660\u0662\u0666", "--fields", "id") == [
        {"id": "arabic"}
    ]
    assert _records(cli, tmp_path, "--where", "i=\u0969", "--fields", "id") == []
    assert _records(cli, tmp_path, "--where", "i=\u096f", "--fields", "id") == [
        {"id": "devanagari"}
    ]


def test_text_is_found_however_its_accents_were_typed(cli: Cli, tmp_path: Path) -> None:
    _hand_written(
        tmp_path,
        f'[[records]]\nid = "composed"\nname = "{NFC} noir"\nsources = ["article"]\n\n'
        f'[[records]]\nid = "decomposed"\nname = "{NFD} noir"\nsources = ["article"]\n\n'
        '[[records]]\nid = "plain"\nname = "cafe noir"\nsources = ["article"]\n',
    )
    both = [{"id": "composed"}, {"id": "decomposed"}]
    for typed in (NFC, NFD, NFC.upper(), NFD.upper()):
        found = cli(["search", typed, "--dataset", "notes", "--json"], home=tmp_path)
        assert [r["id"] for r in json.loads(found.stdout)] == ["composed", "decomposed"], typed
        assert _records(cli, tmp_path, "--where", f"name~{typed}", "--fields", "id") == both
        assert _records(cli, tmp_path, "--where", f"name!~{typed}", "--fields", "id") == [
            {"id": "plain"}
        ]
    for typed in (f"{NFC} noir", f"{NFD} noir"):
        assert _records(cli, tmp_path, "--where", f"name={typed}", "--fields", "id") == both
        assert _records(cli, tmp_path, "--where", f"name!={typed}", "--fields", "id") == [
            {"id": "plain"}
        ]
    # shown composed, as it is kept
    shown = _records(cli, tmp_path, "--where", "id=decomposed", "--fields", "name")
    assert shown == [{"name": f"{NFC} noir"}]


def test_text_typed_or_imported_is_stored_composed(cli: Cli, tmp_path: Path) -> None:
    path = _notes(cli, tmp_path)
    assert _add(cli, tmp_path, "id=typed", f"name={NFD}").exit_code == 0
    csv = f"id,name\ncsv,{NFD} au lait\n"
    assert (
        cli(
            ["import", "-", "--into", "notes", "--source", "article"], home=tmp_path, stdin=csv
        ).exit_code
        == 0
    )
    rows = json.dumps([{"id": "json", "name": f"cr\u00e8me {NFD}"}])
    assert (
        cli(
            ["import", "-", "--into", "notes", "--format", "json", "--source", "article"],
            home=tmp_path,
            stdin=rows.replace("\\u00e8", "e\u0300"),  # the JSON's own text decomposed
        ).exit_code
        == 0
    )
    text = path.read_text(encoding="utf-8")
    assert f'name = "{NFC}"\n' in text and f'name = "{NFC} au lait"\n' in text
    assert f'name = "cr\u00e8me {NFC}"\n' in text and "\u0301" not in text and "\u0300" not in text
    changed = cli(
        ["set", "notes", "typed", f"name={NFD} cr\u00e8me".replace("\u00e8", "e\u0300")],
        home=tmp_path,
    )
    assert changed.exit_code == 0, changed.stderr
    assert f'name = "{NFC} cr\u00e8me"\n' in path.read_text(encoding="utf-8")


def test_ids_made_from_text_are_transliterated(cli: Cli, tmp_path: Path) -> None:
    path = _notes(cli, tmp_path)
    made = []
    for name in ("Türkiye", "Ñandú", "Straße Łódź", "Øresund Æbelø", "Đakovo ٢٠٢٦", NFD):
        added = _add(cli, tmp_path, f"name={name}")
        assert added.exit_code == 0, added.stderr
        made.append(added.stdout)
    assert made == [
        "turkiye\n",
        "nandu\n",
        "strasse-lodz\n",
        "oresund-aebelo\n",
        "dakovo-2026\n",
        "cafe\n",
    ]
    csv = "name\nİstanbul\nÞórshöfn\n"
    imported = cli(
        ["import", "-", "--into", "notes", "--source", "article"], home=tmp_path, stdin=csv
    )
    assert imported.exit_code == 0, imported.stderr
    ids = [r["id"] for r in _records(cli, tmp_path, "--fields", "id", "--sort", "id")]
    assert ids == [
        "cafe",
        "dakovo-2026",
        "istanbul",
        "nandu",
        "oresund-aebelo",
        "strasse-lodz",
        "thorshofn",
        "turkiye",
    ]
    before = path.read_bytes()
    # text with no Latin letter or digit gives no id: one line saying so and what to do
    cyrillic = _add(cli, tmp_path, "name=Москва")
    assert (cyrillic.exit_code, cyrillic.stderr) == (
        2,
        "geobal: no id can be made from name 'Москва': ids are Latin letters and digits, "
        "and it has none; give one with --set id=ID\n",
    )
    cjk = cli(
        ["import", "-", "--into", "notes", "--source", "article"],
        home=tmp_path,
        stdin="name\n東京\n",
    )
    assert (cjk.exit_code, cjk.stderr) == (
        1,
        "geobal: standard input: 1 problem; nothing was imported\n"
        "  standard input: line 2: id: no id can be made from name '東京': ids are Latin "
        "letters and digits, and it has none; give one with an id column, or a text field\n"
        "fix the rows (or map their columns with --map) and import again\n",
    )
    assert path.read_bytes() == before
