"""The fact base (../shared/reference/facts.md) read as entries: what it says of one
source. The data tests check each figure of a record against the entries of the sources
that record cites, not against the whole file, so a figure moved to a record whose
sources do not give it fails.

A bullet belongs to a source's entry when it names the source's URL, or refers back to it
by name ("Pravda.ru (above)", "Indian Defence News (as above)", "as in A1"), or opens
"Same release" after a bullet of that source. A bullet is read with the line that heads
its group ("2009-13 (SIPRI press release, 17 March 2014)"): the period and release its
figures belong to.
"""

import re
from collections.abc import Iterator
from typing import NamedTuple

from geobal.model import Record

_BULLET = re.compile(r"(?:- |\d+\. )")
_BACK = re.compile(r"\babove\b|\bas in |[Ss]ame (?:SIPRI )?(?:press )?release")
_SAME = re.compile(r"^[-\d. ]*[^.]*\b[Ss]ame (?:SIPRI )?(?:press )?release")
_URL = re.compile(r"https?://[^\s)\"'>,;]+[^\s)\"'>,;.:]")


class Bullet(NamedTuple):
    head: str  # the line heading the bullet's group, or ""
    text: str  # the bullet with its indented continuation lines
    urls: tuple[str, ...]


def bullets(text: str) -> Iterator[Bullet]:
    head, lines = "", list[str]()
    for line in [*text.splitlines(), ""]:
        top = _BULLET.match(line) is not None
        if lines and (top or not line.startswith(" ") or not line.strip()):
            body = "\n".join(lines)
            yield Bullet(head, body, tuple(_URL.findall(body)))
            lines = []
        if top or (lines and line.startswith(" ")):
            lines.append(line)
        elif line.startswith("#"):
            head = ""
        elif line.strip() and not line.startswith(("|", "---")):
            head = line  # a group's heading line, such as a period and its release


class FactBase:
    def __init__(self, text: str) -> None:
        self.bullets = list(bullets(text))

    def entry(self, source: Record) -> str:
        """Everything the fact base says of `source`: its bullets, each with the line
        heading its group; empty if the fact base never names its URL."""
        url = str(source.get("url") or "")
        # "Pravda.ru (above)": a bullet names a source by its publisher's own name,
        # without what the publisher field adds in brackets ("WION (citing ...)")
        publisher = str(source.get("publisher") or "").split(" (")[0]
        found: list[str] = []
        seen_url = False
        previous: tuple[str, ...] = ()
        for b in self.bullets:
            mine = _names(b.urls, url)
            if not mine and seen_url and _BACK.search(b.text):
                named_back = publisher != "" and publisher in b.text
                same = _SAME.match(b.text) is not None and _names(previous, url)
                mine = named_back or same
            if mine:
                seen_url = True
                found.append(f"{b.head}\n{b.text}")
            previous = b.urls if b.urls else previous
        return "\n".join(found)


def _names(urls: tuple[str, ...], url: str) -> bool:
    """Whether `url` is among `urls`, a trailing slash aside."""
    return url != "" and any(u.rstrip("/") == url.rstrip("/") for u in urls)
