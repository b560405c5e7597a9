"""The user's settings, in config.toml: the default output format, colour, and the
folder of their datasets (see geobal.paths for where the file is and what wins).

A broken config file never stops geobal: it is reported and its settings ignored
(or, with --strict, it is an error). `set` edits the one line it changes, so the
user's comments and layout survive, and writes atomically.
"""

import os
import re
from pathlib import Path
from typing import NamedTuple

from geobal.errors import DataError, UsageError
from geobal.formats import Color, Format


class Setting(NamedTuple):
    key: str
    help: str
    choices: tuple[str, ...] = ()


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


class Config(NamedTuple):
    path: Path
    values: dict[str, str]

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
                f"{path}: unknown setting {key!r}",
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
                f"{where}: {message}", f"correct it with: geobal config set {key} VALUE"
            )
        raise UsageError(message)
    return value


def set_value(path: Path, key: str, value: str) -> None:
    """Set one setting, editing only its line (or adding one) so the rest survives."""
    import tomli_w

    from geobal.store import atomic_write, locked

    check(key, value)
    line = tomli_w.dumps({key: value})  # 'key = "value"\n', quoted and escaped
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        pattern = re.compile(rf"^{re.escape(key)}[ \t]*=.*\n?", re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(lambda _: line, text, count=1)
        else:
            text += ("" if not text or text.endswith("\n") else "\n") + line
        atomic_write(path, text)
