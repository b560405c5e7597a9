"""Your own data through the CLI: locations, settings, broken files, and the toml-test
corpus of broken TOML."""

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Run, run_cli

Cli = Callable[..., Run]


def test_paths_follow_flag_then_environment_then_config(cli: Cli, tmp_path: Path) -> None:
    """The same Env and the same resolution as a real run: the flag, the environment
    and the config file each act as they would for a user."""
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{tmp_path / "from-config"}"\n')

    def where(args: list[str], **env: str | None) -> dict[str, object]:
        given = {"GEOBAL_CONFIG": str(config), "GEOBAL_DATA_DIR": None, **env}
        result = cli([*args, "paths", "--json"], env=given)
        assert result.exit_code == 0, result.stderr
        rows: list[dict[str, object]] = json.loads(result.stdout)
        return {r["name"]: r for r in rows}["your datasets"]

    assert where([]) == {
        "name": "your datasets",
        "path": str(tmp_path / "from-config"),
        "exists": False,
        "set_by": "config data_dir",
    }
    env = {"GEOBAL_DATA_DIR": str(tmp_path / "from-env")}
    assert where([], **env)["path"] == str(tmp_path / "from-env")
    assert where([], **env)["set_by"] == "environment GEOBAL_DATA_DIR"
    flag = where(["--data-dir", str(tmp_path)], **env)
    assert (flag["path"], flag["set_by"], flag["exists"]) == (
        str(tmp_path),
        "flag --data-dir",
        True,
    )


