"""The one matcher for names a user types: what folds, what needs a prefix, and what
the errors say."""

import pytest

from geobal.errors import UsageError
from geobal.names import Names, fold, key, lookup, nfc, resolve, unaccented


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("united-states", "United States"),
        ("UNITED_STATES", "United States"),
        ("  united   states ", "United States"),
        ("Turkiye", "Türkiye"),
        ("cote d'ivoire", "Côte d\u2019Ivoire"),
        ("value-unit", "value_unit"),
    ],
)
def test_keys_fold_case_separators_quotes_and_diacritics(typed: str, stored: str) -> None:
    assert key(typed) == key(stored)


def test_fold_for_search_keeps_separators() -> None:
    assert fold("India\u2019s Air-Force") == "india's air-force"


def test_text_compares_composed_however_its_accents_were_typed() -> None:
    composed, decomposed = "Caf\u00e9", "Cafe\u0301"
    assert composed != decomposed and nfc(decomposed) == composed
    assert nfc("plain") == "plain"
    assert (
        fold(decomposed) == fold(composed) == fold("CAF\u00c9") == fold("CAFE\u0301") == "caf\u00e9"
    )
    assert key(decomposed) == key(composed) == "cafe"
    assert unaccented("\u00d1and\u00fa \ufb01") == "Nandu fi"


NAMES = Names(
    [
        ("air", ("Air Systems", "aviation")),
        ("naval", ("Naval Equipment", "navy")),
        ("beta", ("Beta",)),
        ("bravo", ("Bravo",)),
    ]
)


def test_exact_words_and_aliases_match_and_a_prefix_only_when_allowed() -> None:
    assert NAMES.find("Air Systems") == ["air"]
    assert NAMES.find("NAVY") == ["naval"]
    assert NAMES.find("avia") == []
    assert NAMES.find("avia", prefix=True) == ["air"]
    assert NAMES.find("b", prefix=True) == ["beta", "bravo"]
    assert NAMES.find("", prefix=True) == []


def test_resolve_lists_few_values_and_suggests_among_many() -> None:
    few = Names.of(["China", "France", "United States"])
    assert resolve("actor", "united-states", few) == "United States"
    assert resolve("actor", "fra", few, prefix=True) == "France"
    with pytest.raises(UsageError) as info:
        resolve("actor", "us", few)
    assert (info.value.message, info.value.hint) == (
        "unknown actor 'us'",
        "valid values: China, France, United States",
    )
    many = Names.of([f"Country {n}" for n in range(30)] + ["India", "Indonesia"])
    with pytest.raises(UsageError) as info:
        resolve("recipient", "Indai", many)
    assert info.value.hint == "did you mean India or Indonesia?"
    with pytest.raises(UsageError, match="ambiguous for actor: it could be Chile or China"):
        resolve("actor", "chi", Names.of(["China", "Chile"]), prefix=True)


def test_lookup_of_dataset_and_field_names() -> None:
    known = ["deals", "value_unit"]
    assert lookup("field", "Value-Unit", known) == "value_unit"
    assert lookup("dataset", "DEALS", known) == "deals"
    with pytest.raises(UsageError, match=r"^unknown dataset 'deal'; did you mean 'deals'\?$"):
        lookup("dataset", "deal", known)
    with pytest.raises(UsageError, match="ambiguous"):
        lookup("dataset", "my data", ["my-data", "my_data"])
