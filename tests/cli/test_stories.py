"""A deal's story: `show deals ID` gives the events that name it, oldest first, in every
format; `timeline --deal` lists them; `validate` flags a deal whose status a later
linked event contradicts, or that has no status_date. On fixtures/stories, records of
data/ with the events linked to their deals."""

import json
from pathlib import Path

import pytest

import geobal
from geobal.stories import contradicted
from geobal.views import RecordView
from tests.conftest import FIXTURES, home_environ, run_cli, write_dataset

STORIES = FIXTURES / "stories"

STORY_LINES = """\
Events

id: s-400-iga
date: 2016-10
kind: Agreement
title: S-400 intergovernmental agreement signed at the BRICS summit in Goa
sources: ibtimes-s400

id: s-400-contract
date: 2018-10-05
kind: Contract
title: India signs the contract for five S-400 systems during Putin's visit
sources: urdupoint-2019-07-17

id: s-400-fourth
date: 2026-05
kind: Delivery
title: The fourth S-400 squadron arrives in India
sources: c4scourses-s400

Sources
"""


def _mine(tmp_path: Path, name: str, records: str) -> tuple[Path, Path]:
    """A user's home whose file `name` adds `records` to the fixture's dataset; the
    home and the file."""
    home = tmp_path / "home"
    (home / "datasets").mkdir(parents=True)
    text = f'[dataset]\nname = "{name}"\n\n{records}'
    return home, write_dataset(home / "datasets", name, text)


def _withdrawal(rid: str, date: str) -> str:
    """A user's event: India leaves the S-400 deal on `date` (as TOML writes it)."""
    return (
        f'[[records]]\nid = "{rid}"\ndate = {date}\nkind = "withdrawal"\nactors = ["India"]\n'
        'title = "India cancels the last S-400 squadron"\ndeals = ["s-400"]\n'
        'sources = ["c4scourses-s400"]\n\n'
    )


def _api(home: Path) -> geobal.Geobal:
    return geobal.open(bundled=STORIES, environ=home_environ(home))


def test_show_in_a_pipe_tells_the_story_between_the_record_and_its_sources() -> None:
    found = run_cli(["show", "deals", "s-400"], data_dir=STORIES)
    assert found.exit_code == 0, found.stderr
    head, story = found.stdout.split("\n\n", 1)
    assert head == (
        "id: s-400\ndeal: Five S-400 Triumf air defence systems\nstatus: Delivering\n"
        "status_date: 2026-05\nsources: urdupoint-2019-07-17, c4scourses-s400\n"
        "origin: Bundled\nfile: deals.toml"
    )
    assert story.startswith(STORY_LINES)


def test_show_as_json_gains_the_events_oldest_first() -> None:
    found = run_cli(["show", "deals", "s-400", "--json"], data_dir=STORIES)
    events = json.loads(found.stdout)["events"]
    assert events == [
        {
            "id": "s-400-iga",
            "date": "2016-10",
            "kind": "agreement",
            "title": "S-400 intergovernmental agreement signed at the BRICS summit in Goa",
            "sources": ["ibtimes-s400"],
        },
        {
            "id": "s-400-contract",
            "date": "2018-10-05",
            "kind": "contract",
            "title": "India signs the contract for five S-400 systems during Putin's visit",
            "sources": ["urdupoint-2019-07-17"],
        },
        {
            "id": "s-400-fourth",
            "date": "2026-05",
            "kind": "delivery",
            "title": "The fourth S-400 squadron arrives in India",
            "sources": ["c4scourses-s400"],
        },
    ]


def test_show_on_a_terminal_is_a_table_under_how_old_the_status_is() -> None:
    found = run_cli(
        ["show", "deals", "s-400", "--no-pager", "--color", "never"],
        data_dir=STORIES,
        tty=True,
        width=100,
    )
    lines = found.stdout.splitlines()
    at = lines.index("Events, oldest first; status delivering as of 2026-05")
    assert [line.rstrip() for line in lines[at + 1 : at + 9]] == [
        "Date       Kind      Event",
        "2016-10    Agreement S-400 intergovernmental agreement signed at the BRICS summit in Goa",
        "                     ibtimes-s400",
        "2018-10-05 Contract  India signs the contract for five S-400 systems during Putin's visit",
        "                     urdupoint-2019-07-17",
        "2026-05    Delivery  The fourth S-400 squadron arrives in India",
        "                     c4scourses-s400",
        "",
    ]


def test_show_in_markdown_and_as_a_row() -> None:
    found = run_cli(["show", "deals", "s-400-five-more", "--format", "markdown"], data_dir=STORIES)
    assert (
        "### Events, oldest first; status approved as of 2026-03-02\n\n"
        "| ID | Date | Kind | Event | Sources |\n|---|---|---|---|---|\n"
        "| dpb-s400-five | 2026-03-02 | Approval | India's Defence Procurement Board approves "
        "five more S-400 systems | zeenews-2026-03-04 |\n"
    ) in found.stdout
    row = run_cli(["show", "deals", "s-400-five-more", "--format", "jsonl"], data_dir=STORIES)
    assert json.loads(row.stdout)["events"] == [
        "2026-03-02 approval: India's Defence Procurement Board approves five more S-400 "
        "systems [zeenews-2026-03-04]"
    ]


