"""Help that reads at 80 and at 40 columns, the same on a terminal and in a pipe."""

import re
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from geobal.commands import COMMANDS
from tests.conftest import DATA, isolated_environ, run_cli

EVERY = [[], *([c] for c in COMMANDS), ["config", "set"], ["cache", "clear"]]


def help_of(command: list[str], width: int, tty: bool = False) -> str:
    result = run_cli([*command, "--help"], width=width, tty=tty, data_dir=DATA)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", EVERY, ids=lambda c: " ".join(c) or "geobal")
@pytest.mark.parametrize("width", [80, 40])
def test_help_fits_the_terminal_and_keeps_examples_whole(command: list[str], width: int) -> None:
    text = help_of(command, width)
    assert text == help_of(command, width, tty=True)  # a pipe gets what a terminal gets
    lines = text.splitlines()
    assert lines[0].startswith(f"Usage: geobal {' '.join(command)}".rstrip())
    assert "{" not in lines[0] and "<str>" not in text
    # an argument taking several reads [DATASET...] or ID..., never [[DATASET]......]
    assert "[[" not in lines[0] and "...." not in lines[0], lines[0]
    folding = False
    for line in lines:
        # no line of an example is wider than the terminal, which would cut it mid-word
        if folding or line.lstrip().startswith("$ "):
            assert len(line) < width, f"an example cut at {width}: {line!r}"
        folding = line.endswith(" \\")
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        assert not set(line) & set("│╭╮╰╯─"), f"a box: {line!r}"
        # a line longer only where one word is (a terminal would cut it mid-word), with
        # the ` \\` of an example folded
        alone = len(line.strip().removesuffix(" \\").split()) == 1
        assert len(line) < width or alone, f"longer than {width}: {line!r}"
        # an example is folded within the width, and never between an option and its value
        if line.endswith(" \\"):
            assert len(line) < width, f"an example's line longer than {width}: {line!r}"
    for line, after in pairwise(lines):
        last, first = line.removesuffix(" \\").split()[-1:], after.split()[:1]
        if line.endswith(" \\") and last and last[0].startswith("--") and first:
            # (unless the two are too long for one line: "  --fields a,b,c... \\")
            fits = len(f"  {last[0]} {first[0]} \\") < width
            assert first[0].startswith(("-", "|")) or not fits, f"{last[0]} folded from {first[0]}"
    # an example folded to fit is the one written, whole when a shell reads it
    assert examples(text) == examples(help_of(command, 200))
    # an example is folded only where it is too long for a line (the README's longest
    # are, at 80 columns)
    shown_all = re.findall(r"\$ (?:.* \\\n)*.*", text)
    for example, shown in zip(examples(text), shown_all, strict=True):
        assert (" \\\n" in shown) == (len(f"  {example}") >= width), shown
    # every option is named whole
    for name in ("--help",):
        assert name in text


def examples(text: str) -> list[str]:
    """The example command lines in help, each folded one joined as a shell joins it."""
    import re

    joined = re.sub(r" \\\n\s+", " ", text)
    return [line.strip() for line in joined.splitlines() if line.lstrip().startswith("$ ")]


def test_an_example_too_long_for_a_narrow_terminal_folds_as_a_shell_reads_it() -> None:
    text = help_of(["shares"], 40)
    assert (
        "  $ geobal shares --recipient India \\\n      --periods 1950-2019 \\\n      --successors\n"
    ) in text


def test_arguments_taking_several_say_so_once() -> None:
    assert help_of(["export"], 80).startswith("Usage: geobal export [OPTIONS] [DATASET...]\n")
    assert help_of(["remove"], 80).startswith("Usage: geobal remove [OPTIONS] DATASET [ID...]\n")
    assert "geobal set [OPTIONS] DATASET ID [FIELD=VALUE...]\n" in help_of(["set"], 80)


def test_prose_wraps_as_paragraphs_not_line_by_line() -> None:
    text = help_of(["shares"], 80)
    assert (
        "From the per-year export the figures are exact: it gives the TIV delivered in\n"
        "each year. From the legacy register they are an estimate: each record's\n"
    ) in text
    narrow = help_of([], 40)
    assert "  --install-completion SHELL\n      Install completion for SHELL\n" in narrow


