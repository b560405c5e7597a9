"""The output formats and colour modes, as closed choices. Imports nothing of geobal."""

from enum import StrEnum


class Format(StrEnum):
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