def test_a_deal_no_event_names_says_so(tmp_path: Path) -> None:
    home, _ = _mine(
        tmp_path,
        "deals",
        '[[records]]\nid = "s-500"\ndeal = "S-500"\n'
        'status = "proposed"\n'
        'status_date = "2026-05"\nsources = ["c4scourses-s400"]\n',
    )
    found = run_cli(["show", "deals", "s-500"], data_dir=STORIES, home=home)
    assert "\n\nEvents\nno event\n\nSources\n" in found.stdout
    table = run_cli(["show", "deals", "s-500", "--format", "table"], data_dir=STORIES, home=home)
    assert "Events, oldest first; status proposed as of 2026-05\nno event names it\n" in (
        table.stdout
    )


def test_a_record_no_event_can_name_has_no_story() -> None:
    found = run_cli(["show", "sources", "ibtimes-s400", "--json"], data_dir=STORIES)
    assert "events" not in json.loads(found.stdout)


def test_the_library_gives_the_story_and_the_timeline(tmp_path: Path) -> None:
    api = _api(tmp_path)
    view = api.show("deals", "s-400").view
    assert isinstance(view, RecordView)
    assert [e["id"] for e in view.story or ()] == [
        "s-400-iga",
        "s-400-contract",
        "s-400-fourth",
    ]
    assert [r["id"] for r in api.timeline(deal="S-400-FIVE-MORE").rows] == ["dpb-s400-five"]


def test_timeline_deal_lists_its_events_and_repeats_for_any_of_several() -> None:
    one = run_cli(["timeline", "--deal", "s-400", "--fields", "id,date,deals"], data_dir=STORIES)
    assert one.stdout == (
        "id\tdate\tdeals\n"
        "s-400-iga\t2016-10\ts-400\n"
        "s-400-contract\t2018-10-05\ts-400\n"
        "s-400-fourth\t2026-05\ts-400\n"
    )
    both = run_cli(
        ["timeline", "--deal", "s-400-five-more", "--deal", "S-400", "--fields", "id"],
        data_dir=STORIES,
    )
    assert both.stdout == "id\ns-400-iga\ns-400-contract\ndpb-s400-five\ns-400-fourth\n"
    mixed = run_cli(
        ["timeline", "--deal", "s-400", "--kind", "contract", "--fields", "id"], data_dir=STORIES
    )
    assert mixed.stdout == "id\ns-400-contract\n"


def test_timeline_deal_refuses_an_unknown_deal_with_the_closest() -> None:
    found = run_cli(["timeline", "--deal", "s400"], data_dir=STORIES)
    assert found.exit_code == 1
    assert found.stdout == ""
    assert found.stderr == (
        "geobal: unknown deal 's400'; did you mean 's-400'?\n"
        "list the deals' ids with: geobal query deals --fields id\n"
    )


def test_validate_is_clean_on_a_story_that_agrees() -> None:
    found = run_cli(["validate"], data_dir=STORIES)
    assert (found.exit_code, found.stdout) == (0, "")


def test_a_users_withdrawal_after_the_status_fails_validate_naming_the_deal(
    tmp_path: Path,
) -> None:
    home, mine = _mine(tmp_path, "events", _withdrawal("s-400-cancelled", "2026-07-01"))
    found = run_cli(["validate"], data_dir=STORIES, home=home)
    assert found.exit_code == 1
    assert found.stdout == (
        f"{STORIES / 'deals.toml'}: record s-400: status: 'delivering' as of 2026-05, but "
        f"event s-400-cancelled ({mine}), a withdrawal of 2026-07-01, after it, makes it "
        "'withdrawn': update the status and status_date\n"
    )
    alone = run_cli(["validate", str(mine)], data_dir=STORIES, home=home)
    assert alone.exit_code == 1
    assert "record s-400: status:" in alone.stdout


def test_an_event_of_the_status_month_or_before_it_contradicts_nothing(tmp_path: Path) -> None:
    # 2026-05-20 may be the month the status is of; a withdrawal of 2026-04 precedes it
    records = _withdrawal("late-may", "2026-05-20") + _withdrawal("april", '"2026-04"')
    home, _ = _mine(tmp_path, "events", records)
    found = run_cli(["validate"], data_dir=STORIES, home=home)
    assert (found.exit_code, found.stdout) == (0, "")


def test_a_deal_without_a_status_date_fails_validate(tmp_path: Path) -> None:
    home, mine = _mine(
        tmp_path,
        "deals",
        '[[records]]\nid = "s-500"\ndeal = "S-500"\n'
        'status = "proposed"\n'
        'sources = ["zeenews-2026-03-04"]\n'
        '\n[[records]]\nid = "s-600"\ndeal = "S-600"\n'
        'status = "proposed"\n'
        'sources = ["c4scourses-s400"]\n',
    )
    found = run_cli(["validate"], data_dir=STORIES, home=home)
    assert found.exit_code == 1
    # s-600 cites only an undated source: nothing dates its status, which is no error
    assert found.stdout == (
        f"{mine}: record s-500: status_date: no status_date: say when the status "
        "'proposed' was last reported\n"
    )