def test_the_data_dir_flag_is_where_datasets_are_read_and_written(cli: Cli, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    made = cli(["--data-dir", str(mine), "new", "notes", "--field", "title:text"])
    assert (made.exit_code, made.stderr) == (0, f"created {mine / 'notes.toml'}\n")
    listed = cli(["--data-dir", str(mine), "datasets", "--fields", "name"])
    assert "notes\n" in listed.stdout
    assert "notes\n" not in cli(["datasets", "--fields", "name"]).stdout


def test_config_set_get_show_and_its_effect(cli: Cli, tmp_path: Path) -> None:
    assert cli(["config", "get", "format"], home=tmp_path).exit_code == 1
    (tmp_path / "config.toml").write_text('# my settings\ncolor = "never"\n')
    result = cli(["config", "set", "format", "json"], home=tmp_path)
    assert (result.exit_code, result.stderr) == (
        0,
        f"format = json in {tmp_path / 'config.toml'}\n",
    )
    assert (
        tmp_path / "config.toml"
    ).read_text() == '# my settings\ncolor = "never"\nformat = "json"\n'
    assert cli(["config", "get", "format"], home=tmp_path).stdout == "json\n"
    assert json.loads(cli(["risks", "--limit", "1"], home=tmp_path).stdout)[0]["impact"] == "high"
    assert cli(["risks", "--limit", "1", "-f", "tsv"], home=tmp_path).stdout.startswith("id\t")
    bad = cli(["config", "set", "format", "xml"], home=tmp_path)
    assert (bad.exit_code, bad.stderr.splitlines()[0]) == (
        2,
        "geobal: format must be one of table, json, jsonl, csv, tsv, markdown, toml, not 'xml'",
    )
    assert cli(["config", "path"], home=tmp_path).stdout == f"{tmp_path / 'config.toml'}\n"


def test_a_broken_config_is_a_warning_unless_strict(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("format = 'xml'\n")
    result = cli(["risks", "--fields", "id", "--limit", "1"], home=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "id\nstrategic-autonomy\n")
    assert result.stderr == (
        f"geobal: warning: ignoring the config file: {tmp_path / 'config.toml'}"
        ": format must be one of table, json, jsonl, csv, tsv, markdown, "
        "toml, not 'xml'\n"
    )
    assert cli(["--strict", "risks"], home=tmp_path).exit_code == 1


def test_a_broken_user_file_warns_once_and_the_rest_works(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "deals.toml").write_text("[dataset\n")
    result = cli(["deals", "--fields", "id", "--limit", "2"], home=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "id\nair-systems\nmig-29-21\n")
    assert result.stderr == (
        f"geobal: warning: ignoring {tmp_path / 'datasets' / 'deals.toml'}: "
        f"{tmp_path / 'datasets' / 'deals.toml'}:1:9: invalid TOML: "
        "Expected ']' at the end of a table declaration\n"
    )
    strict = cli(["--strict", "deals"], home=tmp_path)
    assert strict.exit_code == 1 and "Traceback" not in strict.stderr


def test_show_and_json_carry_the_origin(cli: Cli, tmp_path: Path) -> None:
    cli(
        [
            "add",
            "risks",
            "--set",
            "id=mine",
            "--set",
            "priority=Mine",
            "--set",
            "impact=low",
            "--set",
            "advice=Watch",
            "--set",
            "sources=article",
        ],
        home=tmp_path,
    )
    rows = json.loads(cli(["risks", "--json", "--where", "origin=user"], home=tmp_path).stdout)
    assert [(r["id"], r["origin"], r["file"]) for r in rows] == [
        ("mine", "user", str(tmp_path / "datasets" / "risks.toml"))
    ]
    shown = cli(["show", "risks", "mine"], tty=True, width=120, home=tmp_path).text
    assert re.search(r"\nOrigin +User", shown) and str(tmp_path / "datasets") in shown
    bundled = json.loads(cli(["show", "risks", "alliance-relations", "--json"]).stdout)
    assert (bundled["record"]["origin"], bundled["record"]["file"]) == ("bundled", "risks.toml")


def test_import_reports_every_failing_row_on_stderr(cli: Cli, tmp_path: Path) -> None:
    # each row is named by its line in the file: the header is line 1
    cli(["new", "notes", "--field", "title:text!", "--field", "year:integer"], home=tmp_path)
    rows = "title,year\nA,2001\nB,soon\n,1999\nC,x\n"
    result = cli(
        ["import", "-", "--into", "notes", "--source", "article"], home=tmp_path, stdin=rows
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "geobal: standard input: 3 problems; nothing was imported\n"
        "  standard input: line 3: year: year takes a whole number, not 'soon'\n"
        "  standard input: line 4: id: no text to derive an id from; give one with an id "
        "column, or a text field\n"
        "  standard input: line 5: year: year takes a whole number, not 'x'\n"
        "fix the rows (or map their columns with --map) and import again\n"
    )
    ok = cli(
        ["import", "-", "--into", "notes", "--source", "article"],
        home=tmp_path,
        stdin="title,year\nA,2001\n",
    )
    assert (ok.exit_code, ok.stderr) == (
        0,
        f"read 1 row: added 1 and replaced 0 in {tmp_path / 'datasets' / 'notes.toml'}\n",
    )


def test_long_imports_show_progress_on_a_terminal_only(cli: Cli, tmp_path: Path) -> None:
    cli(["new", "notes", "--field", "title:text!"], home=tmp_path)
    rows = "title\n" + "".join(f"note {i}\n" for i in range(300))
    shown = cli(
        ["import", "-", "--into", "notes", "--source", "article"],
        home=tmp_path,
        stdin=rows,
        tty=True,
    )
    assert shown.exit_code == 0 and "checking rows" in shown.stderr
    piped = cli(
        ["import", "-", "--into", "notes", "--source", "article", "--replace"],
        home=tmp_path,
        stdin=rows,
    )
    assert (
        piped.stderr
        == f"read 300 rows: added 0 and replaced 300 in {tmp_path / 'datasets' / 'notes.toml'}\n"
    )


def test_export_to_a_file_and_back(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "risks.toml"
    result = cli(["export", "risks", "-o", str(out)])
    assert (result.exit_code, result.stderr) == (0, f"wrote 4 records to {out}\n")
    assert out.read_text().startswith('[dataset]\nname = "risks"\n')
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "copy.toml").write_text(
        out.read_text().replace('name = "risks"', 'name = "copy"')
    )
    ours = cli(["query", "copy", "--json", "--fields", "id,impact,advice"], home=tmp_path)
    theirs = cli(["query", "risks", "--json", "--fields", "id,impact,advice"])
    assert ours.stdout == theirs.stdout and ours.stderr == ""


@pytest.mark.parametrize(
    "name",
    ["array/double-comma-01.toml", "string/bad-escape-01.toml", "encoding/bad-utf8-in-string.toml"],
)
def test_a_broken_file_among_all_datasets(cli: Cli, tmp_path: Path, name: str) -> None:
    source = FIXTURES / "toml-test" / "invalid" / name
    (tmp_path / "datasets").mkdir()
    target = tmp_path / "datasets" / "broken.toml"
    target.write_bytes(source.read_bytes())
    result = cli(["validate"], home=tmp_path)
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{target}:")
    assert result.stderr == "1 problem in 12 files\n"
    still = cli(["datasets", "--fields", "name"], home=tmp_path)
    assert still.exit_code == 0 and "deals\n" in still.stdout and "broken" not in still.stdout
    assert still.stderr.startswith("geobal: warning: ignoring broken: ")


def test_tables_stop_at_200_rows_and_say_how_to_see_all(cli: Cli, tmp_path: Path) -> None:
    cli(["new", "many", "--field", "title:text!"], home=tmp_path)
    rows = "title\n" + "".join(f"row {i}\n" for i in range(250))
    cli(["import", "-", "--into", "many", "--source", "article"], home=tmp_path, stdin=rows)
    table = cli(["query", "many", "--fields", "id"], tty=True, home=tmp_path)
    assert table.text.count("row-") == 200
    assert table.stderr == (
        "250 records\nshowing the first 200: --limit 0 shows all 250, "
        "--pager pages them, and --json or --format csv give every row\n"
    )
    assert cli(["query", "many", "--limit", "0"], tty=True, home=tmp_path).text.count("row-") == 250
    assert len(json.loads(cli(["query", "many", "--json"], home=tmp_path).stdout)) == 250
    paged = cli(
        ["query", "many", "--pager", "--fields", "id"],
        tty=True,
        home=tmp_path,
        env={"PAGER": "cat", "MANPAGER": None},
    )
    assert paged.exit_code == 0 and paged.text.count("row-") == 250
    assert "showing the first" not in paged.stderr


def test_reading_a_large_file_shows_progress_on_a_terminal(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geobal.context

    monkeypatch.setattr(geobal.context, "LARGE_FILE", 10)
    shown = cli(["query", "risks", "--limit", "1", "--json"], tty=True, home=tmp_path)
    assert "reading risks.toml" in shown.stderr
    piped = cli(["query", "risks", "--limit", "1", "--json"], home=tmp_path / "other")
    assert piped.stderr == ""


def test_a_boolean_field_end_to_end(cli: Cli, tmp_path: Path) -> None:
    made = cli(["new", "tasks", "--field", "title:text!", "--field", "done:boolean"], home=tmp_path)
    assert made.exit_code == 0, made.stderr
    for title, done in (("First", "yes"), ("Second", "false")):
        sets = [f"title={title}", f"done={done}", "sources=article"]
        added = cli(["add", "tasks", *(a for s in sets for a in ("--set", s))], home=tmp_path)
        assert added.exit_code == 0, added.stderr
    assert cli(
        ["query", "tasks", "--where", "done=true", "--fields", "id"], home=tmp_path
    ).stdout == ("id\nfirst\n")
    rows = json.loads(
        cli(["query", "tasks", "--json", "--fields", "id,done"], home=tmp_path).stdout
    )
    assert rows == [{"id": "first", "done": True}, {"id": "second", "done": False}]
    assert cli(["query", "tasks", "-f", "csv", "--fields", "id,done"], home=tmp_path).stdout == (
        "id,done\nfirst,true\nsecond,false\n"
    )
    table = cli(["query", "tasks", "--fields", "id,done"], home=tmp_path, tty=True).text
    assert re.search(r"first +yes", table) and re.search(r"second +no", table)
    assert "done = true\n" in (tmp_path / "datasets" / "tasks.toml").read_text()
    bad = cli(["add", "tasks", "--set", "title=Third", "--set", "done=maybe"], home=tmp_path)
    assert (bad.exit_code, bad.stderr) == (
        2,
        "geobal: done takes true or false (or yes or no), not 'maybe'\n",
    )
    again = cli(["export", "tasks", "--format", "csv"], home=tmp_path).stdout
    back = cli(["import", "-", "--into", "tasks", "--replace"], home=tmp_path, stdin=again)
    assert back.exit_code == 0, back.stderr
    assert (
        json.loads(cli(["query", "tasks", "--json", "--fields", "id,done"], home=tmp_path).stdout)
        == rows
    )


def test_a_url_field_end_to_end(cli: Cli, tmp_path: Path) -> None:
    made = cli(["new", "links", "--field", "title:text!", "--field", "link:url"], home=tmp_path)
    assert made.exit_code == 0, made.stderr
    good = ["add", "links", "--set", "title=SIPRI", "--set", "link=https://www.sipri.org/"]
    assert cli([*good, "--set", "sources=article"], home=tmp_path).exit_code == 0
    bad = cli(["add", "links", "--set", "title=Bad", "--set", "link=www.sipri.org"], home=tmp_path)
    assert (bad.exit_code, bad.stderr) == (
        2,
        "geobal: link takes an http or https URL such as https://example.org/page, not "
        "'www.sipri.org'\n",
    )
    rows = json.loads(
        cli(["query", "links", "--json", "--fields", "id,link"], home=tmp_path).stdout
    )
    assert rows == [{"id": "sipri", "link": "https://www.sipri.org/"}]
    shown = cli(["query", "links", "--color", "always"], home=tmp_path, tty=True).stdout
    assert "\x1b]8;id=" in shown and ";https://www.sipri.org/\x1b\\" in shown
    plain = cli(["query", "links", "--color", "never"], home=tmp_path, tty=True).stdout
    assert "\x1b" not in plain and "https://www.sipri.org/" in plain
    # a file with a bad URL is reported with the record and the field
    path = tmp_path / "datasets" / "links.toml"
    path.write_text(path.read_text().replace("https://www.sipri.org/", "sipri dot org"))
    checked = cli(["validate", str(path)], home=tmp_path)
    assert checked.stdout == (
        f"{path}: record sipri: link: expected an http or https URL such as "
        "https://example.org/page, got the text 'sipri dot org'\n"
    )


def test_a_users_file_adds_a_partner_and_says_so(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "datasets").mkdir()
    mine = tmp_path / "datasets" / "deals.toml"
    mine.write_text(
        '[dataset]\nname = "deals"\n\n[fields.partner]\n'
        'choices = [{ value = "ukraine", label = "Ukraine", meaning = "mine" }]\n\n'
        '[[records]]\nid = "u1"\nsector = "land"\npartner = "ukraine"\ndeal = "D"\n'
        'status = "proposed"\nbasis = "reported"\nsources = ["article"]\n'
    )
    found = cli(["deals", "--partner", "Ukraine", "--fields", "id,partner"], home=tmp_path)
    assert (found.exit_code, found.stdout, found.stderr) == (0, "id\tpartner\nu1\tukraine\n", "")
    values = cli(["schema", "deals", "partner", "--fields", "value,added_by"], home=tmp_path)
    assert values.stdout.splitlines()[0] == "value\tadded_by"
    assert values.stdout.splitlines()[-1] == f"ukraine\t{mine}"
    assert values.stdout.count(str(mine)) == 1
    checked = cli(["validate", str(mine)], home=tmp_path)
    assert (checked.exit_code, checked.stderr) == (
        0,
        f"{mine}: adds to deals.partner the values ukraine\n1 file checked: no problems\n",
    )


def test_schema_of_one_field_lists_its_values_and_meanings(cli: Cli) -> None:
    kinds = json.loads(cli(["schema", "events", "kind", "--json"]).stdout)
    assert [k["value"] for k in kinds][:3] == ["agreement", "contract", "approval"]
    assert all(set(k) == {"value", "label", "aliases", "meaning", "added_by"} for k in kinds)
    not_closed = cli(["schema", "events", "date"])
    assert (not_closed.exit_code, not_closed.stderr) == (
        2,
        "geobal: events.date is a date field, with no list of values\n"
        "`geobal schema events` shows which fields have one\n",
    )
    unknown = cli(["schema", "events", "kinds"])
    assert unknown.exit_code == 2 and unknown.stderr.startswith("geobal: unknown field 'kinds'")


def test_set_changes_one_field_and_keeps_the_others(tmp_path: Path) -> None:
    home = tmp_path

    def run(*args: str) -> Run:
        return run_cli(list(args), home=home)

    assert run("new", "watchlist", "--field", "item:text!", "--field", "priority:level=low,high")
    assert run("add", "watchlist", "--set", "item=S-400", "--set", "priority=low",
               "--set", "sources=article").exit_code == 0  # fmt: skip
    changed = run("set", "watchlist", "s-400", "priority=high")
    assert (changed.exit_code, changed.stdout) == (0, "s-400\n")
    assert changed.stderr == (
        f"changed priority of s-400 in {home / 'datasets' / 'watchlist.toml'}\n"
    )
    record = json.loads(run("show", "watchlist", "s-400", "--json").stdout)["record"]
    assert (record["item"], record["priority"], record["sources"]) == (
        "S-400",
        "high",
        ["article"],
    )
    # a bad value, or emptying a required field, writes nothing
    before = (home / "datasets" / "watchlist.toml").read_text()
    bad = run("set", "watchlist", "s-400", "priority=urgent")
    assert bad.exit_code == 2 and bad.stderr.startswith("geobal: unknown priority 'urgent'")
    empty = run("set", "watchlist", "s-400", "item=")
    assert empty.exit_code == 2 and "item" in empty.stderr
    assert (home / "datasets" / "watchlist.toml").read_text() == before
    assert run("set", "watchlist", "s-400", "id=other").stderr.startswith(
        "geobal: id names the record and cannot be changed in place"
    )
    assert run("set", "watchlist", "nope", "priority=low").exit_code == 1


def test_set_on_a_bundled_record_copies_it_whole_first(tmp_path: Path) -> None:
    result = run_cli(["set", "deals", "S-400", "status=delivered"], home=tmp_path)
    path = tmp_path / "datasets" / "deals.toml"
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"copied the bundled record s-400 into {path}\nchanged status of s-400 in {path}\n"
    )
    bundled = json.loads(run_cli(["show", "deals", "s-400", "--json"]).stdout)["record"]
    mine = json.loads(run_cli(["show", "deals", "s-400", "--json"], home=tmp_path).stdout)["record"]
    assert mine["status"] == "delivered" and mine["origin"] == "user"
    differs = {k for k in bundled if bundled[k] != mine[k]}
    assert differs == {"status", "origin", "file"}  # every other field kept, none null
    removed = run_cli(["remove", "deals", "s-400"], home=tmp_path)
    assert removed.stderr.endswith("the bundled record s-400 shows again\n")


def test_remove_takes_several_ids_or_a_where_with_yes(tmp_path: Path) -> None:
    home = tmp_path

    def run(*args: str) -> Run:
        return run_cli(list(args), home=home)

    run("new", "watchlist", "--field", "item:text!", "--field", "priority:level=low,high")
    for rid, level in (("a", "low"), ("b", "low"), ("c", "high"), ("d", "low")):
        run("add", "watchlist", "--set", f"id={rid}", "--set", f"item={rid}",
            "--set", f"priority={level}", "--set", "sources=article")  # fmt: skip
    path = home / "datasets" / "watchlist.toml"
    # all or none: one id that is not there, and nothing is removed
    before = path.read_text()
    missing = run("remove", "watchlist", "a", "zz")
    assert missing.exit_code == 1 and "no record 'zz'" in missing.stderr
    assert path.read_text() == before
    asked = run("remove", "watchlist", "--where", "priority=low")
    assert (asked.exit_code, asked.stderr) == (
        2,
        "geobal: --where matches 3 of your records in watchlist (a, b, d)\n"
        "pass --yes to remove them\n",
    )
    assert path.read_text() == before
    done = run("remove", "watchlist", "--where", "priority=low", "--yes")
    assert done.stderr == f"removed a, b, d from {path}\n"
    assert run("remove", "watchlist", "c").stderr == f"removed c from {path}\n"
    assert run("query", "watchlist").stderr == "No records matched.\n"
    bundled = run("remove", "deals", "--where", "partner=france", "--yes")
    assert bundled.stderr.startswith("no record of yours in deals matches; ")
