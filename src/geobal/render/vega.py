"""Charts for reports: a view's figure as a Vega-Lite specification, and that drawn
to SVG or PNG.

Vega-Lite is the grammar that Altair, Observable and many editors render, so the JSON
needs no library of geobal's. Drawing it to a file takes vl-convert-python, an optional
extra (`geobal[charts]`), imported only when a file is asked for.
"""

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geobal.errors import DataError, UsageError
from geobal.fieldtypes import display
from geobal.model import Field
from geobal.views import Chart, Figure, Frame, Marked, Matrix, Tables, View

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
EXTRA = "geobal[charts]"
SUFFIXES = (".svg", ".png")
CHART_COMMANDS = (
    "suppliers, shares, balance, factsheet (with --importers or --exporters) and spending "
    "(its series and --top)"
)
WIDTH = 480  # points: a column of a report
NOTE = 90  # characters a line of the subtitle, which fits the chart in its small type
# The most values on one axis or in one legend that a chart is drawn with. vl-convert
# (1.9, Vega 5) compiles each sort list into one expression, whose compiling overflows its
# JavaScript stack from 1,442 values on ("Maximum call stack size exceeded"): 1,441 draw,
# whatever the labels' length, to SVG and PNG alike (measured; tests/test_failures.py
# draws this many). The number of bars is no limit: 70 periods of 1,400 parties draw.
MOST_VALUES = 1_400


def frame_of(view: View) -> Frame:
    """The frame a view's chart is drawn from; a usage error for a view with none."""
    frame: object = view
    # a fact sheet of one side is a Tables of one table, drawn from its rows
    if isinstance(view, Chart | Matrix | Marked) or (
        isinstance(view, Tables) and len(view.parts) == 1
    ):
        frame = view.frame
    if not isinstance(frame, Frame) or frame.figure is None:
        raise UsageError(
            "this output is not a chart: --format vega-lite and --output draw the charts of "
            f"{CHART_COMMANDS}",
            "for the figures themselves, use --json or --format csv",
        )
    return frame


def spec(frame: Frame) -> dict[str, Any]:
    """The Vega-Lite specification of a frame's figure: bars (grouped by colour), or
    ranges from y to y2, titled, with the lines that say where the figures come from."""
    figure = frame.figure
    assert figure is not None, "frame_of checks there is a figure"
    columns = {f.name: f for f in figure.columns or frame.columns}
    rows = figure.rows if figure.rows is not None else frame.rows
    values = list(_values(figure, columns, rows))
    drawn = [v for v in values if figure.y in v]
    if not values:
        raise UsageError(
            "nothing to draw: no figures matched", "loosen the filters, or check them with --json"
        )
    order = list(dict.fromkeys(v[figure.x] for v in values))
    x: dict[str, Any] = {
        "field": figure.x,
        "type": "nominal",
        "title": columns[figure.x].title,
        "sort": order,
        # level labels read best; many of them (a period each) only fit aslant
        "axis": {"labelAngle": 0 if len(order) <= 6 else -45},
    }
    y: dict[str, Any] = {
        "field": figure.y,
        "type": "quantitative",
        "title": figure.y_title or columns[figure.y].title,
    }
    if figure.percent:
        y["scale"] = {"domain": [0, 100]}
    encoding: dict[str, Any] = {"x": x, "y": y}
    tooltip = [{"field": figure.x, "type": "nominal", "title": columns[figure.x].title}]
    if figure.color is not None:
        weight: dict[str, float] = {}
        for v in values:
            name = str(v[figure.color])
            weight[name] = weight.get(name, 0.0) + float(v.get(figure.y, 0.0))
        # the legend and the bars of one x in the order given (periods, oldest first),
        # else by weight: the largest party first
        legend = list(figure.order) or sorted(weight, key=lambda n: -weight[n])
        named = columns[figure.color].title
        encoding["color"] = {
            "field": figure.color,
            "type": "nominal",
            "title": named,
            "sort": legend,
        }
        if figure.mark == "bar":  # lines of a series share their x, the year
            encoding["xOffset"] = {"field": figure.color, "sort": legend}
        if figure.missing:
            # a party a figure gives for one x but not for another is one no source
            # reports there: said, like the rows kept without their figure
            seen = {(v[figure.x], v[figure.color]) for v in values}
            values += [
                {figure.x: x_value, figure.color: party}
                for x_value in order
                for party in legend
                if (x_value, party) not in seen
            ]
        tooltip.append({"field": figure.color, "type": "nominal", "title": named})
    if figure.y2 is not None:
        encoding["y2"] = {"field": figure.y2}
        tooltip.append(
            {"field": figure.y2, "type": "quantitative", "title": columns[figure.y2].title}
        )
    tooltip.insert(1, {"field": figure.y, "type": "quantitative", "title": columns[figure.y].title})
    encoding["tooltip"] = tooltip
    # a chart's subtitle lines do not wrap: long ones are cut by the width of the chart
    notes = [
        part
        for line in (
            *figure.notes,
            *(frame.caption if figure.caption is None else figure.caption).splitlines(),
        )
        for part in textwrap.wrap(line, NOTE, break_on_hyphens=False)
    ]
    title: dict[str, Any] = {"text": frame.title, "anchor": "start"}
    if notes:
        title["subtitle"] = notes
    chart: dict[str, Any] = {
        "$schema": SCHEMA,
        "title": title,
        "width": WIDTH,
        "data": {"values": values},
        "mark": {"type": figure.mark, "tooltip": True},
        "encoding": encoding,
    }
    if len(drawn) < len(values):
        # a bar of nothing would read as 0: the words stand upright where its bar would
        del chart["mark"]
        known = f"isValid(datum[{json.dumps(figure.y)}])"
        chart["layer"] = [
            {"mark": {"type": "bar", "tooltip": True}, "transform": [{"filter": known}]},
            {
                # invalid: None, or Vega-Lite leaves out the rows this layer is for
                "mark": {
                    "type": "text",
                    "angle": 270,
                    "align": "left",
                    "dx": 3,
                    "fontSize": 9,
                    "invalid": None,
                },
                "transform": [{"filter": f"!{known}"}],
                "encoding": {"y": {"datum": 0}, "text": {"value": figure.missing}},
            },
        ]
    return chart


