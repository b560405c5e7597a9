"""The user's settings, in config.toml: the default output format, colour, and the
folder of their datasets (see geobal.paths for where the file is and what wins).

A broken config file never stops geobal: it is reported and its settings ignored
(or, with --strict, it is an error). `set` edits the one line it changes, so the
user's comments and layout survive, and writes atomically.
"""

import os
from pathlib import Path

from geobal.errors import DataError, UsageError
from geobal.formats import Color, Format


class Setting:
    """A key the config file may set. (A plain class: a NamedTuple costs every run about
    0.2 ms to define.)"""

    __slots__ = ("choices", "help", "key")

    def __init__(self, key: str, help: str, choices: tuple[str, ...] = ()) -> None:
        self.key = key
        self.help = help
        self.choices = choices


SETTINGS = {
    s.key: s
    for s in (
        # a chart's specification is asked for each time, never a default for listings
        Setting(
            "format",
            "the output format when none is given",
            tuple(f for f in Format if f is not Format.VEGA_LITE),
        ),
        Setting("color", "colour in tables: auto, always or never", tuple(Color)),
        Setting("data_dir", "the folder of your dataset files"),
    )
}


class Config:
    """The config file's path and the settings it gives. (A plain class, as Setting.)"""

    __slots__ = ("path", "values")

    def __init__(self, path: Path, values: dict[str, str]) -> None:
        self.path = path
        self.values = values

    @property
    def format(self) -> Format | None:
        return Format(self.values["format"]) if "format" in self.values else None

    @property
    def color(self) -> Color | None:
        return Color(self.values["color"]) if "color" in self.values else None

    @property
    def data_dir(self) -> str | None:
        return self.values.get("data_dir")


def load(path: Path) -> Config:
    """The settings in `path` (none if it does not exist); DataError if it is broken."""
    if not os.path.lexists(path):
        return Config(path, {})
    from geobal.files import parse_file

    doc = parse_file(path)
    values: dict[str, str] = {}
    for key, value in doc.items():
        if key not in SETTINGS:
            raise DataError(
                f"{_one_line(path)}: unknown setting {key!r}",
                f"settings: {', '.join(SETTINGS)}; remove or correct it",
            )
        values[key] = check(key, value, path)
    return Config(path, values)


def check(key: str, value: object, where: Path | None = None) -> str:
    setting = SETTINGS.get(key)
    if setting is None:
        raise UsageError(f"unknown setting {key!r}", f"settings: {', '.join(SETTINGS)}")
    if not isinstance(value, str) or (setting.choices and value not in setting.choices):
        allowed = f"one of {', '.join(setting.choices)}" if setting.choices else "a path"
        message = f"{key} must be {allowed}, not {value!r}"
        if where is not None:
            raise DataError(
                f"{_one_line(where)}: {message}",
                f"correct it with: geobal config set {key} VALUE",
            )
        raise UsageError(message)
    return value


def _one_line(text: object) -> str:
    from geobal.codecs.escape import one_line

    return one_line(text)


def set_value(path: Path, key: str, value: str) -> str:
    """Set one setting, changing only its value where the file gives it (however its
    key is written: quoted, indented), or adding a line for it, so the rest survives;
    the value as stored (a choice in its own case, a folder made absolute). Refused
    where the file would still be ignored (it holds what is no setting), so that a
    setting said to be set is one geobal then follows."""
    import tomli_w

    from geobal.files import decode, parse_toml, read_bytes
    from geobal.store import atomic_write, locked
    from geobal.tomltext import LayoutError, newline_of, statements

    value = _given(key, value)
    line = tomli_w.dumps({key: value})  # 'key = "value"\n', quoted and escaped
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        raw = read_bytes(path) if os.path.lexists(path) else b""
        text = decode(raw, str(path))
        doc = parse_toml(text, str(path))  # a broken file is said, not edited blindly
        stray = [k for k in doc if k not in SETTINGS]
        if stray:
            raise DataError(
                f"{_one_line(path)} holds {', '.join(map(repr, stray))}, which "
                f"{'is no setting' if len(stray) == 1 else 'are no settings'}: geobal "
                f"ignores the whole file while it does, so setting {key} would change "
                "nothing; nothing was written",
                f"remove {'it' if len(stray) == 1 else 'them'} from the file "
                f"(settings: {', '.join(SETTINGS)})",
            )
        top, header = [], len(text)
        try:
            for st in statements(text):
                if st.kind != "value":
                    header = st.start  # settings are the keys before any [table]
                    break
                top.append(st)
        except LayoutError as err:  # it parsed, so this cannot happen: say so if it does
            raise DataError(
                f"{_one_line(path)}: cannot find where to change {key}: {err}"
            ) from None
        given = [st for st in top if st.key == (key,)]
        if given and given[0].value is not None:
            start, end = given[0].value
            text = text[:start] + line.removeprefix(f"{key} = ").rstrip("\n") + text[end:]
        else:
            at = top[-1].end if top else header
            newline = newline_of(text)
            lead = newline if at and not text[:at].endswith("\n") else ""
            text = text[:at] + lead + line.replace("\n", newline) + text[at:]
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        atomic_write(path, bom + text.encode("utf-8"), forced_by=None)
    return value


def _given(key: str, value: str) -> str:
    """A value typed for `key`, checked and as it is kept: a choice in its own case
    (JSON is json), a folder as an absolute path (one relative to where the command ran
    would name another folder wherever geobal runs next)."""
    setting = SETTINGS.get(key)
    if setting is not None and setting.choices:
        value = next((str(c) for c in setting.choices if c.casefold() == value.casefold()), value)
    if key == "data_dir":
        if not value.strip():
            raise UsageError("data_dir must be a folder's path, not empty")
        if (shown := _one_line(value)) != value:  # a newline or an escape sequence, set
            raise UsageError(
                f"data_dir must be a folder's path without control characters, not {shown}",
                "give a folder whose name has none (rename it if need be)",
            )
        folder = Path(value).expanduser()
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"data_dir {value!r} is a file, not a folder")
        value = str(folder.absolute())
    return check(key, value)
