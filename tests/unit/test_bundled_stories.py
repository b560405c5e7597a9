"""The bundled data's stories: events name the deals they concern, no later event
contradicts a deal's status, every deal dates its status, and the S-400 deal's story is
its events in date order. Reads data/ (the `catalog` fixture)."""

import json
import re

from geobal import stories
from geobal.catalog import Catalog
from tests.conftest import DATA, run_cli


def test_the_kinds_that_move_a_status_and_the_statuses_are_the_schemas(catalog: Catalog) -> None:
    kinds = {c.value for c in catalog.get("events").field_map["kind"].choices}
    statuses = [c.value for c in catalog.get("deals").field_map["status"].choices]
    assert set(stories.IMPLIED) <= kinds
    assert set(stories.IMPLIED.values()) <= set(statuses)
    # every status is a step of the order, or one that halts it: none is left unjudged
    assert [*stories.STAGES, *stories.HALTED] == statuses


def test_no_later_event_contradicts_a_deals_status_and_every_status_is_dated(
    catalog: Catalog,
) -> None:
    deals, events = catalog.get("deals"), catalog.get("events")
    undated = stories.undated(catalog.get("sources"))
    problems = [str(p) for p in stories.stale(deals, events, undated)]
    assert problems == []
    # what has no status_date cites only sources that give no date: the article's rows,
    # and the Harop approval (its one page is undated)
    left = [str(d["id"]) for d in deals.records if "status_date" not in d]
    assert left == [
        "air-systems",
        "missile-technology",
        "naval-equipment",
        "cyber-defense",
        "harop",
    ]
    for deal in (d for d in deals.records if "status_date" not in d):
        cited = deal["sources"]
        assert isinstance(cited, list) and set(map(str, cited)) <= undated


def test_validate_is_clean_on_the_bundled_data() -> None:
    found = run_cli(["validate"], data_dir=DATA)
    assert (found.exit_code, found.stdout) == (0, "")


def test_the_s_400_deal_tells_its_story_in_date_order(catalog: Catalog) -> None:
    events = catalog.get("events")
    named = [e for e in events.records if "s-400" in _list(e.get("deals"))]
    ids = [e["id"] for e in sorted(named, key=lambda e: str(e["date"]))]
    assert {"s-400-contract", "s-400-fourth"} <= set(ids)
    assert ids.index("s-400-contract") < ids.index("s-400-fourth")
    timeline = run_cli(["timeline", "--deal", "s-400", "--fields", "id"], data_dir=DATA)
    assert timeline.stdout == "id\n" + "".join(f"{i}\n" for i in ids)
    shown = run_cli(["show", "deals", "s-400", "--json"], data_dir=DATA)
    story = json.loads(shown.stdout)["events"]
    assert [e["id"] for e in story] == ids
    assert all(set(e) == {"id", "date", "kind", "title", "sources"} for e in story)


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def test_the_brief_says_how_old_each_deals_status_is() -> None:
    found = run_cli(["brief", "--json"], data_dir=DATA)
    lines = [r["text"] for r in json.loads(found.stdout) if r["section"] == "Deals in progress"]
    assert lines
    assert all(re.search(r": [a-z ]+ as of \d{4}(-\d\d){0,2}$", line) for line in lines), lines