def _values(
    figure: Figure, columns: dict[str, Field], rows: Any
) -> Iterator[dict[str, str | float]]:
    """The data a chart draws: names as people read them, figures as numbers; rows
    without a figure are left out (a chart cannot draw what is not known), or, where the
    figure says what to write for them (`missing`), kept without it."""
    names = [n for n in (figure.x, figure.color) if n is not None]
    figures = [n for n in (figure.y, figure.y2) if n is not None]
    for row in rows:
        found = [row.get(n) for n in figures]
        unknown = any(not isinstance(v, int | float) or isinstance(v, bool) for v in found)
        if unknown and not (figure.missing and figure.y2 is None and found == [None]):
            continue
        value: dict[str, str | float] = {n: display(columns[n], row.get(n)) for n in names}
        value.update(
            {n: v for n, v in zip(figures, found, strict=True) if isinstance(v, int | float)}
        )
        yield value


def spec_json(frame: Frame) -> str:
    """The specification as JSON, escaped as all geobal's JSON is: no control or
    bidirectional character of the data reaches a terminal raw."""
    from geobal.codecs.jsontext import json_dumps

    return json_dumps(spec(frame)) + "\n"


def drawn(frame: Frame, path: Path) -> bytes:
    """The chart as the bytes of an SVG or PNG file, by the suffix of `path`."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(
            f"--output {path}: geobal draws charts as .svg or .png files",
            "name the file FILE.svg or FILE.png, or use --format vega-lite for the "
            "specification itself",
        )
    try:
        import vl_convert
    except ImportError:
        raise UsageError(
            f"drawing a chart to {suffix} needs the optional extra {EXTRA} (vl-convert-python)",
            # geobal is installed from its clone, not a package index: name what works
            "from geobal's clone: uv tool install --force '.[charts]' (or pip install "
            "vl-convert-python where geobal is installed); "
            "--format vega-lite prints the chart's specification without it",
        ) from None
    chart = spec(frame)
    _drawable(chart)
    text = json.dumps(chart)
    try:
        if suffix == ".svg":
            return str(vl_convert.vegalite_to_svg(text)).encode("utf-8")
        return bytes(vl_convert.vegalite_to_png(text, scale=2))
    except ValueError as err:  # the converter's own failure: its JavaScript error, in one line
        said = [line.strip() for line in str(err).splitlines() if line.strip()] or ["failed"]
        error = next((line for line in said if "Error" in line), said[0])
        raise DataError(
            f"the converter (vl-convert) could not draw the chart: {error}",
            "write its specification with --format vega-lite and draw it with another tool",
        ) from None


def _drawable(chart: dict[str, Any]) -> None:
    """A usage error for a chart with more values on an axis or in its legend than the
    converter can draw (MOST_VALUES), saying how many it has and how to narrow it."""
    bars = len(chart["data"]["values"])
    for channel in ("x", "color"):
        encoding = chart["encoding"].get(channel, {})
        n = len(encoding.get("sort", ()))
        if n > MOST_VALUES:
            where = "along its axis" if channel == "x" else "in its legend"
            raise UsageError(
                f"the chart has {bars:,} bars, with {n:,} values of {encoding['title']} "
                f"{where}: geobal draws at most {MOST_VALUES:,} values on an axis or in a "
                "legend (more overflow the converter, vl-convert)",
                "narrow it with the command's filters or fewer periods, or write its "
                "specification with --format vega-lite and draw it with another tool",
            )
