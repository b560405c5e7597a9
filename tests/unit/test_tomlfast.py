"""The quick reader of the [[records]] geobal writes (geobal.tomlfast) gives exactly what
tomllib gives, types included, or declines, and then tomllib reads the whole file, its
errors as they were: on the toml-test corpus, on geobal's own writes and bundled data,
on hostile cases, and on random edits of a dataset file."""

import datetime as dt
import random
import tomllib
from pathlib import Path
from typing import Any

import pytest

from geobal import tomlfast
from geobal.codecs.tomldoc import toml_dumps
from geobal.errors import DataError
from geobal.fieldtypes import NumberText, read_float
from geobal.files import parse_toml
from tests.conftest import DATA, FIXTURES, Run, corpus

WHICH = pytest.mark.parametrize("whole", [False, True], ids=["sample", "whole"])


def _slow(text: str) -> dict[str, Any]:
    return tomllib.loads(text, parse_float=read_float)


def _fast(text: str) -> dict[str, Any] | None:
    return tomlfast.parse(text, read_float, _slow)


def _same(a: object, b: object) -> bool:
    """Equal and of the same types all the way down: 1, 1.0 and True are not the same
    value, nor are 0.0 and -0.0; nan is nan."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float | NumberText):
        return repr(a) == repr(b)
    return a == b


def _agrees(text: str) -> bool:
    """Whether the quick reader took `text`; it fails the test if it gave what tomllib
    would not."""
    got = _fast(text)
    if got is None:
        return False
    assert _same(got, _slow(text)), text  # tomllib raising here fails the test too
    return True


def test_same_checks_types_and_signs() -> None:
    assert _same({"a": [1, "x", dt.date(2024, 1, 1)]}, {"a": [1, "x", dt.date(2024, 1, 1)]})
    assert not _same({"a": 1}, {"a": 1.0}) and not _same({"a": 1}, {"a": True})
    assert not _same(0.0, -0.0) and _same(float("nan"), float("nan"))
    assert not _same({"a": 1, "b": 2}, {"b": 2, "a": 1})


# the corpus's documents as they are, as a record's keys, and after a head and a record
PREFIXES = ("", "[[records]]\n", "[dataset]\nname = 1\n\n[[records]]\nid = 1\n\n[[records]]\n")


def _texts(kind: str, whole: bool) -> list[str]:
    texts = []
    for doc in corpus(kind, whole):
        try:
            text = doc.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # geobal refuses it before any TOML is read
        texts += [prefix + text for prefix in PREFIXES]
    return texts


@WHICH
def test_on_valid_toml_it_gives_what_tomllib_gives_or_declines(whole: bool) -> None:
    taken = sum(_agrees(text) for text in _texts("valid", whole))
    assert taken > (60 if whole else 3)  # it reads some of them: the check can fail


@WHICH
def test_on_invalid_toml_it_declines(whole: bool) -> None:
    refused = 0
    for text in _texts("invalid", whole):
        try:
            _slow(text)
        except (tomllib.TOMLDecodeError, ValueError, RecursionError):
            refused += 1
            assert _fast(text) is None, text
        else:  # a document tomllib reads all the same (Python 3.11's reads a few)
            _agrees(text)
    assert refused > (1200 if whole else 120)


def test_geobal_s_own_writes_take_the_quick_path(cli: Any, tmp_path: Path) -> None:
    fields = ["title:text!", "year:integer", "share:number", "done:boolean", "on:date"]
    run: Run = cli(["new", "notes", *(f for n in fields for f in ("--field", n))], home=tmp_path)
    assert run.exit_code == 0, run.stderr
    values = [
        ['title=A "quoted" = [[records]] \\ back\tand é \u202e', "year=-0", "share=-2.5"],
        ["title=second", "year=123456789012", "share=0.1", "done=true", "on=2024-02-29"],
        ["title=x\nmultiline", "done=false"],
    ]
    for sets in values:
        args = [a for s in [*sets, "sources=article"] for a in ("--set", s)]
        run = cli(["add", "notes", *args], home=tmp_path)
        assert run.exit_code == 0, run.stderr
    register = FIXTURES / "sipri" / "trade-register-excerpt.csv"
    run = cli(["import", str(register), "--as", "sipri", "--into", "register"], home=tmp_path)
    assert run.exit_code == 0, run.stderr
    written = sorted((tmp_path / "datasets").glob("*.toml"))
    assert [p.name for p in written] == ["notes.toml", "register.toml", "sources.toml"]
    for path in written:
        assert _agrees(path.read_text(encoding="utf-8")), path
    notes = _fast((tmp_path / "datasets" / "notes.toml").read_text(encoding="utf-8"))
    assert notes is not None and len(notes["records"]) == 3


def test_bundled_data_takes_the_quick_path() -> None:
    files = sorted(DATA.glob("*.toml"))
    assert len(files) > 10
    for path in files:
        assert _agrees(path.read_text(encoding="utf-8")), path


HEAD = '[dataset]\nname = "x"\n\n[fields.id]\ntype = "text"\n\n'

# what it reads, each as a record's lines
TAKEN = {
    "text holding = and a header": ('s = "a = b"\nt = "[[records]]"\n', ["a = b", "[[records]]"]),
    "escapes": (
        's = "\\u00e9\\U0001F600\\t\\"\\\\\\b\\f\\r\\n"\n',
        ['\u00e9\U0001f600\t"\\\b\f\r\n'],
    ),
    "a long integer": (f"n = {'9' * 200}\n", [int("9" * 200)]),
    "minus zero": ("n = -0\nf = -0.0\n", [0, -0.0]),
    "a float of more digits than a float keeps": (
        "f = 0.1000000000000000055511151231257827\n",
        [read_float("0.1000000000000000055511151231257827")],
    ),
    "a date": ("d = 2024-02-29\n", [dt.date(2024, 2, 29)]),
    "arrays as written by hand": (
        'a = ["x", 1,\n  2.5, true]\nb = [\n  "y"\n]\nc = []\nd = [ ]\n',
        [["x", 1, 2.5, True], ["y"], [], []],
    ),
    "a multi-line string": (
        's = """\nline \\\n   on "one"\nand ""two""."""\n',
        ['line on "one"\nand ""two"".'],
    ),
    "a whole-line comment": ("# a comment\nn = 1\n", [1]),
    "exponents, as geobal writes small and large floats": (
        "a = 1e-07\nb = -2.5E+300\nc = 0e0\nd = 1e007\ne = [\n    3e-05,\n]\n",
        [1e-07, -2.5e300, 0.0, 1e7, [3e-05]],
    ),
}


@pytest.mark.parametrize("lines", TAKEN.values(), ids=TAKEN.keys())
def test_what_it_reads(lines: tuple[str, list[object]]) -> None:
    text, values = lines
    doc = _fast(HEAD + "[[records]]\n" + text)
    assert doc is not None
    assert _same(list(doc["records"][0].values()), values)
    assert _agrees(HEAD + "[[records]]\n" + text)


# what it declines, each as a record's lines; tomllib reads some and refuses others
DECLINED = {
    "a trailing comment": "n = 1 # one\n",
    "a key given twice": "n = 1\nn = 2\n",
    "a surrogate escaped": 's = "\\ud800"\n',
    "an escape beyond Unicode": 's = "\\U00110000"\n',
    "an escape TOML 1.0 lacks": 's = "\\e"\n',
    "more digits than Python converts": f"n = {'9' * 5000}\n",
    "nan": "f = nan\n",
    "inf": "f = -inf\n",
    "an exponent with a plus sign in a one-line array": "f = [1e+07]\n",
    "an underscore": "n = 1_000\n",
    "a plus sign": "n = +1\n",
    "a leading zero": "n = 01\n",
    "a hexadecimal integer": "n = 0x1f\n",
    "a time": "t = 07:32:00\n",
    "a datetime": "t = 1979-05-27T07:32:00Z\n",
    "an impossible date": "d = 2023-02-29\n",
    "a literal string": "s = 'x'\n",
    "a multi-line literal string": "s = '''x'''\n",
    "a quote beside the closing ones": 's = """x""""\n',
    "a dotted key": "a.b = 1\n",
    "a quoted key": '"a" = 1\n',
    "no spaces around =": "a=1\n",
    "an indented key": "  a = 1\n",
    "an inline table": "t = { a = 1 }\n",
    "an array of arrays": "a = [[1], [2]]\n",
    "a comment in an array": "a = [\n  1, # one\n]\n",
    "a control character": 's = "a\x7fb"\n',
    "a tab before a line end": "n = 1\t\n",
    "a table after the records": "n = 1\n\n[other]\nm = 2\n",
    "a sub-table of a record": "n = 1\n\n[records.sub]\nm = 2\n",
    "an unclosed array": "a = [\n  1,\n",
    "an unclosed string": 's = """\nx\n',
    "an empty value": "n = \n",
}


