"""A trade register SIPRI filtered to one supplier (or recipient), told by its first
note ("from China to All countries"): kept apart with its scope, and never read as a
country's whole imports (found by the newcomer pass on issue 21: Pakistan's imports came
out "China 100%")."""

import json
from pathlib import Path

import pytest

from geobal.transfer import sipri
from tests.conftest import FIXTURES, run_cli, shared

CHINA = FIXTURES / "sipri" / "register-2026-07-china-excerpt.csv"
WORLD = FIXTURES / "sipri" / "trade-register-excerpt.csv"
NEEDS_ALL = (
    "export the register for all countries from SIPRI's database and import it: "
    "geobal import trade-register.csv --as sipri\n"
)


def test_the_first_note_says_whose_transfers_a_register_holds() -> None:
    assert sipri.read_register(CHINA.read_bytes(), "c.csv").scope == "transfers from China"
    assert sipri.read_register(WORLD.read_bytes(), "w.csv").scope is None
    assert sipri.register_scope("All countries", "India") == "transfers to India"
    assert sipri.register_scope("China", "India") == "transfers from China to India"
    assert sipri.register_scope("All countries", "All countries") is None
    assert sipri.scoped_parties("transfers from China to India") == ("China", "India")
    assert sipri.scoped_parties("transfers to India") == (None, "India")
    assert sipri.scoped_parties("imports from China") == (None, None)  # a volume table's
    assert sipri.scoped_parties(None) == (None, None)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("scoped-register")
    result = run_cli(["import", str(CHINA)], home=home)
    assert result.exit_code == 0, result.stderr
    return home


def test_it_lands_beside_the_worlds_register_with_its_scope_and_date(home: Path) -> None:
    listed = run_cli(["datasets", "--json", "--fields", "name,title,as_of"], home=home)
    [found] = [r for r in json.loads(listed.stdout) if r["name"].startswith("transfers")]
    assert found == {
        "name": "transfers-from-china",
        "title": "SIPRI trade register (legacy export) of transfers from China only (2026-07-14)",
        "as_of": "2026-07-14",
    }
    text = (home / "datasets" / "transfers-from-china.toml").read_text("utf-8")
    assert '\nscope = "transfers from China"\n' in text


@pytest.mark.parametrize(
    ("args", "needs"),
    [
        (["shares", "--recipient", "Algeria"], "a recipient's imports from every supplier"),
        (["brief", "--recipient", "Algeria"], "a recipient's imports from every supplier"),
        (["pipeline", "--recipient", "Algeria"], "a recipient's imports from every supplier"),
        (["factsheet"], "every country's transfers"),
    ],
)
def test_a_countrys_whole_imports_are_refused_from_it(
    home: Path, args: list[str], needs: str
) -> None:
    result = run_cli([*args, "--dataset", "transfers-from-china"], home=home)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "geobal: 'transfers-from-china' holds SIPRI's transfers from China only (as its "
        f"export's notes say): this needs {needs}\n" + NEEDS_ALL
    )


def test_the_suppliers_own_exports_are_read_from_it(home: Path) -> None:
    result = run_cli(
        ["shares", "--supplier-of", "China", "--dataset", "transfers-from-china", "--json"],
        home=home,
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and {r["supplier"] for r in rows} == {"China"}
    assert round(sum(r["share"] for r in rows)) == 100


def test_a_check_keeps_to_the_supplier_it_holds_whole(tmp_path: Path) -> None:
    for name in ("register-2026-07-supplier-china.csv", "import-values-2026-07-from-china.csv"):
        assert run_cli(["import", str(shared("sipri", name))], home=tmp_path).exit_code == 0
    assert run_cli(["import", str(FIXTURES / "sipri" / "import-export-values-excerpt.csv")],
                   home=tmp_path).exit_code == 0  # fmt: skip
    check = ["shares", "--recipient", "Pakistan", "--dataset", "transfers-from-china", "--check"]
    years = ["--from", "2019", "--to", "2023", "--json"]
    against_china = run_cli([*check, "--volumes", "tiv-imports-from-china", *years], home=tmp_path)
    assert against_china.exit_code == 0, against_china.stderr
    total = json.loads(against_china.stdout)[-1]
    assert (total["scope"], total["register"], total["table"]) == (
        "imports from China",
        5154.7,
        4973,
    )
    against_world = run_cli([*check, *years], home=tmp_path)
    assert (against_world.exit_code, against_world.stdout) == (2, "")
    assert against_world.stderr.startswith(
        "geobal: 'transfers-from-china' holds SIPRI's transfers from China only"
    )
