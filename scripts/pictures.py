"""Regenerate the README's pictures: SVGs of real geobal output, drawn by Rich.

Run from the repository root:

    uv run python scripts/pictures.py [--out docs]

Each picture is the real command run in-process on a 100-column terminal, its
output recorded by Rich and saved as SVG; each chart is the real command's --output,
drawn from its Vega-Lite specification by vl-convert (the charts extra, which the dev
group installs). tests/test_pictures.py runs this script.
"""

import argparse
import io
import os
import shutil
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from geobal.cli import app
from geobal.env import Env

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 100
PICTURES = {
    "brief": ["brief"],
    "suppliers": ["suppliers", "--where", "period>=2017-21"],
    "deals": ["deals", "--status", "signed"],
}
CHARTS = {
    "chart-suppliers": ["suppliers", "--where", "period>=2017-21"],
}
# The main views at 80 and 40 columns, in docs/layout: a change of layout shows in
# review as a changed picture, and a test fails until they are redrawn.
LAYOUT = {
    "help": [],
    "deals": ["deals", "--limit", "6"],
    "risks": ["risks"],
    "timeline": ["timeline", "--limit", "6"],
    "brief": ["brief"],
    "suppliers": ["suppliers", "--where", "period>=2019-23"],
    "balance": ["balance"],
    "show": ["show", "deals", "s-400"],
    "schema": ["schema", "deals"],
    "search": ["search", "S-400", "--limit", "8"],
}
# Views of SIPRI's data, from the tests' excerpts imported (SIPRI_FILES), at the same
# widths: the fact sheet's two tables, and a listing whose words come first.
LAYOUT_SIPRI = {
    "factsheet": ["factsheet", "--period", "2019-23", "--top", "10"],
    "deals-fields": ["deals", "--fields", "deal,status,value_usd", "--limit", "6"],
}
WIDTHS = (80, 40)


def terminal_output(args: list[str], width: int = WIDTH, color: bool = True) -> str:
    """What the command prints on a colour terminal `width` columns wide, from the
    bundled data alone (the user's own folders empty)."""
    out = io.StringIO()
    home = Path(tempfile.mkdtemp(prefix="geobal-pictures-"))
    isolated = {
        "COLUMNS": str(width),
        "TERM": "xterm-256color",
        "GEOBAL_DATA_DIR": str(home / "datasets"),
        "GEOBAL_CONFIG": str(home / "config.toml"),
        "GEOBAL_CACHE_DIR": str(home / "cache"),
    }
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | isolated
    result = CliRunner().invoke(
        app,
        [*args, "--color", "always"] if color else args,
        obj=Env(out, io.StringIO(), True, True, environ),
        env={**isolated, "NO_COLOR": None},
    )
    shutil.rmtree(home, ignore_errors=True)
    if result.exit_code != 0:
        raise SystemExit(f"geobal {' '.join(args)} failed: {result.stderr}")
    return out.getvalue() + result.stdout  # help goes to click's stdout


def save_svg(
    name: str, args: list[str], out_dir: Path, width: int = WIDTH, data: Path | None = None
) -> Path:
    """The command's output as an SVG titled by the command; with `data`, run on the
    user's data in that folder (which the title leaves out: it is a temporary one)."""
    console = Console(record=True, width=width, force_terminal=True, file=io.StringIO())
    shown = args or ["--help"]
    run = shown if data is None else ["--data-dir", str(data), *shown]
    console.print(Text.from_ansi(terminal_output(run, width, color=bool(args))))
    path = out_dir / f"{name}.svg"
    console.save_svg(str(path), title=f"geobal {' '.join(shown)} ({width} columns)")
    return path


def save_chart(name: str, args: list[str], out_dir: Path) -> Path:
    path = out_dir / f"{name}.svg"
    terminal_output([*args, "--output", str(path)], color=False)
    return path


# SIPRI's real import-volume table, as far as the tests' excerpt holds it: the ten
# largest importers of 2019-23 and the world's total (tests/fixtures/sipri)
SIPRI = ROOT / "tests" / "fixtures" / "sipri"
VOLUMES = SIPRI / "import-export-values-excerpt.csv"
# and beside it the register (India's and Pakistan's orders) and the export-volume table
SIPRI_FILES = (
    (SIPRI / "trade-register-excerpt.csv", "sipri"),
    (VOLUMES, "sipri-tiv"),
    (SIPRI / "export-values-excerpt.csv", "sipri-tiv"),
)


def sipri_home() -> Path:
    """A user's data folder, new, with the excerpts of SIPRI_FILES imported."""
    home = Path(tempfile.mkdtemp(prefix="geobal-pictures-"))
    for path, kind in SIPRI_FILES:
        terminal_output(["--data-dir", str(home), "import", str(path), "--as", kind], color=False)
    return home


def save_factsheet(out_dir: Path) -> Path:
    """The fact sheet's importers of 2019-23 as a chart, from SIPRI's own table."""
    path = out_dir / "chart-factsheet.svg"
    home = Path(tempfile.mkdtemp(prefix="geobal-pictures-"))
    terminal_output(
        ["--data-dir", str(home), "import", str(VOLUMES), "--as", "sipri-tiv"], color=False
    )
    args = ["--data-dir", str(home), "factsheet", "--period", "2019-2023", "--importers"]
    terminal_output([*args, "--output", str(path)], color=False)
    shutil.rmtree(home, ignore_errors=True)
    return path


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the SVGs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    saved = [save_svg(name, command, args.out) for name, command in PICTURES.items()]
    saved += [save_chart(name, command, args.out) for name, command in CHARTS.items()]
    saved.append(save_factsheet(args.out))
    layout = args.out / "layout"
    layout.mkdir(exist_ok=True)
    saved += [
        save_svg(f"layout/{name}-{width}", command, args.out, width)
        for name, command in LAYOUT.items()
        for width in WIDTHS
    ]
    home = sipri_home()
    saved += [
        save_svg(f"layout/{name}-{width}", command, args.out, width, home)
        for name, command in LAYOUT_SIPRI.items()
        for width in WIDTHS
    ]
    shutil.rmtree(home, ignore_errors=True)
    for path in saved:
        print(path)
    return saved


if __name__ == "__main__":
    main()
