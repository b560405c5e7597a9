"""Docs that test themselves: every command is documented, and every example runs."""

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from geobal.commands import COMMANDS
from tests.conftest import DATA, FIXTURES, ROOT, Run
from tests.replay import Backend

Cli = Callable[..., Run]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_examples() -> list[str]:
    """Command lines in the README's sh blocks, without `uv run`."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL):
        for line in block.splitlines():
            line = line.split("  #")[0].strip().removeprefix("uv run ")
            if line.startswith("geobal"):
                lines.append(line)
    return lines


# Commands whose examples make what later examples use; their help is run first.
SETUP = ("new", "add", "import")


def help_examples() -> list[str]:
    """The examples in every command's --help: those of SETUP first, then the others in
    the order `geobal --help` lists them."""
    from tests.conftest import run_cli

    blocks = [[c] for c in SETUP] + [[c] for c in COMMANDS if c not in SETUP]
    found = []
    for command in [[], *blocks]:
        text = run_cli([*command, "--help"], width=200, data_dir=DATA).stdout
        found += re.findall(r"\$ (geobal [^\n│]*?)\s*(?:│|\n)", text)
    return found


def example_files(folder: Path) -> None:
    """The files the examples name, in the folder they run in: SIPRI's exports are the
    excerpts in tests/fixtures, linked under the names the examples give them, and its
    military expenditure workbook a small one the tests build."""
    for name, excerpt in (
        ("trade-register.csv", "trade-register-excerpt.csv"),
        ("import-export-values_1950-2024.csv", "import-export-values-excerpt.csv"),
        ("export-values_1950-2024.csv", "export-values-excerpt.csv"),
    ):
        (folder / name).symlink_to(FIXTURES / "sipri" / excerpt)
    # SIPRI's military expenditure workbook: a few of its rows, in its layout, built here
    from tests.milex_book import build

    build(folder / "SIPRI-Milex-data-1949-2024.xlsx")


def command_of(line: str) -> str:
    """The command an example line runs, past global options such as --data-dir DIR."""
    words = shlex.split(line)[1:]
    while words and words[0].startswith("-"):
        words = words[2:] if words[0] == "--data-dir" else words[1:]
    return words[0]


def run_examples(lines: list[str], home: Path) -> None:
    """(Examples that fetch from SIPRI's backend ask a local stand-in instead.)"""
    backend = Backend()
    try:
        _run_examples(lines, home, {"GEOBAL_SIPRI_URL": backend.url})
    finally:
        backend.close()


def _run_examples(lines: list[str], home: Path, env: dict[str, str]) -> None:
    """Run example command lines in order, sharing one home folder as a user would: a
    later example may use what an earlier one made. `A | geobal B` feeds A's output to
    B; a pipe into another program (jq) runs just the geobal part; `> FILE` writes the
    last output to FILE."""
    from tests.conftest import run_cli

    for line in lines:
        command, _, target = line.partition(" > ")
        stages = [shlex.split(stage) for stage in command.split(" | ")]
        given = None
        for stage in stages:
            if stage[0] != "geobal":
                break
            result = run_cli(stage[1:], home=home, stdin=given, data_dir=DATA, env=env)
            assert result.exit_code == 0, f"{line}: {result.stderr}"
            assert result.stdout or result.stderr, line
            given = result.stdout
        if target and given is not None:
            Path(target.strip()).write_text(given, encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    for command in COMMANDS:
        assert f"geobal {command}" in README, command


def test_every_field_type_is_in_the_readmes_table_as_it_describes_itself() -> None:
    from geobal.fieldtypes import KINDS

    for name, kind in KINDS.items():
        assert f"\n| `{name}` | {kind.summary} |\n" in README, name


def test_every_test_the_guarantees_cite_exists() -> None:
    """Each guarantee names its tests as `file.py::test` (or `::test`, in the file named
    before it, or a whole `file.py`): each must be there to back it."""
    section = README.split("## What geobal guarantees")[1].split("\n## ")[0]
    cited, file = 0, ""
    for ref in re.findall(r"`((?:[\w/]+\.py)?(?:::\w+)?)`", section):
        path, _, name = ref.partition("::")
        file = path or file
        source = (ROOT / "tests" / file).read_text(encoding="utf-8")
        assert not name or f"\ndef {name}(" in source, ref
        cited += 1
    assert cited >= 20


def test_the_readme_shows_the_two_commands() -> None:
    assert "```sh\nuv run geobal brief\nuv run pytest\n```" in README


def test_there_are_examples() -> None:
    assert len(readme_examples()) >= 15
    examples = help_examples()
    assert {command_of(line) for line in examples} == set(COMMANDS)
    assert len(examples) >= 2 * len(COMMANDS)


def test_every_help_example_is_one_of_the_readmes() -> None:
    """Help shows what the README shows, word for word, so the two cannot drift: the
    README's run in order (test_readme_examples_run), and help's too."""
    readme = set(readme_examples())
    assert [line for line in help_examples() if line not in readme] == []


# The README's development commands: the checks themselves, which CI runs (.ci/run) and
# which, run from a test, would run the suite inside itself.
DEVELOPMENT = {
    "uv run pytest",
    "uv run ruff check && uv run ruff format --check",
    "uv run mypy --strict src",
    "uv run python bench/startup.py",
    "bash .ci/run",
}


def test_every_command_the_readme_shows_is_run_by_a_test() -> None:
    """Each line of the README's sh blocks is a geobal example (test_readme_examples_run),
    an install line (test_the_readmes_install_line_puts_geobal_on_the_path), a line of
    "Into SQLite, Datasette and DuckDB" (test_the_bridges_commands_run_as_written) or a
    development command (DEVELOPMENT, with the reason it is not run here)."""
    bridges = README.split("## Into SQLite, Datasette and DuckDB")[1].split("\n## ")[0]
    shown = set(readme_examples()) | set(readme_install_lines()) | DEVELOPMENT
    for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if command and f"\n{line}\n" not in bridges:
                assert command in shown or command.removeprefix("uv run ") in shown, line


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    example_files(tmp_path)
    run_examples(readme_examples(), tmp_path / "home")


def test_help_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    example_files(tmp_path)
    run_examples(help_examples(), tmp_path / "home")


def test_completion_offers_datasets_fields_and_choices(cli: Cli) -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_GEOBAL_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        return cli([], env=env).stdout.split()

    assert complete("geobal query de") == ["deals"]
    assert complete("geobal deals --sector ") == ["air", "missile", "naval", "cyber", "land"]
    assert complete("geobal risks --min-impact h") == ["high"]
    assert complete("geobal query deals --where stat") == ["status=", "status_date="]
    assert complete("geobal query deals --where status=del") == [
        "status=delivering",
        "status=delivered",
    ]
    assert complete("geobal deals --fields id,ye") == ["id,year"]
    assert complete("geobal deals --count-by sec") == ["sector"]
    # any case, as the options themselves, the part typed kept as typed (geobal reads
    # every name in any case); a label completes too
    assert complete("geobal deals --sector Ai") == ["Air"]
    assert complete("geobal deals --sector Missile") == ["Missile"]
    assert complete("geobal deals --sector Missile") != []
    # a list does not offer what it holds already
    assert "id,id" not in complete("geobal deals --fields id,")
    assert complete("geobal deals --fields id,sector,se") == []
    # record ids, and the values a field holds after FIELD=
    assert sorted(complete("geobal show deals project")) == [
        "project-1135-6-goa",
        "project-1135-6-yantar",
    ]
    assert complete("geobal show deals S-4") == ["S-400"]  # and show reads it in any case
    assert cli(["show", "deals", "S-400"]).exit_code == 0
    assert complete("geobal query deals --where year=201") == [
        "year=2016",
        "year=2018",
        "year=2019",
    ]
    assert complete("geobal query deals --where Sector=Ai") == ["Sector=Ai" + "r"]


@pytest.mark.parametrize(
    ("shell", "start", "says"),
    [
        ("bash", "_geobal_completion() {", "complete -o default -F _geobal_completion geobal"),
        ("zsh", "#compdef geobal", "_GEOBAL_COMPLETE=complete_zsh geobal"),
        ("fish", "complete --command geobal", "_GEOBAL_COMPLETE=complete_fish"),
    ],
)
def test_each_shell_gets_its_own_completion_script(
    cli: Cli, shell: str, start: str, says: str
) -> None:
    result = cli(["--show-completion", shell])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(start)
    assert says in result.stdout
    others = {"bash": "#compdef", "zsh": "complete -o", "fish": "#compdef"}
    assert others[shell] not in result.stdout


def test_an_unknown_shell_is_refused(cli: Cli) -> None:
    result = cli(["--show-completion", "tcsh"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "geobal: geobal completes in bash, zsh and fish, not 'tcsh'\n"
        "for example: geobal --show-completion zsh\n"
    )


def test_the_bash_script_completes_in_a_real_bash(tmp_path: Path) -> None:
    """Source the script in bash, as a user's .bashrc does, and ask it to complete."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import isolated_environ

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("needs bash")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "geobal"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m geobal "$@"\n')
    wrapper.chmod(0o755)
    env = {**isolated_environ(), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    script = subprocess.run(
        [str(wrapper), "--show-completion", "bash"], capture_output=True, text=True,
        env=env, check=True, timeout=60,
    ).stdout  # fmt: skip
    (tmp_path / "complete.sh").write_text(script, encoding="utf-8")

    def complete(*words: str) -> list[str]:
        line = " ".join(words)
        probe = (
            f"source {tmp_path / 'complete.sh'}\n"
            f"COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}\n"
            "_geobal_completion geobal\n"
            'printf "%s\\n" "${COMPREPLY[@]}"\n'
        )
        done = subprocess.run(
            [bash, "--norc", "-c", probe], capture_output=True, text=True, env=env,
            check=False, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("geobal", "deals", "--sector", "na") == ["naval"]
    assert complete("geobal", "show", "deals", "s-400-m") == ["s-400-missiles"]
    assert "deals" in complete("geobal", "query", "")


def test_readme_python_examples_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's Python blocks are doctests, run on the bundled data with a user
    folder of their own: each output is what the library really returns."""
    import doctest

    from tests.conftest import home_environ

    for name, value in home_environ(tmp_path).items():
        monkeypatch.setenv(name, value)
    blocks = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
    assert blocks, "the README shows no Python"
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, {}, f"README python block {i + 1}", "README.md", 0)
        assert test.examples, f"README python block {i + 1} has no >>> examples"
        runner.run(test)
    failed, tried = runner.summarize(verbose=False)
    assert (failed, tried > 0) == (0, True)


@pytest.mark.slow
def test_the_bridges_commands_run_as_written(tmp_path: Path) -> None:
    """The section "Into SQLite, Datasette and DuckDB": every line of its sh blocks run
    in a shell, in order, as a reader runs them from a clone, `uv run` being this test's
    own environment (its bin folder first on PATH). Datasette, which would serve until
    stopped, is asked for one page and exits."""
    import os
    import subprocess
    import sys
    from collections import Counter

    from geobal.catalog import Catalog
    from tests.conftest import isolated_environ

    section = README.split("## Into SQLite, Datasette and DuckDB")[1].split("\n## ")[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines() if line.strip()]
    bin_dir = Path(sys.executable).parent
    env = {**isolated_environ(), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    assert [line.split()[:3] for line in lines] == [
        ["geobal", "export", "--format"],
        ["geobal", "export", "deals"],
        ["uv", "run", "python"],
        ["uv", "run", "datasette"],
        ["uv", "run", "python"],
    ]
    said = []
    for line in lines:
        command = line.removeprefix("uv run ")
        if command.startswith("datasette "):
            command += " --get /geobal/deals"
        done = subprocess.run(
            ["sh", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
            check=False, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        said.append(done.stdout)
    found, served, counted = said[2:]
    assert "('s-400', 'russia', 2018)" in found
    deals = Catalog(DATA).get("deals")
    assert deals.title.replace("'", "&#39;") in served and "MIT" not in served
    assert "each source&#39;s terms apply" in served
    per_sector = Counter(str(r["sector"]) for r in deals.records if r.get("sector"))
    assert dict(re.findall(r"│ (\w+)\s*│\s*(\d+) │", counted)) == {
        k: str(n) for k, n in per_sector.items()
    }


def test_the_readme_says_what_deals_sectors_and_refused_periods_are(cli: Cli) -> None:
    """What the README says of the data and of refusals is what the program does."""
    from geobal.catalog import Catalog

    sectors = [c.value for c in Catalog(DATA).get("deals").field_map["sector"].choices]
    assert f"| `deals` | deals in five sectors ({', '.join(sectors)}):" in README
    assert len(sectors) == 5
    said = " ".join(README.split())
    assert (
        "`geobal suppliers --period 2021` (or `2014-23`) is refused, exit 2, with the periods "
        "there are, and so is `geobal balance --period 2021`"
    ) in said
    for args in (["suppliers", "--period", "2021"], ["suppliers", "--period", "2014-23"],
                 ["balance", "--period", "2021"]):  # fmt: skip
        refused = cli(args, data_dir=DATA)
        assert (refused.exit_code, refused.stdout) == (2, ""), args
        assert "\navailable: 2009-13, 2010-14," in refused.stderr, args


def readme_install_lines() -> list[str]:
    """The README's lines that install geobal, from its sh blocks."""
    return [
        line.split("  #")[0].strip()
        for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
        for line in block.splitlines()
        if line.startswith(("uv tool install", "pip install"))
    ]


@pytest.mark.slow
def test_the_readmes_install_line_puts_geobal_on_the_path(tmp_path: Path) -> None:
    """As a newcomer does: a fresh clone of the repository (its last commit), the
    README's install line run in it, then `geobal --version` found on the PATH, with
    uv's tools in folders of the test's own (PyPI is asked for the dependencies); then
    every README example run verbatim in a shell, in order, in a folder holding the
    files they name (SIPRI's exports as the excerpts in tests/fixtures)."""
    import os
    import shutil
    import subprocess

    from geobal import __version__
    from tests.conftest import isolated_environ

    uv, git = shutil.which("uv"), shutil.which("git")
    if uv is None or git is None:
        pytest.skip("needs uv and git on PATH")
    lines = readme_install_lines()
    assert lines == ["uv tool install '.[charts,parquet,milex]'"]
    assert "\n```sh\nuv tool install '.[charts,parquet,milex]'\ngeobal --version\n```\n" in README
    clone, bin_dir = tmp_path / "geobal", tmp_path / "bin"
    subprocess.run([git, "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    env = {
        **isolated_environ(),
        "UV_TOOL_DIR": str(tmp_path / "tools"),
        "UV_TOOL_BIN_DIR": str(bin_dir),
        "PATH": f"{bin_dir}{os.pathsep}{Path(uv).parent}{os.pathsep}/usr/bin:/bin",
    }
    for line in lines:
        done = subprocess.run(
            ["sh", "-c", line], cwd=clone, env=env, capture_output=True, text=True,
            check=False, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, f"{line}\n{done.stderr}"
    version = subprocess.run(
        ["sh", "-c", "geobal --version"], cwd=tmp_path, env=env, capture_output=True,
        text=True, check=False, timeout=120,
    )  # fmt: skip
    assert (version.returncode, version.stderr) == (0, ""), version.stderr
    assert version.stdout.split() == ["geobal", __version__]
    # the extra came with it: a chart drawn to a file
    drawn = subprocess.run(
        ["sh", "-c", "geobal suppliers --output chart.svg"], cwd=tmp_path, env=env,
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert drawn.returncode == 0, drawn.stderr
    assert (tmp_path / "chart.svg").read_text(encoding="utf-8").startswith("<svg")
    # then every README example, verbatim, in a shell, by the geobal just installed
    work = tmp_path / "work"
    work.mkdir()
    example_files(work)
    backend = Backend()
    shell = ["bash", "-o", "pipefail", "-c"] if shutil.which("bash") else ["sh", "-c"]
    try:
        for line in readme_examples():
            if " | jq " in line and shutil.which("jq") is None:
                line = line.partition(" | jq ")[0]  # jq is not geobal's to provide
            done = subprocess.run(
                [*shell, line], cwd=work, env={**env, "GEOBAL_SIPRI_URL": backend.url},
                capture_output=True, text=True, check=False, timeout=300,
            )  # fmt: skip
            assert done.returncode == 0, f"{line}\n{done.stderr}"
            assert done.stdout or done.stderr or " > " in line, line
    finally:
        backend.close()
