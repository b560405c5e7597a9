"""The house itself: every module imports on its own, no module-level import circle,
the modules that must import nothing of geobal do not, and Rich stays in its rooms."""

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT, isolated_environ

SRC = ROOT / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "geobal").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path, deep: bool = False) -> set[str]:
    """The geobal modules `name` imports when it is imported: its module-level imports,
    those under `if TYPE_CHECKING` left out. `deep`: also those inside functions and
    classes, and the modules a string names whole (what importlib imports, as the codec
    registry and the command table do), all it may import when it runs."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("geobal"))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, *([base] if base else [])])
                if base.startswith("geobal"):
                    for alias in node.names:
                        full = f"{base}.{alias.name}"
                        found.add(full if full in MODULES else base)
            elif deep:
                visit([n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt)])
                found.update(
                    n.value
                    for n in ast.walk(node)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    if n.value in MODULES
                )

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found & set(MODULES)


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}
# What each module may import at all, whenever it runs: the layers' graph.
DEEP = {name: _imports(name, path, deep=True) for name, path in MODULES.items()}


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph[name]
    return seen


def test_every_module_imports_on_its_own_in_a_fresh_interpreter() -> None:
    def load(name: str) -> tuple[str, int, str]:
        # __main__ runs the CLI when imported: ask for its version instead of a run
        code = f"import {name}" if name != "geobal.__main__" else "import geobal.cli"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
        return name, done.returncode, (done.stderr.strip().splitlines() or [""])[-1]

    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = [(n, err) for n, code, err in pool.map(load, MODULES) if code != 0]
    assert failed == []


def test_no_module_level_import_circle() -> None:
    circles = sorted(name for name in GRAPH if name in _reach(GRAPH, name))
    assert circles == []


# The command line's side: what parses arguments, runs commands and draws their output.
# Everything else is the core, which the API and the commands call.
CLI_SIDE = (
    "geobal.render",
    "geobal.commands",
    "geobal.cli",
    "geobal.launch",
    "geobal.helptext",
    "geobal.__main__",
)


def _cli_side(name: str) -> bool:
    return any(name == top or name.startswith(top + ".") for top in CLI_SIDE)


def test_the_deep_graph_sees_imports_inside_functions_and_by_name() -> None:
    assert "geobal.cli" in DEEP["geobal.launch"]  # from geobal.cli import ..., in a function
    assert "geobal.cli" not in GRAPH["geobal.launch"]
    assert "geobal.codecs.jsontext" in DEEP["geobal.codecs"]  # named for importlib


def test_the_core_never_reaches_the_command_line_side() -> None:
    """No core module imports render (nor commands, nor the CLI), at module level or
    inside a function, directly or through another module: render sits on the codecs,
    never under them."""
    reached = {
        name: sorted(n for n in _reach(DEEP, name) if _cli_side(n))
        for name in MODULES
        if not _cli_side(name)
    }
    assert {name: found for name, found in reached.items() if found} == {}


@pytest.mark.parametrize("name", ["geobal.env", "geobal.formats", "geobal.errors"])
def test_these_modules_import_nothing_of_geobal(name: str) -> None:
    assert GRAPH[name] == set()


def test_rich_is_imported_at_module_level_only_by_the_table_modules() -> None:
    users = set()
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(m == "rich" or m.startswith("rich.") for m in modules):
                users.add(name)
    assert users == {"geobal.render.table", "geobal.render.chart"}


def test_the_json_path_imports_neither_rich_nor_tomli_w() -> None:
    code = (
        "import sys, io\n"
        "from geobal.cli import main\n"
        "sys.argv = ['geobal', 'deals', '--json']\n"
        "sys.stdout = io.StringIO()\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout = sys.__stdout__\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'tomli_w')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=isolated_environ(),
    )
    assert done.stdout.strip() == "[]"


# What a command may import of geobal: the API, which does the work, and the types and
# rooms it hands the API's results through. Nothing of the analysis, the catalog or the
# queries: a command turns options into one API call and hands its result to render.
COMMANDS_MAY_IMPORT = (
    "geobal.api",
    "geobal.codecs.escape",  # the one escaping of what reaches a terminal (completion)
    "geobal.commands",
    "geobal.context",  # the one Context a command is given, whose .api it calls
    "geobal.env",
    "geobal.errors",
    "geobal.fieldtypes",
    "geobal.formats",
    "geobal.model",
    "geobal.periods",
    "geobal.render",  # the one place a command's result is written (commands._run)
    "geobal.views",
)


def _allowed(module: str) -> bool:
    return any(module == a or module.startswith(f"{a}.") for a in COMMANDS_MAY_IMPORT)


def test_commands_import_nothing_but_the_api_and_the_rooms_they_hand_it_through() -> None:
    commands = {n: p for n, p in MODULES.items() if n.startswith("geobal.commands.")}
    # DEEP: imports inside functions too (a type-only import does no work, and is let be)
    found = {name: sorted(m for m in DEEP[name] if not _allowed(m)) for name in commands}
    assert {name: bad for name, bad in found.items() if bad} == {}
    assert {"geobal.commands.settings", "geobal.commands.transfer"} <= set(found)
