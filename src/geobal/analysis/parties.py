"""The countries and organisations in SIPRI's data, by the names people use for them.

SIPRI writes "United States", "Turkiye", "Viet Nam", "UAE"; people type "USA",
"Turkey", "Vietnam", "United Arab Emirates". A name typed is matched against the names
a dataset holds, in any case and with accents folded (geobal.names), and against the
other names of the same country below; never by a prefix, so "Dominica" cannot turn
into the Dominican Republic. SIPRI marks non-state armed groups with `*` and
international organisations with `**`; both are names like any other.
"""

from collections.abc import Iterable, Mapping

from geobal.errors import UsageError
from geobal.names import Names, key

# Each group names one country: SIPRI's name (as its exports of 2024-25 write it) first,
# then the others in common use: short forms, codes, older and official names, and the
# names SIPRI's military expenditure workbook gives ("Korea, South", "Congo, DR"), so that
# one name finds a country in `shares` and in `spending` alike.
COUNTRIES: tuple[tuple[str, ...], ...] = (
    ("United States", "USA", "US", "U.S.", "U.S.A.", "United States of America", "America"),
    ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    ("Russia", "Russian Federation"),
    ("Soviet Union", "USSR", "U.S.S.R."),
    ("Turkiye", "Turkey", "Türkiye", "Republic of Turkiye"),
    ("Viet Nam", "Vietnam"),
    ("South Vietnam", "Republic of Vietnam"),
    (
        "South Korea",
        "Korea South",
        "Korea, South",
        "Republic of Korea",
        "ROK",
        "Korea, Republic of",
    ),
    (
        "North Korea",
        "Korea North",
        "Korea, North",
        "DPRK",
        "Democratic People's Republic of Korea",
    ),
    ("UAE", "United Arab Emirates", "U.A.E."),
    ("Iran", "Islamic Republic of Iran", "Iran (Islamic Republic of)"),
    ("Czechia", "Czech Republic"),
    ("Cote d'Ivoire", "Ivory Coast"),
    (
        "DR Congo",
        "Congo, DR",
        "Democratic Republic of the Congo",
        "DRC",
        "Congo-Kinshasa",
        "Zaire",
    ),
    ("Congo", "Congo, Republic", "Republic of the Congo", "Congo-Brazzaville"),
    # not "Yemen Arab Republic (North Yemen)": SIPRI's registers hold it beside "North
    # Yemen" as a party of its own, which one group would make an ambiguous name
    ("North Yemen", "Yemen, North", "Yemen Arab Republic"),
    ("Gambia", "Gambia, The", "The Gambia"),
    ("Kyrgyzstan", "Kyrgyz Republic"),
    ("China", "PRC", "People's Republic of China"),
    ("Taiwan", "Chinese Taipei"),
    ("eSwatini", "Eswatini", "Swaziland"),
    ("North Macedonia", "Macedonia"),
    ("Myanmar", "Burma"),
    ("Cabo Verde", "Cape Verde"),
    ("Timor-Leste", "East Timor"),
    ("Laos", "Lao PDR", "Lao People's Democratic Republic"),
    ("Syria", "Syrian Arab Republic"),
    ("Bosnia-Herzegovina", "Bosnia and Herzegovina", "Bosnia"),
    ("Saint Vincent", "Saint Vincent and the Grenadines"),
    ("Netherlands", "The Netherlands", "Holland"),
    ("Moldova", "Republic of Moldova"),
    ("Tanzania", "United Republic of Tanzania"),
    ("Brunei", "Brunei Darussalam"),
    ("Micronesia", "Federated States of Micronesia"),
    ("Palestine", "State of Palestine"),
    ("Germany", "Federal Republic of Germany"),
    ("East Germany (GDR)", "East Germany", "GDR", "German Democratic Republic"),
)

# What `--successors` counts as one series: a state that no longer exists, as its
# successor. West Germany is SIPRI's "Germany" already.
SUCCESSORS: dict[str, str] = {
    "Soviet Union": "Russia",
    "Czechoslovakia": "Czechia",
    "Yugoslavia": "Serbia",
    "West Germany": "Germany",
}
SUCCESSORS_HELP = ", ".join(f"{old} as {new}" for old, new in SUCCESSORS.items())

_GROUPS: dict[str, tuple[str, ...]] = {key(name): group for group in COUNTRIES for name in group}


def other_names(name: str) -> tuple[str, ...]:
    """The other names of the country `name` names (none for most)."""
    return tuple(n for n in _GROUPS.get(key(name), ()) if n != name)


def resolve(what: str, text: str, present: Iterable[str], listing: str | None = None) -> str:
    """The name among `present` (a dataset's recipients or suppliers) that `text` names:
    the name itself or another name of the same country, in any case and with accents
    folded; else a UsageError naming the closest, or `listing` (the command that lists
    them; by default `--count-by WHAT`, an option of the commands on a register)."""
    values = list(dict.fromkeys(present))
    names = Names((name, other_names(name)) for name in values)
    found = names.find(text)
    if len(found) == 1:
        return found[0]
    if found:  # a file that holds one country under two of its names
        raise UsageError(
            f"{text!r} names more than one {what}: " + " and ".join(sorted(found)),
            "give one of them exactly, or use --successors to count them as one",
        )
    import difflib  # only on this error path

    spelled = {n: value for value in values for n in (value, *other_names(value))}
    close = dict.fromkeys(spelled[n] for n in difflib.get_close_matches(text, spelled, 4, 0.6))
    hint = (
        f"did you mean {' or '.join(close)}?"
        if close
        else f"{len(values)} {what[:-1] + 'ies' if what.endswith('y') else what + 's'}; "
        f"list them with {listing or '--count-by ' + what}"
    )
    raise UsageError(f"unknown {what} {text!r}", hint)


def successor(name: str, successors: Mapping[str, str] | None) -> str:
    return successors.get(name, name) if successors else name