@pytest.mark.parametrize(
    ("status", "kind", "implied"),
    [
        ("signed", "delivery", "delivering"),
        ("delivering", "delivery", None),
        ("delivered", "delivery", None),
        ("proposed", "approval", "approved"),
        ("approved", "approval", None),
        ("signed", "approval", None),
        ("approved", "negotiation", "negotiating"),
        ("negotiating", "contract", "signed"),
        ("delivering", "contract", None),
        ("stalled", "approval", "approved"),
        ("withdrawn", "delivery", "delivering"),
        ("delivering", "withdrawal", "withdrawn"),
        ("withdrawn", "withdrawal", None),
        ("signed", "statement", None),
        ("proposed", "agreement", None),
        ("a-users-own", "delivery", None),
    ],
)
def test_which_kinds_contradict_which_statuses(status: str, kind: str, implied: str | None) -> None:
    assert contradicted(status, kind) == implied


def test_the_brief_says_a_status_with_no_date_is_undated() -> None:
    from geobal.analysis.brief import _deals
    from geobal.catalog import Catalog
    from tests.conftest import SNAPSHOT

    deals = Catalog(SNAPSHOT).get("deals")
    said: list[str] = []
    _deals(deals, 20, lambda section, text, *cites: said.append(text))
    assert "P-8I (United States, p-8i-2016): signed, undated" in said
    assert "S-400 Triumf (Russia, s-400): delivering as of 2025-06-26" in said


def test_an_undated_status_is_behind_whatever_its_events_imply(tmp_path: Path) -> None:
    """The hostile pass on issue 23: a contract linked to a deal whose status nothing
    dates (its sources are all undated) was no problem, whatever its date."""
    home = tmp_path / "home"
    (home / "datasets").mkdir(parents=True)
    deals = write_dataset(
        home / "datasets",
        "deals",
        '[dataset]\nname = "deals"\n\n[[records]]\nid = "s-600"\ndeal = "S-600"\n'
        'status = "approved"\nsources = ["c4scourses-s400"]\n',
    )
    write_dataset(
        home / "datasets",
        "events",
        '[dataset]\nname = "events"\n\n[[records]]\nid = "s-600-signed"\ndate = 2020-01-01\n'
        'kind = "contract"\nactors = ["India"]\ntitle = "S-600 signed"\ndeals = ["s-600"]\n'
        'sources = ["c4scourses-s400"]\n',
    )
    found = run_cli(["validate"], data_dir=STORIES, home=home)
    assert found.exit_code == 1
    assert found.stdout == (
        f"{deals}: record s-600: status: 'approved' as of no date, but event s-600-signed "
        f"({home / 'datasets' / 'events.toml'}), a contract of 2020-01-01, after it, makes it "
        "'signed': update the status and status_date\n"
    )


def test_an_event_naming_an_unknown_deal_says_to_add_the_deal(tmp_path: Path) -> None:
    added = run_cli(
        ["add", "events", "--set", "id=e1", "--set", "date=2026-01-01", "--set", "kind=contract",
         "--set", "actors=India", "--set", "title=T", "--set", "deals=nope",
         "--set", "sources=c4scourses-s400"],
        data_dir=STORIES,
        home=tmp_path,
    )  # fmt: skip
    assert (added.exit_code, added.stdout) == (1, "")
    assert added.stderr.endswith(
        "\nadd that record first (geobal add deals ...), or correct the id\n"
    ), added.stderr


def test_an_event_naming_a_deal_twice_is_refused(tmp_path: Path) -> None:
    """The hostile pass on issue 23: `timeline --count-by deals` counted it twice."""
    added = run_cli(
        ["add", "events", "--set", "id=e1", "--set", "date=2026-01-01", "--set", "kind=contract",
         "--set", "actors=India", "--set", "title=T", "--set", "deals=s-400;s-400",
         "--set", "sources=c4scourses-s400"],
        data_dir=STORIES,
        home=tmp_path,
    )  # fmt: skip
    assert (added.exit_code, added.stdout) == (1, "")
    assert "record e1: deals: names 's-400' twice\nname each id once\n" in added.stderr
    _, mine = _mine(
        tmp_path,
        "events",
        '[[records]]\nid = "e2"\ndate = 2026-01-01\nkind = "statement"\nactors = ["India"]\n'
        'title = "T"\ndeals = ["s-400", "s-400"]\nsources = ["c4scourses-s400"]\n',
    )
    found = run_cli(["validate"], data_dir=STORIES, home=tmp_path / "home")
    assert found.exit_code == 1
    assert f"{mine}: record e2: deals: names 's-400' twice\n" in found.stdout
