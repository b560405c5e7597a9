"""How what a user types is matched with what the data holds: one rule for every name.

Choice and level values, dataset and field names, timeline actors, a register's
recipients and suppliers: each is found by its `key`, which folds case, diacritics,
typographic quotes, hyphens, underscores and runs of spaces, so "united-states",
"United States" and "UNITED_STATES" name one thing and "Turkiye" finds "Türkiye".
A value's aliases name it as its own words do. An unambiguous prefix is accepted only
where the caller allows it (choice and level values, actors: as the README says).
"""

from collections.abc import Iterable

from geobal.errors import GeobalError, UsageError

_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")
_SEPARATORS = str.maketrans("-_", "  ")


def nfc(text: str) -> str:
    """Text in Unicode's composed form (NFC): "café" typed with one code point for the
    é or with "e" and a combining accent is then one string, as it is one word."""
    if text.isascii():  # most text: a C scan, and nothing to compose
        return text
    import unicodedata  # only for text that needs it

    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Text as searches compare it: any case, composed (NFC) whichever way its accents
    were typed, and typographic quotes as plain ones, so "India's" finds "India\u2019s"
    and "café" finds "cafe\u0301"."""
    return nfc(text.casefold()).translate(_QUOTES)


def unaccented(text: str) -> str:
    """Text with its accents taken off: "Ñandú" -> "Nandu", "ﬁ" -> "fi" (compatibility
    decomposition, NFKD, then no combining marks)."""
    if text.isascii():
        return text
    import unicodedata  # only for text that needs it

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def key(name: str) -> str:
    """A name as matching compares it: "Côte-d\u2019Ivoire" and "cote d'ivoire" are one key."""
    return " ".join(fold(unaccented(name)).translate(_SEPARATORS).split())


class Names:
    """A set of values and the words that name each: the value itself, then any labels
    and aliases."""

    __slots__ = ("_keys", "values")

    def __init__(self, named: Iterable[tuple[str, Iterable[str]]]) -> None:
        self.values: list[str] = []
        self._keys: list[tuple[str, tuple[str, ...]]] = []
        for value, words in named:
            self.values.append(value)
            self._keys.append((value, tuple(dict.fromkeys(key(w) for w in (value, *words)))))

    @classmethod
    def of(cls, values: Iterable[str]) -> "Names":
        """Values that only their own text names, each once."""
        return cls((v, ()) for v in dict.fromkeys(values))

    def find(self, text: str, prefix: bool = False) -> list[str]:
        """The values `text` names: those it names exactly, else (with `prefix`) those
        one of whose words it begins."""
        wanted = key(text)
        exact = [value for value, keys in self._keys if wanted in keys]
        if exact or not prefix or not wanted:
            return exact
        return [value for value, keys in self._keys if any(k.startswith(wanted) for k in keys)]

    def closest(self, text: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        """The values most like `text`, for a "did you mean" hint."""
        import difflib  # only on this error path

        return difflib.get_close_matches(text, self.values, n, cutoff)


def resolve(what: str, text: str, names: Names, *, prefix: bool = False) -> str:
    """The one value `text` names among values found in the data (actors, recipients);
    a UsageError lists the values or, where there are many, the closest."""
    found = names.find(text, prefix)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(
            f"{text!r} is ambiguous for {what}: it could be " + " or ".join(sorted(found)[:8]),
            f"give the {what} more fully",
        )
    values = sorted(names.values)
    if len(values) <= 20:
        raise UsageError(f"unknown {what} {text!r}", "valid values: " + ", ".join(values))
    close = names.closest(text, 3, 0.5)
    raise UsageError(
        f"unknown {what} {text!r}",
        f"did you mean {' or '.join(close)}?"
        if close
        else f"{len(values)} values; list them with --count-by {what}",
    )


def unknown_name(
    kind: str,
    name: str,
    known: list[str],
    where: str = "",
    *,
    error: type[GeobalError] = UsageError,
    hint: str | None = None,
) -> GeobalError:
    """An error for a name that is not there (a dataset, field, command or id),
    suggesting the closest and listing the rest, unless `hint` says how to find them."""
    close = nearest(name, known, 1)
    guess = f"; did you mean {close[0]!r}?" if close else ""
    return error(f"unknown {kind} {name!r}{where}{guess}", hint or f"available: {', '.join(known)}")


def nearest(name: str, known: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The `n` of `known` closest to `name`, closest first: those holding every word of
    it (in any order: "russia-2021-25" is most like "2021-25-russia-2026"), then those
    difflib finds alike; each group by difflib's ratio."""
    import difflib  # only on this error path

    words = set(key(name).split())
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)  # difflib's own order: the one compared with many is seq2
    scored = []
    for one in dict.fromkeys(known):
        matcher.set_seq1(one)
        holds = bool(words) and words <= set(key(one).split())
        # the quick bounds first, as get_close_matches does: a register holds many ids
        if holds or (
            matcher.real_quick_ratio() >= cutoff
            and matcher.quick_ratio() >= cutoff
            and matcher.ratio() >= cutoff
        ):
            scored.append((not holds, -matcher.ratio(), one))
    return [one for _, _, one in sorted(scored)[:n]]


def lookup(kind: str, name: str, known: list[str], where: str = "") -> str:
    """The one of `known` (dataset or field names) that `name` names, exactly or by its
    key; else an unknown_name error."""
    if name in known:
        return name
    found = Names.of(known).find(name)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(
            f"{name!r} is ambiguous for {kind}{where}: it could be " + " or ".join(found),
            "give the name exactly",
        )
    raise unknown_name(kind, name, known, where)
