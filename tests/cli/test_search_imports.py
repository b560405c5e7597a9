"""`search` keeps to the datasets a person searches: the bundled ones and the user's
own; those a SIPRI import made only when asked, and each hit dated where it can be."""

from collections.abc import Callable
from pathlib import Path

import geobal
from tests.conftest import FIXTURES, SNAPSHOT, Run, home_environ

Cli = Callable[..., Run]
SIPRI = FIXTURES / "sipri"
CITES = ("--set", "sources=article")
LEFT_OUT = (
    "not searched: 2 datasets a SIPRI import made (py, transfers); "
    "--all searches them too, --dataset NAME one of them\n"
)


def _home(cli: Cli, home: Path) -> None:
    """The user's own notes, one dated, beside the legacy register and a per-year export."""
    for args in (
        ["import", str(SIPRI / "trade-register-excerpt.csv")],
        ["import", str(SIPRI / "per-year-india-2019-2023-excerpt.csv"), "--into", "py"],
        ["new", "notes", "--field", "title:text!", "--field", "seen:date"],
        ["add", "notes", "--set", "title=S-400 talk", "--set", "seen=2024-05", *CITES],
        ["add", "notes", "--set", "title=S-400 again", *CITES],
    ):
        done = cli(args, home=home)
        assert done.exit_code == 0, done.stderr


def test_search_leaves_out_sipri_imports_and_says_so_on_a_terminal(
    cli: Cli, tmp_path: Path
) -> None:
    _home(cli, tmp_path)
    mine = cli(["search", "S-400", "--fields", "dataset,id,date"], home=tmp_path)
    # each hit dated where the record has a date: a deal by its year, not its status_date
    assert mine.stdout == (
        "dataset\tid\tdate\n"
        "deals\tmissile-technology\t\n"
        "deals\ts-400\t2018\n"
        "events\tcaatsa-first-use\t2018-09-20\n"
        "events\ts-400-contract\t2018-10-05\n"
        "events\tturkey-sanctioned\t2020-12-14\n"
        "events\ts-400-reaffirmed\t2025-06-26\n"
        "events\tsummit-23\t2025-12-04\n"
        "notes\ts-400-talk\t2024-05\n"
        "notes\ts-400-again\t\n"
        "sources\turdupoint-2019-07-17\t2019-07-17\n"
        "sources\tibtimes-s400\t\n"
        "sources\tpravda-s400\t\n"
        "sources\tidn-2026-01-s400\t2026-01\n"
        "sources\tlokmat-2021-11-14\t2021-11-14\n"
        "sources\tindianmasterminds-s400\t\n"
        "sources\tjdsupra-2020-12\t\n"
    )
    assert mine.stderr == ""  # off a terminal, as the matches by dataset
    shown = cli(["search", "S-400 again"], home=tmp_path, tty=True)
    # on a terminal, notes are wrapped at spaces to its width
    said = f"matches by dataset: notes 1\n{LEFT_OUT}1 match\n"
    assert shown.stderr.split() == said.split()
    assert all(len(line) <= 80 for line in shown.stderr.splitlines())
    assert shown.text.splitlines()[2].split() == [
        "Dataset",
        "ID",
        "Date",
        "Record",
        "Matched",
        "in",
    ]
    none = cli(["search", "no such words"], home=tmp_path, tty=True)
    assert none.exit_code == 0
    assert none.stderr.split() == f"{LEFT_OUT}No records matched.\n".split()


def test_all_or_dataset_searches_the_imports(cli: Cli, tmp_path: Path) -> None:
    _home(cli, tmp_path)
    register = [
        "py\t32127-2023\tS-400 Triumf",
        "py\t32127-2021\tS-400 Triumf",
        "py\t32127-2022\tS-400 Triumf",
        "transfers\tindia-russia-2018-s-400-triumf\tS-400 Triumf",
        "transfers\tindia-russia-2018-48n6\t48N6",
    ]
    every = cli(["search", "S-400", "--all", "--fields", "dataset,id"], home=tmp_path)
    mine = cli(["search", "S-400", "--fields", "dataset,id"], home=tmp_path)
    assert mine.exit_code == every.exit_code == 0
    added = sorted(set(every.stdout.splitlines()) - set(mine.stdout.splitlines()))
    assert added == sorted(r.rsplit("\t", 1)[0] for r in register)
    assert set(mine.stdout.splitlines()) < set(every.stdout.splitlines())
    named = cli(
        [
            "search",
            "S-400",
            "-d",
            "py",
            "--dataset",
            "transfers",
            "-f",
            "tsv",
            "--fields",
            "dataset,id,title",
        ],
        home=tmp_path,
        tty=True,
    )
    assert named.stdout == "dataset\tid\ttitle\n" + "".join(f"{r}\n" for r in register)
    assert named.stderr == "matches by dataset: py 3, transfers 2\n5 matches\n"
    both = cli(["search", "S-400", "--all", "--dataset", "py"], home=tmp_path)
    assert (both.exit_code, both.stdout, both.stderr) == (
        2,
        "",
        "geobal: --all searches every dataset, and --dataset only those it names\n"
        "give one or the other\n",
    )


