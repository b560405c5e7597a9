"""Escaping: what every codec and every message uses so that data never reaches a
terminal raw, and the backslash escapes that keep a TSV record on one line (and their
reading back)."""

from functools import cache

# The Unicode bidi controls and line separators, which can reorder or split what a
# terminal shows; with DEL and the C1 controls, what json.dumps(ensure_ascii=False) and
# tomli-w leave raw.
_BIDI = (range(0x061C, 0x061D), range(0x200E, 0x2010), range(0x2028, 0x202F), range(0x2066, 0x206A))
# Characters a terminal shows as nothing at all (zero-width spaces and joiners, the byte
# order mark, the soft hyphen), and the lone surrogates that stand for the bytes of a
# file name that is not UTF-8.
_INVISIBLE = (
    range(0x00AD, 0x00AE), range(0x180E, 0x180F), range(0x200B, 0x200E), range(0x2060, 0x2065),
    range(0xFEFF, 0xFF00), range(0xFFF9, 0xFFFC), range(0xD800, 0xE000),
)  # fmt: skip
_RAW_IN_JSON = (range(0x7F, 0xA0), *_BIDI, *_INVISIBLE)


# str.translate tables rather than regular expressions, built on first use: with the
# surrogates they hold some 2,300 entries, a millisecond that a run which writes only
# JSON to a pipe need not pay.
@cache
def _visible_table() -> dict[int, str]:
    controls = (range(0x09), range(0x0B, 0x20))  # C0 but tab and newline
    return {
        code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        for codes in (*controls, *_RAW_IN_JSON)
        for code in codes
    }


@cache
def _u_escape_table() -> dict[int, str]:
    return {code: f"\\u{code:04x}" for codes in _RAW_IN_JSON for code in codes}


def visible(text: str) -> str:
    """Text as it may reach a terminal: every control, bidirectional and invisible
    character shown as an escape such as \\x1b or \\u200b. The one escaping function for
    whatever geobal writes for people: data, paths, names echoed back, messages."""
    # Every character it escapes is of Unicode's "other" or "separator" categories, which
    # isprintable (a C scan) refuses: most text has none and is returned as it is.
    if text.isprintable():
        return text
    return text.translate(_visible_table())


def one_line(text: object) -> str:
    """A name or path as a message shows it: as `visible` shows it, and its line breaks
    and tabs escaped too (\\n, \\t), so that a file named with one cannot start a line
    of its own in what geobal says."""
    return visible(str(text)).replace("\n", "\\n").replace("\t", "\\t")


def u_escape(text: str) -> str:
    """JSON or TOML text with what their writers leave raw (DEL, C1, bidi, invisible)
    written as \\uXXXX, which inside their strings means the same character."""
    # JSON and TOML writers escape the ASCII controls already; only DEL and beyond remain,
    # and most text has none (isascii is a C scan, far quicker than translate).
    if text.isascii() and "\x7f" not in text:
        return text
    # What it escapes is unprintable, as the line breaks of indented text are: text
    # printable but for those has nothing to escape (a C scan, where translate with a
    # table of 2,000 entries is a Python-speed walk over every character).
    if text.replace("\n", "").isprintable():
        return text
    return text.translate(_u_escape_table())


_TSV = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_cell(text: str) -> str:
    """Backslash escapes keep one record on one line: \\t, \\n, \\r and \\\\; and
    what `visible` escapes as \\xHH or \\uHHHH. A backslash of the text is always
    doubled, so every escape reads back as the one character it stands for
    (tsv_unescape)."""
    return visible(text.translate(_TSV))


_SINGLE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
_HEX = {"x": 2, "u": 4}


def tsv_unescape(cell: str) -> str:
    """The text a TSV cell written by tsv_cell stands for. A backslash that starts no
    escape tsv_cell writes raises ValueError saying which, as a cell of some other
    program's TSV may hold one that means something else."""
    if "\\" not in cell:
        return cell
    out: list[str] = []
    i = 0
    while (j := cell.find("\\", i)) >= 0:
        out.append(cell[i:j])
        code = cell[j + 1 : j + 2]
        if code in _SINGLE:
            out.append(_SINGLE[code])
            i = j + 2
        elif code in _HEX and _is_hex(digits := cell[j + 2 : j + 2 + _HEX[code]], _HEX[code]):
            out.append(chr(int(digits, 16)))
            i = j + 2 + _HEX[code]
        else:
            what = f"\\{code}" if code else "a \\ at the end of a cell"
            raise ValueError(f"{what} is no escape geobal's TSV writes")
    out.append(cell[i:])
    return "".join(out)


def _is_hex(digits: str, n: int) -> bool:
    return len(digits) == n and all(c in "0123456789abcdefABCDEF" for c in digits)


def wrap_at_spaces(text: str, width: int) -> str:
    """`text` wrapped to `width` at spaces only, each of its lines on its own: an
    address or a path longer than the line stays whole, to be copied as it is."""
    import textwrap

    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False)
        for line in text.split("\n")
    )
