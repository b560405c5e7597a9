"""The bundled data: valid, sourced, and faithful to the article and the fact base."""

import datetime as dt
import re

import pytest

from geobal.catalog import Catalog
from geobal.fieldtypes import DATE, INTEGER, NUMBER, TEXT
from geobal.model import Record
from geobal.schema import SOURCES, cited
from tests.conftest import BUNDLED_DATASETS as DATASETS
from tests.conftest import shared


@pytest.fixture(scope="module")
def facts() -> str:
    """The fact base, the only place sourced figures come from."""
    return shared("reference", "facts.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article() -> str:
    """The news analysis the first datasets come from."""
    return shared("seeds", "000_05dbbd2700804c48.txt").read_text(encoding="utf-8")


def test_the_bundled_datasets(catalog: Catalog) -> None:
    assert catalog.names() == DATASETS


@pytest.mark.parametrize("name", DATASETS)
def test_every_record_validates_and_every_reference_resolves(catalog: Catalog, name: str) -> None:
    ds = catalog.get(name)  # raises DataError on any schema problem
    assert ds.records
    assert catalog.check_references(ds) == []
    if name != SOURCES:
        assert all(cited(r) for r in ds.records), "every record cites a source"


def test_every_source_says_what_it_is(catalog: Catalog) -> None:
    for source in catalog.get(SOURCES).records:
        assert source["quality"] in ("primary", "secondary", "weak")
        assert source.get("about") and source.get("tag")
        if source["id"] != "article":
            assert source.get("publisher") and source.get("url")


def _article_records(catalog: Catalog) -> list[tuple[str, Record]]:
    return [
        (ds.name, r)
        for ds in catalog.all()
        if ds.name != SOURCES
        for r in ds.records
        if cited(r) == ["article"]
    ]


def test_article_text_is_quoted_verbatim(catalog: Catalog, article: str) -> None:
    """Text that comes from the article appears in it word for word."""
    checked = 0
    for name, record in _article_records(catalog):
        ds = catalog.get(name)
        for f in ds.fields:
            value = record.get(f.name)
            if (
                f.type is TEXT
                and not f.derived
                and f.name not in ("id", "note", "statement")
                and f.ref is None
                and isinstance(value, str)
            ):
                assert value in article, f"{name}/{record['id']}/{f.name}: {value!r}"
                checked += 1
    assert checked >= 35


def test_the_articles_tables_and_lists_are_all_there(catalog: Catalog) -> None:
    reported = [r for r in catalog.get("deals").records if r["basis"] == "reported"]
    assert [(r["sector"], r["deal"], r["benefit"]) for r in reported] == [
        ("air", "MiG-29 and Su-57 fighter jets", "Modernizing combat fleet"),
        ("missile", "S-400 Triumf air defense system", "Strengthening airspace security"),
        ("naval", "Frigates and submarines", "Enhancing maritime capabilities"),
        ("cyber", "Joint R&D initiatives", "Boosting technological resilience"),
    ]
    assert all(r["partner"] == "russia" and r["status"] == "proposed" for r in reported)
    assert [(r["priority"], r["impact"], r["advice"]) for r in catalog.get("risks").records] == [
        ("Strategic Autonomy", "high", "Balance commitments carefully"),
        ("Defense Modernization", "medium", "Secure diversified sources"),
        ("Alliance Relations", "high", "Engage in transparent diplomacy"),
        ("Economic Stability", "medium", "Mitigate sanction risks"),
    ]
    assert [(r["factor"], r["impact"]) for r in catalog.get("factors").records] == [
        ("Diversification", "Enhances supply security"),
        ("Geopolitical Leverage", "Balances relations with US & Russia"),
        ("Regional Stability", "Deters aggression, boosts defense"),
    ]
    assert len(catalog.get("agenda").records) == 4
    assert len(catalog.get("considerations").records) == 4
    assert len(catalog.get("takeaways").records) == 5


def test_source_urls_and_quotes_come_from_the_fact_base(catalog: Catalog, facts: str) -> None:
    for source in catalog.get(SOURCES).records:
        if source["id"] == "article":
            continue
        assert str(source["url"]) in facts, source["id"]
        quotes = source.get("quotes", [])
        assert isinstance(quotes, list)
        for quote in quotes:
            assert str(quote) in facts, f"{source['id']}: {quote!r}"


def _date_forms(value: str) -> list[str]:
    """Regular expressions for the ways the fact base writes a date."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return [value]
    day = dt.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    months = [f"{day:%B %Y}", f"{day:%b %Y}", f"{day:%Y/%m}"]
    if len(parts) == 2:
        return months
    return [
        f"{day.day} {day:%B %Y}",
        f"{day.day} {day:%b %Y}",
        f"{day:%B} {day.day}, {day:%Y}",
        f"{day:%Y/%m/%d}",
        f"{day:%Y-%m-%d}",
        f"{day:%Y%m%d}",
        f"{day.day} {day:%B}",  # "on 27 July", inside a paragraph about 2017
        rf"\b{day.day}-\d+ {day:%B %Y}",  # the first day of "8-9 July 2024"
    ]


def test_every_number_and_date_in_sourced_records_is_in_the_fact_base(
    catalog: Catalog, facts: str
) -> None:
    """No invented figures: each number and date of a sourced record appears in
    ../shared/reference/facts.md, the only place sourced figures come from."""
    checked = 0
    for ds in catalog.all():
        for record in ds.records:
            if cited(record) == ["article"] or record.get("id") == "article":
                continue
            for f in ds.fields:
                value = record.get(f.name)
                if value is None:
                    continue
                if f.type in (INTEGER, NUMBER):
                    assert isinstance(value, int | float)
                    forms = {str(value), f"{value:,}"}
                    assert any(
                        re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", facts) for s in forms
                    ), f"{ds.name}/{record['id']}/{f.name}: {value}"
                    checked += 1
                elif f.type is DATE:
                    assert any(re.search(form, facts) for form in _date_forms(str(value))), (
                        f"{ds.name}/{record['id']}/{f.name}: {value}"
                    )
                    checked += 1
    assert checked >= 30