def test_help_into_a_closed_pipe_exits_0() -> None:
    """`geobal --help | head -1`, as a real process: the reader leaves early."""
    proc = subprocess.run(
        [sys.executable, "-m", "geobal", "--help"],
        capture_output=True,
        env=isolated_environ(),
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0
    head = subprocess.run(
        f"'{sys.executable}' -m geobal --help | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env=isolated_environ(),
        check=False,
        timeout=60,
    )
    assert (head.returncode, head.stdout, head.stderr) == (
        0,
        "Usage: geobal [OPTIONS] COMMAND [ARGS]...\n",
        "",
    )


def test_a_choice_option_lists_every_value_the_schema_declares() -> None:
    """Each option that takes a choice or level field's value lists all its codes, in
    the schema's order, read from the data rather than typed into the help."""
    from geobal.catalog import Catalog
    from geobal.commands import DATASET_OF, build
    from geobal.commands._options import VALUES_OF

    catalog = Catalog(DATA)
    seen = set()
    for command in COMMANDS:
        options = {(p.opts[0], p.help) for p in build(command).params}
        for (flag, said), field in VALUES_OF.items():
            if (flag, said) in options:
                text = " ".join(help_of([command], 200).split())
                ds = catalog.get(DATASET_OF.get(command, command))
                codes = ", ".join(c.value for c in ds.field_map[field].choices)
                assert f"{said} Values: {codes}." in text, (command, flag)
                seen.add((command, flag))
    assert {("deals", "--partner"), ("deals", "--status"), ("risks", "--min-impact")} <= seen
    assert len(seen) == len(VALUES_OF) == 8
    deals = help_of(["deals"], 80)
    assert "france, israel, germany." in deals and "..." not in deals


def test_a_value_a_users_file_adds_is_listed_too(tmp_path: Path) -> None:
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "deals.toml").write_text(
        '[dataset]\nname = "deals"\n\n[fields.partner]\n'
        'choices = [{ value = "ukraine", label = "Ukraine" }]\n',
        encoding="utf-8",
    )
    result = run_cli(["deals", "--help"], width=200, data_dir=DATA, home=tmp_path)
    assert "Values: russia, united-states, france, israel, germany, ukraine." in result.stdout


def test_where_the_data_cannot_be_read_help_names_the_command_that_lists_values(
    tmp_path: Path,
) -> None:
    result = run_cli(["deals", "--help"], width=200, data_dir=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (
        "Only deals with this partner. Repeat it, or give a comma list, for any of several. "
        "`geobal schema deals partner` lists the values. --status"
    ) in " ".join(result.stdout.split())


def test_help_offers_no_option_that_is_always_refused() -> None:
    """The SIPRI data geobal reads give no regions: factsheet offers no --region."""
    assert "--region" not in help_of(["factsheet"], 80)
    refused = run_cli(["factsheet", "--region", "South Asia"], data_dir=DATA)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert "No such option: --region" in refused.stderr


def test_an_option_of_fixed_values_names_every_one_in_its_help() -> None:
    """An option whose values are fixed by geobal (--format, --color, --as) lists every
    value it takes in its own help, so a value added to the code cannot go unsaid; but
    --format vega-lite, a chart's specification, only where the command draws a chart
    (--output), as elsewhere it is refused."""
    from typer._click import Context

    from geobal.commands import build

    checked = 0

    def walk(command: Any) -> None:
        nonlocal checked
        for sub in getattr(command, "commands", {}).values():
            walk(sub)
        ctx = Context(command)
        for param in command.params:
            values = getattr(param.type, "choices", None)
            if values is None or param.param_type_name != "option":
                continue
            record = param.get_help_record(ctx)
            assert record is not None, param.opts
            said = re.findall(r"[\w-]+", record[1])
            names = [str(getattr(v, "value", v)) for v in values]
            charts = any("--output" in p.opts for p in command.params)
            unsaid = ["vega-lite"] if "vega-lite" in names and not charts else []
            missing = [v for v in names if v not in said]
            assert missing == unsaid, (command.name, param.opts, missing)
            checked += 1

    for name in COMMANDS:
        walk(build(name))
    assert checked >= 30


def test_a_format_help_does_not_offer_is_refused() -> None:
    assert "vega-lite" not in help_of(["deals"], 80)
    assert "or vega-lite for a chart's" in " ".join(help_of(["suppliers"], 80).split())
    refused = run_cli(["deals", "--format", "vega-lite"], data_dir=DATA)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr.startswith("geobal: this output is not a chart:")


def test_format_help_is_made_from_the_formats_there_are() -> None:
    from geobal.commands._options import format_help
    from geobal.formats import Format

    plain = "table, json, jsonl, csv, tsv, markdown or toml. Default: table on a terminal"
    assert format_help(chart=False).startswith(plain)
    assert format_help(chart=True).startswith(
        "table, json, jsonl, csv, tsv, markdown, toml, or vega-lite for a chart's specification."
    )
    assert all(f.value in format_help(chart=True) for f in Format)


def test_the_codes_a_choice_option_lists_come_from_the_commands_dataset() -> None:
    from typer import Context as ClickContext

    from geobal.commands import _complete as complete
    from geobal.commands import build
    from geobal.context import Context
    from geobal.env import Env

    env = Env.from_process()
    ctx = ClickContext(build("timeline"), info_name="timeline", obj=Context(env))
    assert complete.codes(ctx, "kind") == [
        c.value for c in Context(env).api.dataset("events").field_map["kind"].choices
    ]
    assert complete.codes(ctx, "no_such_field") is None
