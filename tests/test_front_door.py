"""One front door to SIPRI's data: `geobal import FILE` recognises a SIPRI export with
no --as (and never a user's rows); a register's recipients and suppliers match in
--where by the names people use; every output computed from SIPRI data credits it;
--count-by names its key after the field."""

import json
from pathlib import Path

import pytest

from geobal import transfer
from geobal.errors import DataError
from geobal.transfer import sipri
from tests.conftest import FIXTURES, run_cli, shared

EXCERPTS = FIXTURES / "sipri"
REGISTER = EXCERPTS / "trade-register-excerpt.csv"
PER_YEAR = EXCERPTS / "per-year-2000-2001-excerpt.csv"
VOLUMES = EXCERPTS / "import-export-values-excerpt.csv"
CREDIT = "Information from the SIPRI Arms Transfers Database"


def test_every_shape_has_a_front_door() -> None:
    assert {shape.tag for shape in sipri.SHAPES} == set(transfer.DOOR)


@pytest.mark.parametrize(
    ("path", "kind", "as_"),
    [
        (REGISTER, "trade register (legacy export)", "sipri"),
        (PER_YEAR, "trade register (per-year export)", "sipri"),
        (VOLUMES, "import-volume table", "sipri-tiv"),
    ],
)
def test_each_excerpt_is_recognised(path: Path, kind: str, as_: str) -> None:
    assert transfer.recognised(path.read_bytes(), path.name) == (kind, transfer.As(as_))
    # as a spreadsheet re-saves it: CRLF line ends
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    assert transfer.recognised(crlf, path.name) == (kind, transfer.As(as_))


def test_a_spreadsheets_re_save_is_recognised_and_imported(tmp_path: Path) -> None:
    from tests.test_sipri_shapes import _resaved

    resaved = tmp_path / "per-year.csv"
    text = _resaved(PER_YEAR.read_bytes(), sep=";", trailing=True, crlf=True)
    resaved.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    found = transfer.recognised(resaved.read_bytes(), "per-year.csv")
    assert found == ("trade register (per-year export)", transfer.As.SIPRI)
    result = run_cli(["import", str(resaved)], home=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"{resaved} is a SIPRI export: read as with --as sipri\n")


def test_rows_of_the_users_are_never_taken_for_sipri() -> None:
    header = "Recipient,Supplier,Year of order,Number ordered\nIndia,France,2019,36\n"
    assert transfer.recognised(header.encode(), "own.csv") is None
    assert transfer.recognised(b"Recipient,2019,2020\nIndia,1,2\n", "own.csv") is None
    # the credit line in a cell of the data, below the header, is no SIPRI notes
    cited = "Recipient,note\nIndia,Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    assert transfer.recognised(cited.encode(), "own.csv") is None
    assert transfer.recognised(b"", "empty.csv") is None


def test_notes_crediting_sipri_above_no_known_header_are_refused() -> None:
    notes = REGISTER.read_bytes().split(b"\n")[:11]
    data = b"\n".join([*notes, b"Supplier,Weapon,1950,1951", b"France,tank,1,2"])
    with pytest.raises(DataError) as err:
        transfer.recognised(data, "odd.csv")
    assert err.value.message == (
        "odd.csv: its notes credit SIPRI's database, but no header below them is one of a "
        "SIPRI export that geobal reads"
    )
    assert err.value.hint is not None and "import-volume table" in str(err.value.hint)


