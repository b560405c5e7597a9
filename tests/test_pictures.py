"""The README's pictures come from scripts/pictures.py, which must still run, and the
committed SVGs must be what it draws today."""

import html
import re
import runpy
from pathlib import Path

from tests.conftest import ROOT


def svg_text(path: Path) -> str:
    lines = re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(encoding="utf-8"))
    return html.unescape("".join(lines)).replace("\xa0", " ")


def test_the_pictures_script_runs_and_the_committed_pictures_are_current(tmp_path: Path) -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "pictures.py"))
    saved = script["main"](["--out", str(tmp_path)])
    names = [p.relative_to(tmp_path).as_posix() for p in saved]
    assert names[:5] == [
        "brief.svg",
        "suppliers.svg",
        "deals.svg",
        "chart-suppliers.svg",
        "chart-factsheet.svg",
    ]
    assert "Share of world arms imports (%)" in svg_text(tmp_path / "chart-factsheet.svg")
    # the main views at 80 and 40 columns, so that a change of layout shows in review
    views = ("help", "deals", "risks", "timeline", "brief", "suppliers", "balance", "show")
    for view in (*views, "schema", "search"):
        assert f"layout/{view}-80.svg" in names and f"layout/{view}-40.svg" in names
    for view in ("factsheet", "deals-fields"):
        assert f"layout/{view}-80.svg" in names and f"layout/{view}-40.svg" in names
    assert "Usage: geobal [OPTIONS] COMMAND" in svg_text(tmp_path / "layout/help-40.svg")
    # SIPRI's fact sheet as two tables at 80 columns, cards headed by the country at 40
    wide = svg_text(tmp_path / "layout/factsheet-80.svg")
    assert "RankImporter" in wide and "RankExporter" in wide  # a styled head, then the next
    assert "main partnersIndiaRank" in svg_text(tmp_path / "layout/factsheet-40.svg")
    # a listing whose words come first is a table where it fits, at 80 columns and at 40
    for width in (80, 40):
        deals = svg_text(tmp_path / f"layout/deals-fields-{width}.svg")
        assert re.search(r"dealsDeal +Status +US\$ m ─", deals), deals
    assert "Where India's balancing stands" in svg_text(tmp_path / "brief.svg")
    assert "2021-25  published 2026" in svg_text(tmp_path / "suppliers.svg")
    assert "India's arms deals" in svg_text(tmp_path / "deals.svg")
    chart = svg_text(tmp_path / "chart-suppliers.svg")
    assert "Share of India's arms imports (%)" in chart and "SIPRI" in chart
    for path in saved:
        committed = ROOT / "docs" / path.relative_to(tmp_path)
        assert committed.read_text() == path.read_text(), (
            f"docs/{path.relative_to(tmp_path)} is out of date: run "
            "`uv run python scripts/pictures.py`"
        )