@pytest.mark.parametrize("lines", DECLINED.values(), ids=DECLINED.keys())
def test_what_it_declines(lines: str) -> None:
    text = HEAD + "[[records]]\n" + lines
    assert _fast(text) is None
    try:
        want: object = _slow(text)
    except (tomllib.TOMLDecodeError, ValueError) as err:
        want = err
    if isinstance(want, Exception):
        with pytest.raises(DataError):
            parse_toml(text, "x.toml")
    else:
        assert _same(parse_toml(text, "x.toml"), want)


def test_crlf_files_and_heads_naming_records_are_tomllib_s() -> None:
    crlf = (HEAD + '[[records]]\nid = "a"\n').replace("\n", "\r\n")
    assert _fast(crlf) is None
    assert _same(parse_toml(crlf, "x.toml"), _slow(crlf))
    for head in ('records = "x"\n', "[[ records ]]\n", "[records]\n"):
        text = head + '[[records]]\nid = "a"\n'
        assert _fast(text) is None, head
    # a head that ends inside a string: the [[records]] line is text of it
    text = 's = """\n[[records]]\nid = "a"\n"""\n'
    assert _fast(text) is None and _slow(text) == {"s": '[[records]]\nid = "a"\n'}


def test_errors_are_tomllib_s_with_line_and_column() -> None:
    text = HEAD + '[[records]]\nid = "a"\nid = "b"\n'
    with pytest.raises(DataError) as info:
        parse_toml(text, "x.toml")
    assert info.value.message == "x.toml:9:9: invalid TOML: Cannot overwrite a value"
    big = HEAD + f"[[records]]\nn = {'9' * 5000}\n"
    with pytest.raises(DataError) as info:
        parse_toml(big, "x.toml")
    assert info.value.message.startswith("x.toml: cannot read: Exceeds the limit")


