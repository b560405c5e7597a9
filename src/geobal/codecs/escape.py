"""Escaping: what every codec and every message uses so that data never reaches a
terminal raw, and the backslash escapes that keep a TSV record on one line (and their
reading back)."""

# The Unicode bidi controls and line separators, which can reorder or split what a
# terminal shows; with DEL and the C1 controls, what json.dumps(ensure_ascii=False) and
# tomli-w leave raw.
_BIDI = (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
# Characters a terminal shows as nothing at all (zero-width spaces and joiners, the byte
# order mark, the soft hyphen), and the lone surrogates that stand for the bytes of a
# file name that is not UTF-8.
_INVISIBLE = (
    0x00AD, 0x180E, *range(0x200B, 0x200E), *range(0x2060, 0x2065), 0xFEFF,
    *range(0xFFF9, 0xFFFC), *range(0xD800, 0xE000),
)  # fmt: skip
_RAW_IN_JSON = (*range(0x7F, 0xA0), *_BIDI, *_INVISIBLE)
# str.translate tables rather than regular expressions: no compiling at start-up.
_VISIBLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x09), *range(0x0B, 0x20), *_RAW_IN_JSON)  # C0 but tab and newline
}
_U_ESCAPED = {code: f"\\u{code:04x}" for code in _RAW_IN_JSON}


def visible(text: str) -> str:
    """Text as it may reach a terminal: every control, bidirectional and invisible
    character shown as an escape such as \\x1b or \\u200b. The one escaping function for
    whatever geobal writes for people: data, paths, names echoed back, messages."""
    return text.translate(_VISIBLE)


def u_escape(text: str) -> str:
    """JSON or TOML text with what their writers leave raw (DEL, C1, bidi, invisible)
    written as \\uXXXX, which inside their strings means the same character."""
    # JSON and TOML writers escape the ASCII controls already; only DEL and beyond remain,
    # and most text has none (isascii is a C scan, far quicker than translate).
    if text.isascii() and "\x7f" not in text:
        return text
    return text.translate(_U_ESCAPED)


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
