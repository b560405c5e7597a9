"""The output formats and colour modes, as closed choices. Imports nothing of geobal."""

from enum import StrEnum


class Format(StrEnum):
    """What --format takes: the views (table, markdown, vega-lite) and every codec that
    writes rows (geobal.codecs.CODECS), each under its codec's name; render.ROWS is
    built from the codecs, and fails at import on a codec that is no Format."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "markdown"
    TOML = "toml"
    VEGA_LITE = "vega-lite"  # a chart's specification, for the views that are charts


class Color(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"