def test_the_library_searches_the_imports_with_everything(cli: Cli, tmp_path: Path) -> None:
    _home(cli, tmp_path)
    api = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    mine = {r["dataset"] for r in api.search("S-400").frame.rows}
    every = {r["dataset"] for r in api.search("S-400", everything=True).frame.rows}
    assert every - mine == {"py", "transfers"}
    assert api.search("S-400").aside[-1] == LEFT_OUT.rstrip("\n")
    dated = {r["id"]: r.get("date") for r in api.search("S-400", "notes").frame.rows}
    assert dated == {"s-400-talk": "2024-05", "s-400-again": None}


def test_a_hit_is_dated_by_its_date_else_its_year_else_its_period(tmp_path: Path) -> None:
    """A date field named date; else an integer year (a deal's year, not the date of its
    status); else the first date field; else an integer field ending _year; else the
    period (SIPRI's shares are of periods)."""
    from geobal.model import Dataset
    from geobal.schema import USER, build_dataset
    from geobal.searching import date_field, hits

    kept = ("id", "note", "sources")

    def dataset(fields: dict[str, str]) -> Dataset:
        record: dict[str, object] = {"id": "a", "sources": ["s1"], "note": "found"}
        record |= {"when": "2021-03-04", "order_year": 2019, "year": 2020, "period": "2014-18"}
        record |= {"year_note": "late", "note2": "x"}
        doc: dict[str, object] = {
            "dataset": {"name": "d", "title": "D", "key": "id"},
            "fields": {"id": {"type": "text"}, "note": {"type": "text"}}
            | {name: {"type": kind} for name, kind in fields.items()},
            "records": [{k: v for k, v in record.items() if k in {*fields, *kept}}],
        }
        return build_dataset(doc, tmp_path / "d.toml", USER)

    cases = [
        ({"period": "text", "order_year": "integer", "when": "date"}, "when", "2021-03-04"),
        ({"period": "text", "order_year": "integer", "year": "integer"}, "year", "2020"),
        ({"when": "date", "year": "integer"}, "year", "2020"),
        ({"when": "date", "date": "date", "year": "integer"}, "date", None),
        ({"period": "text", "order_year": "integer"}, "order_year", "2019"),
        ({"period": "text", "year_note": "text"}, "period", "2014-18"),  # text is no year
        ({"note2": "text"}, None, None),
    ]
    for fields, named, shown in cases:
        ds = dataset(fields)
        found = date_field(ds)
        assert (found.name if found else None) == named, fields
        [hit] = hits([ds], "found")
        assert hit.get("date") == shown, fields


def test_the_imports_are_left_out_by_their_files_start_without_reading_them(
    cli: Cli, tmp_path: Path
) -> None:
    """A SIPRI import's [dataset] and [fields] tell it from the user's own datasets: its
    records (a register's 12 MB) are not read only to be left out. Where its start cannot
    tell (line ends of CRLF here), the dataset is read whole and told by its fields."""
    from geobal.shapes import imported_file

    _home(cli, tmp_path)
    data = tmp_path / "datasets"
    assert imported_file(data / "transfers.toml") is True
    assert imported_file(data / "notes.toml") is False
    assert imported_file(data / "no-such.toml") is None
    # the register's records broken after its start: left out all the same, unread
    register = data / "transfers.toml"
    text = register.read_text(encoding="utf-8")
    register.write_text(text + "[[records]]\nid = \n", encoding="utf-8")
    mine = cli(["search", "S-400 again", "--fields", "dataset,id"], home=tmp_path)
    assert (mine.exit_code, mine.stdout, mine.stderr) == (
        0,
        "dataset\tid\nnotes\ts-400-again\n",
        "",
    )
    every = cli(["search", "S-400 again", "--all"], home=tmp_path)
    assert "ignoring transfers" in every.stderr  # read when asked for: the file is broken
    register.write_text(text, encoding="utf-8")
    # CRLF: the quick look cannot tell, the whole dataset read tells the same
    per_year = data / "py.toml"
    per_year.write_bytes(per_year.read_bytes().replace(b"\n", b"\r\n"))
    assert imported_file(per_year) is None
    api = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    assert api.search("S-400").aside[-1] == LEFT_OUT.rstrip("\n")