def test_import_without_as_reads_a_sipri_export_and_says_so(tmp_path: Path) -> None:
    result = run_cli(["import", str(REGISTER)], home=tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"{REGISTER} is a SIPRI export: read as with --as sipri"
    assert lines[1].startswith("read the trade register (legacy export), covering 1950-2023: ")
    assert lines[-1] == (
        f"wrote {tmp_path / 'datasets' / 'transfers.toml'}, citing sipri-register-2024-10-13"
    )
    result = run_cli(["import", str(VOLUMES)], home=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{VOLUMES} is a SIPRI export: read as with --as sipri-tiv"
    )
    assert (tmp_path / "datasets" / "tiv.toml").is_file()
    # --into as the issue typed it: the same dataset, replaced as --as sipri replaces it
    result = run_cli(["import", str(PER_YEAR), "--into", "transfers"], home=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "\nreplaced transfers, which held 184 records of the trade register (legacy" in (
        result.stderr
    )
    # from standard input too
    result = run_cli(
        ["import", "-", "--into", "yearly"], home=tmp_path, stdin=PER_YEAR.read_text("utf-8")
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("standard input is a SIPRI export: read as with --as sipri\n")


def test_options_for_rows_on_a_sipri_export_are_refused_naming_it(tmp_path: Path) -> None:
    result = run_cli(
        ["import", str(REGISTER), "--into", "transfers", "--map", "a=b"], home=tmp_path
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(
        f"geobal: {REGISTER} is SIPRI's trade register (legacy export), read as with --as "
        "sipri: --map applies to rows, not to --as sipri: "
    )
    assert not (tmp_path / "datasets").exists()


def test_a_users_csv_with_sipris_column_names_is_imported_as_rows(tmp_path: Path) -> None:
    assert (
        run_cli(
            ["new", "own", "--field", "recipient:text", "--field", "supplier:text"], home=tmp_path
        ).exit_code
        == 0
    )
    own = tmp_path / "own.csv"
    own.write_text("id,recipient,supplier\na,Turkiye,United States\n")
    result = run_cli(["import", str(own), "--into", "own", "--source", "article"], home=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "SIPRI" not in result.stderr


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("trade-register.csv", "trade register (legacy export)"),
        ("register-2026-07-supplier-china.csv", "trade register (legacy export)"),
        ("per-year-2000-2023.csv", "trade register (per-year export)"),
        ("import-export-values_1950-2024.csv", "import-volume table"),
        ("import-values-2026-07-from-china.csv", "import-volume table"),
    ],
)
def test_the_real_exports_are_recognised(name: str, kind: str) -> None:
    path = shared("sipri", name)
    found = transfer.recognised(path.read_bytes(), name)
    assert found is not None and found.kind == kind


def test_the_trade_register_imports_without_as(tmp_path: Path) -> None:
    """The issue's own command: it said "not valid UTF-8" and nothing about SIPRI."""
    path = shared("sipri", "trade-register.csv")
    result = run_cli(["import", str(path), "--into", "transfers"], home=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"{path} is a SIPRI export: read as with --as sipri\n")
    out = run_cli(["query", "transfers", "--count-by", "supplier", "--json"], home=tmp_path)
    assert json.loads(out.stdout)[0] == {
        "supplier": "United States",
        "count": 8921,
        "credit": CREDIT,
    }


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the legacy excerpt imported as transfers, as the front door imports it."""
    home = tmp_path_factory.mktemp("door-home")
    result = run_cli(["import", str(REGISTER)], home=home)
    assert result.exit_code == 0, result.stderr
    return home


GROUPED = ["query", "transfers", "--count-by", "supplier", "--sum", "tiv_delivered"]


def test_query_aggregates_carry_sipris_credit_in_every_format(home: Path) -> None:
    out = run_cli([*GROUPED, "--limit", "1", "--json"], home=home).stdout
    assert json.loads(out) == [
        {
            "supplier": "China",
            "count": 33,
            "tiv_delivered_sum": 7551.48,
            "tiv_delivered_skipped": 0,
            "credit": CREDIT,
        }
    ]
    assert run_cli([*GROUPED, "--limit", "1", "-f", "csv"], home=home).stdout == (
        "supplier,count,tiv_delivered_sum,tiv_delivered_skipped,credit\n"
        f"China,33,7551.48,0,{CREDIT}\n"
    )
    for fmt in ("jsonl", "tsv", "toml"):
        assert CREDIT in run_cli([*GROUPED, "-f", fmt], home=home).stdout, fmt
    line = f"{CREDIT}; the figures are geobal's."
    markdown = run_cli([*GROUPED, "--limit", "1", "-f", "markdown"], home=home).stdout
    assert markdown == (
        "| Supplier | Count | TIV delivered sum |\n|---|---:|---:|\n| China | 33 | 7551.48 |\n"
        f"\n{line}\n"
    )
    table = run_cli([*GROUPED, "--limit", "2"], home=home, tty=True).text
    assert table.splitlines()[2].split() == ["Supplier", "Count", "TIV", "delivered", "sum"]
    assert table.rstrip().endswith(line)
    # one row over all the records, and columns chosen: the caption still says it
    whole = run_cli(["query", "transfers", "--sum", "tiv_delivered", "--json"], home=home)
    assert json.loads(whole.stdout)[0]["credit"] == CREDIT
    chosen = ["--fields", "supplier,count", "-f", "markdown", "--limit", "1"]
    assert run_cli([*GROUPED, *chosen], home=home).stdout.endswith(f"\n{line}\n")
    assert run_cli([*GROUPED, "--fields", "supplier", "--limit", "1"], home=home).stdout == (
        "supplier\nChina\n"
    )


def test_the_credit_is_in_the_librarys_provenance_and_not_on_other_data(home: Path) -> None:
    import geobal
    from tests.conftest import home_environ

    api = geobal.open(environ=home_environ(home))
    assert api.query("transfers", count_by="supplier").provenance.credit == CREDIT
    listed = api.query("transfers", limit=1)  # records as SIPRI gives them: no new column
    assert "credit" not in listed.frame.rows[0]
    deals = api.query("deals", count_by="status")
    assert deals.provenance.credit is None
    assert [f.name for f in deals.frame.columns] == ["status", "count"]


@pytest.mark.parametrize(
    ("where", "suppliers"),
    [
        ("supplier=USA", {"United States": 26}),
        ("supplier=u.s.a.", {"United States": 26}),
        ("supplier=UK", {"United Kingdom": 5}),
        ("supplier=Turkey", {"Turkiye": 3}),
        ("supplier=türkiye", {"Turkiye": 3}),
        ("supplier=Turkiye", {"Turkiye": 3}),
    ],
)
def test_where_finds_a_register_country_by_the_names_shares_takes(
    home: Path, where: str, suppliers: dict[str, int]
) -> None:
    out = run_cli([*GROUPED[:4], "--where", where, "--json"], home=home).stdout
    assert {r["supplier"]: r["count"] for r in json.loads(out)} == suppliers


def test_not_equal_and_contains_on_a_country_field(home: Path) -> None:
    every = json.loads(run_cli([*GROUPED[:4], "--json"], home=home).stdout)
    others = json.loads(
        run_cli([*GROUPED[:4], "--where", "supplier!=USA", "--json"], home=home).stdout
    )
    assert {r["supplier"] for r in every} - {r["supplier"] for r in others} == {"United States"}
    # ~ looks for text in the name as written, as on every text field
    found = run_cli(["query", "transfers", "--where", "supplier~USA"], home=home)
    assert (found.exit_code, found.stderr) == (0, "No records matched.\n")
    # a prefix is no name: "Dominica" never finds the Dominican Republic
    prefix = run_cli(["query", "transfers", "--where", "supplier=Turk"], home=home)
    assert prefix.stderr == "No records matched.\n"


def test_the_country_property_is_declared_kept_and_checked(tmp_path: Path) -> None:
    import geobal
    from geobal.schema import build_dataset
    from tests.conftest import home_environ

    transfers = geobal.open(environ=home_environ(tmp_path))
    assert run_cli(["import", str(PER_YEAR)], home=tmp_path).exit_code == 0
    ds = transfers.dataset("transfers")
    assert [f.name for f in ds.fields if f.country] == ["recipient", "supplier"]
    # the dataset file says it, the cache keeps it, describe explains it
    text = (tmp_path / "datasets" / "transfers.toml").read_text("utf-8")
    assert (
        '[fields.recipient]\ntype = "text"\ntitle = "Recipient"\nrequired = true\ncountry = true\n'
        in text
    )
    again = geobal.open(environ=home_environ(tmp_path)).dataset("transfers")
    assert [f.name for f in again.fields if f.country] == ["recipient", "supplier"]
    described = run_cli(["schema", "transfers", "--json"], home=tmp_path).stdout
    [supplier] = [r for r in json.loads(described) if r["name"] == "supplier"]
    assert "A country: = finds it by any of its names (Turkey, Turkiye)." in supplier["about"]
    exported = run_cli(["export", "transfers", "-f", "toml"], home=tmp_path).stdout
    assert "\ncountry = true\n" in exported
    for spec, message in (
        ({"type": "integer", "country": True}, "country applies to text fields only"),
        ({"type": "text", "country": "yes"}, "country must be true or false"),
        ({"type": "integer", "totals": True}, "totals applies to boolean fields only"),
        ({"type": "boolean", "totals": 1}, "totals must be true or false"),
    ):
        with pytest.raises(DataError) as err:
            build_dataset(
                {"dataset": {"name": "x", "title": "X", "key": "id"}, "fields": {"c": spec}},
                tmp_path / "x.toml",
                "user",
            )
        assert any(message in p.message for p in err.value.problems), err.value.problems


def test_where_recipient_turkey_in_the_full_register(tmp_path: Path) -> None:
    """The issue's own query: it found nothing while shares --recipient Turkey found Turkiye."""
    path = shared("sipri", "trade-register.csv")
    assert run_cli(["import", str(path)], home=tmp_path).exit_code == 0
    out = run_cli(
        ["query", "transfers", "--where", "recipient=Turkey", "--count-by", "recipient", "--json"],
        home=tmp_path,
    ).stdout
    assert [(r["recipient"], r["count"]) for r in json.loads(out)] == [("Turkiye", 555)]


def test_the_library_imports_a_sipri_export_through_the_same_door(tmp_path: Path) -> None:
    import geobal
    from tests.conftest import home_environ

    api = geobal.open(environ=home_environ(tmp_path))
    done = api.import_(VOLUMES)
    assert done.notes[0] == f"{VOLUMES} is a SIPRI export: read as with --as sipri-tiv"
    assert len(api.dataset("tiv").records) == 768
    as_bytes = api.import_(PER_YEAR.read_bytes(), "yearly", name="per-year.csv")
    assert as_bytes.notes[0] == "per-year.csv is a SIPRI export: read as with --as sipri"
