"""A deal's story: the dated events that name it (an event's `deals` field), oldest
first, and whether one of them, dated after the deal's status_date, says the status is
out of date.

A deal's status is typed by hand in one dataset and the events that change it live in
another; the link is what lets `validate` catch a delivery or an approval that never
reached the deal it concerns.
"""

from collections.abc import Collection, Iterator, Sequence

from geobal.fieldtypes import date_span
from geobal.model import Dataset, Field, Problem, Record
from geobal.schema import USER, record_file

EVENTS = "events"
DEALS = "deals"

# What `show` prints of each event in a story: enough to read it, and where it is from.
STORY_FIELDS = ("id", "date", "kind", "title", "sources")

# A deal's statuses in the order a deal goes through them (deals.status's choices, but
# stalled and withdrawn, which are no step forward); an event of a kind here shows the
# deal has reached at least that status. Statement, selection and agreement are left
# out: a claim, a chosen bidder or an agreement that buys nothing moves no status.
STAGES = (
    "proposed",
    "under-discussion",
    "approved",
    "negotiating",
    "signed",
    "delivering",
    "delivered",
)
IMPLIED = {
    "approval": "approved",
    "negotiation": "negotiating",
    "contract": "signed",
    "delivery": "delivering",
    "withdrawal": "withdrawn",
}
HALTED = ("stalled", "withdrawn")


def link_fields(events: Dataset, name: str) -> list[Field]:
    """The fields of `events` whose values name records of the dataset `name`."""
    return [f for f in events.fields if f.ref == name]


def names(event: Record, fields: Sequence[Field]) -> list[str]:
    """The ids an event's link `fields` name."""
    found: list[str] = []
    for f in fields:
        value = event.get(f.name)
        found += (
            [str(v) for v in value]
            if isinstance(value, list)
            else []
            if value is None
            else [str(value)]
        )
    return found


def story(events: Dataset, name: str, record_id: str) -> list[Record]:
    """The events that name the record `record_id` of the dataset `name`, oldest first
    (events of one date in the file's order)."""
    fields = link_fields(events, name)
    if not fields:
        return []
    named = [e for e in events.records if record_id in names(e, fields)]
    return sorted(named, key=lambda e: str(e.get("date") or ""))


def story_fields(events: Dataset) -> tuple[Field, ...]:
    by_name = events.field_map
    return tuple(by_name[n] for n in STORY_FIELDS if n in by_name)


def contradicted(status: str, kind: str) -> str | None:
    """The status an event of `kind` implies where the deal's `status` is behind it
    (None where it agrees, or where either is none geobal knows the order of): a
    delivery after "signed", anything but a withdrawal after "withdrawn"."""
    implied = IMPLIED.get(kind)
    if implied is None:
        return None
    if implied == "withdrawn":
        return None if status == "withdrawn" else implied
    if status in HALTED:  # an act after a deal stalled or ended revives it
        return implied
    if status not in STAGES:  # a status a user's file added: no order to judge by
        return None
    return implied if STAGES.index(status) < STAGES.index(implied) else None


def undated(sources: Dataset) -> set[str]:
    """The ids of the sources that give no date: a deal citing only such sources has
    nothing to date its status by."""
    return {str(r[sources.key]) for r in sources.records if not r.get("date")}


def stale(
    deals: Dataset, events: Dataset, undated: Collection[str] = frozenset()
) -> Iterator[Problem]:
    """A problem for each deal with no status_date, but one whose every source is in
    `undated` (ids of sources with no date: nothing dates its status, as the article's
    rows), and for each event dated after a deal's status_date (its first possible day
    after the status's last) whose kind implies a status the deal's is behind; said at
    the deal, naming the event. None where no field of `events` names deals: with no
    story to date, a status's date is no more needed than any other field's (an older
    copy of the data, say)."""
    fields = link_fields(events, deals.name)
    if not fields:
        return
    by_deal: dict[str, list[Record]] = {}
    for event in events.records:
        for deal_id in names(event, fields):
            by_deal.setdefault(deal_id, []).append(event)
    for deal in deals.records:
        deal_id, status = str(deal[deals.key]), str(deal.get("status"))
        where = record_file(deal, deals)
        when = deal.get("status_date")
        cited = deal.get("sources")
        # nothing dates a status whose every source is undated (the brief and show say
        # "undated"): no problem, and whatever its events imply is after it
        undated_status = (
            when is None
            and isinstance(cited, list)
            and bool(cited)
            and set(map(str, cited)) <= set(undated)
        )
        if when is None and not undated_status:
            yield Problem(
                where,
                f"no status_date: say when the status {status!r} was last reported",
                deal_id,
                "status_date",
            )
            continue
        last = None if undated_status else date_span(str(when))
        for event in sorted(by_deal.get(deal_id, []), key=lambda e: str(e.get("date") or "")):
            first = date_span(str(event.get("date")))
            after = undated_status or (
                last is not None and first is not None and first[0] > last[1]
            )
            if not after:
                continue
            kind = str(event.get("kind"))
            implied = contradicted(status, kind)
            if implied is None:
                continue
            at = f" ({record_file(event, events)})" if event.get("origin") == USER else ""
            yield Problem(
                where,
                f"{status!r} as of {when or 'no date'}, but event {event[events.key]}{at}, a "
                f"{kind} of {event.get('date')}, after it, makes it {implied!r}: update the "
                "status and status_date",
                deal_id,
                "status",
            )