def _random_text(rng: random.Random) -> str:
    nasty = ['"', "\\", " = ", "[[records]]", "\n", "\t", "\r", "#", "'", "\x7f", "\x01"]
    nasty += ["é", "\u202e", "\U0001f600", "\ufeff", "x", " ", "]", ","]
    return "".join(rng.choice(nasty) for _ in range(rng.randint(0, 8)))


def _random_value(rng: random.Random) -> object:
    pick = rng.randrange(7)
    if pick == 0:
        return _random_text(rng)
    if pick == 1:
        return rng.choice([0, -1, 2**63, -(10**30), rng.randint(-(10**6), 10**6)])
    if pick == 2:  # floats tomli-w writes with and without an exponent
        return rng.choice([-0.0, 0.1, 1.5, -2.25, 1e15, 1e-07, 3e300, rng.random() / 1e9])
    if pick == 3:
        return rng.choice([True, False])
    if pick == 4:
        return dt.date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28))
    if pick == 5:
        return [_random_text(rng) for _ in range(rng.randint(1, 3))]
    return [rng.randint(-5, 5) for _ in range(rng.randint(1, 3))]


def test_random_records_as_geobal_writes_them_are_read_alike() -> None:
    rng = random.Random(24)
    for _ in range(300):
        records = [
            {f"k{i}": _random_value(rng) for i in range(rng.randint(0, 6))}
            for _ in range(rng.randint(1, 4))
        ]
        text = HEAD + "".join("[[records]]\n" + toml_dumps(r) + "\n" for r in records)
        assert _agrees(text), text


def test_random_edits_of_a_dataset_file_are_read_alike_or_declined() -> None:
    """Characters inserted, removed or replaced anywhere in a bundled dataset's records:
    each edit is read as tomllib reads it, or declined."""
    text = (DATA / "deals.toml").read_text(encoding="utf-8")
    start = text.index("\n[[records]]\n")
    base = text[: text.index("\n[[records]]\n", start + 4000) + 1]
    base += '[[records]]\nn = -0\nf = -0.0\nd = 2024-02-29\nl = [\n    1,\n    "\\u00e9",\n]\n'
    assert _agrees(base)
    alphabet = list("\"\\\n\r #[],=.'\t09-e_u{}:T+\x7f\x00é")
    rng = random.Random(24)
    taken = 0
    for _ in range(1500):
        edited = base
        for _ in range(rng.randint(1, 3)):
            at, c = rng.randrange(len(edited)), rng.choice(alphabet)
            inserted, removed = edited[:at] + c + edited[at:], edited[:at] + edited[at + 1 :]
            edited = rng.choice([inserted, removed, edited[:at] + c + edited[at + 1 :]])
        got = _fast(edited)
        if got is not None:
            taken += 1
            assert _same(got, _slow(edited)), edited
    assert 300 < taken < 1500  # both ways are taken
