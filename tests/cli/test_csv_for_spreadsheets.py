"""CSV for spreadsheets: exact bytes by default, formulas made inert with
--for-spreadsheet (OWASP's advice on CSV injection), refused with any other format."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

Cli = Callable[..., Run]

# cells a spreadsheet would run as formulas, a negative figure, and a text that only
# looks like one
CELLS = r"""[dataset]
name = "cells"
title = "Cells"
key = "id"

[fields.id]
type = "text"

[fields.note]
type = "text"

[fields.amount]
type = "number"

[fields.tags]
type = "list"

[[records]]
id = "a"
note = "=1+2"
amount = -5
tags = ["-x", "y"]
sources = ["article"]

[[records]]
id = "b"
note = "+cmd|' /C calc'!A0"
amount = -0.25
sources = ["article"]

[[records]]
id = "c"
note = "@SUM(A1)"
amount = 3
sources = ["article"]

[[records]]
id = "d"
note = "\tTab"
sources = ["article"]

[[records]]
id = "e"
note = "\rCR, and \"quotes\""
sources = ["article"]

[[records]]
id = "f"
note = "-5"
amount = 12.5
sources = ["article"]

[[records]]
id = "g"
note = "plain text = fine"
sources = ["article"]
"""

EXACT = (
    "id,note,amount,tags\n"
    "a,=1+2,-5,-x; y\n"
    "b,+cmd|' /C calc'!A0,-0.25,\n"
    "c,@SUM(A1),3,\n"
    "d,\tTab,,\n"
    'e,"\rCR, and ""quotes""",,\n'
    "f,-5,12.5,\n"
    "g,plain text = fine,,\n"
)
# every cell quoted; a text that would run gets a leading '; figures stay figures
FOR_SPREADSHEET = (
    '"id","note","amount","tags"\n'
    '"a","\'=1+2","-5","\'-x; y"\n'
    '"b","\'+cmd|\' /C calc\'!A0","-0.25",""\n'
    '"c","\'@SUM(A1)","3",""\n'
    '"d","\'\tTab","",""\n'
    '"e","\'\rCR, and ""quotes""","",""\n'
    '"f","\'-5","12.5",""\n'
    '"g","plain text = fine","",""\n'
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "cells.toml").write_text(CELLS, encoding="utf-8")
    return tmp_path


FIELDS = ["--fields", "id,note,amount,tags"]


def test_csv_keeps_the_exact_text_by_default(cli: Cli, home: Path) -> None:
    listed = cli(["query", "cells", "--format", "csv", *FIELDS], home=home)
    assert (listed.exit_code, listed.stdout) == (0, EXACT)


def test_csv_for_a_spreadsheet_makes_formulas_inert(cli: Cli, home: Path) -> None:
    listed = cli(["query", "cells", "--format", "csv", "--for-spreadsheet", *FIELDS], home=home)
    assert (listed.exit_code, listed.stdout, listed.stderr) == (0, FOR_SPREADSHEET, "")
    exported = cli(["export", "cells", "--format", "csv", "--for-spreadsheet"], home=home)
    assert exported.exit_code == 0
    # every record with its sources, which a listing's --fields left out
    assert exported.stdout == FOR_SPREADSHEET.replace("\n", ',"article"\n').replace(
        '"tags","article"', '"tags","sources"'
    )
    # the default export keeps the exact text, which imports back to the same records
    plain = cli(["export", "cells", "--format", "csv"], home=home)
    assert plain.stdout.startswith("id,note,amount,tags,sources\na,=1+2,-5,-x; y,article\n")
    back = cli(["import", "-", "--into", "cells", "--replace"], home=home, stdin=plain.stdout)
    assert back.exit_code == 0, back.stderr
    again = cli(["query", "cells", "--format", "csv", *FIELDS], home=home)
    assert again.stdout == EXACT


def test_for_spreadsheet_is_refused_with_any_other_format(cli: Cli, home: Path) -> None:
    hint = "give it with --format csv\n"
    for args, fmt in (
        (["query", "cells", "--for-spreadsheet"], "tsv output is not CSV"),
        (["query", "cells", "--for-spreadsheet", "--json"], "json output is not CSV"),
        (["deals", "--for-spreadsheet", "-f", "markdown"], "markdown output is not CSV"),
        (
            ["suppliers", "--for-spreadsheet", "-o", str(home / "s.svg")],
            "vega-lite output is not CSV",
        ),
        (["export", "cells", "--for-spreadsheet"], "toml is not CSV"),
        (["export", "cells", "--for-spreadsheet", "-f", "jsonl"], "jsonl is not CSV"),
    ):
        result = cli(args, home=home)
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"geobal: --for-spreadsheet makes CSV safe to open in a spreadsheet; {fmt}\n{hint}",
        ), args
    assert not (home / "s.svg").exists()


def test_for_spreadsheet_follows_a_configured_csv_format(cli: Cli, home: Path) -> None:
    (home / "config.toml").write_text('format = "csv"\n')
    listed = cli(["query", "cells", "--for-spreadsheet", *FIELDS], home=home)
    assert (listed.exit_code, listed.stdout) == (0, FOR_SPREADSHEET)
    # one record in full, as a CSV row
    shown = cli(["show", "cells", "c", "--for-spreadsheet"], home=home)
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[1].startswith('"c","\'@SUM(A1)","3",""')
