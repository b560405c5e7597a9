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


def _imports(name: str, path: Path) -> set[str]:
    """The geobal modules `name` imports when it is imported: its module-level imports,
    those under `if TYPE_CHECKING` left out."""
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

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found & set(MODULES)


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


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
    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(GRAPH[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += GRAPH[name]
        return seen

    circles = sorted(name for name in GRAPH if name in reach(name))
    assert circles == []


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
# The commands modules still to be thinned: the lead empties this set as each is.
NOT_YET_THIN = {
    "geobal.commands._run",
    "geobal.commands.edit",
    "geobal.commands.settings",
    "geobal.commands.transfer",
}


def _every_import(name: str, path: Path) -> set[str]:
    """The geobal modules `name` imports anywhere: at module level, inside functions,
    under `if TYPE_CHECKING`; `from geobal import api` as geobal.api."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return {m for m in found if m == "geobal" or m.startswith("geobal.")}


def _allowed(module: str) -> bool:
    return any(module == a or module.startswith(f"{a}.") for a in COMMANDS_MAY_IMPORT)


def test_commands_import_nothing_but_the_api_and_the_rooms_they_hand_it_through() -> None:
    commands = {n: p for n, p in MODULES.items() if n.startswith("geobal.commands.")}
    found = {
        name: sorted(m for m in _every_import(name, path) if not _allowed(m))
        for name, path in commands.items()
        if name not in NOT_YET_THIN
    }
    assert {name: bad for name, bad in found.items() if bad} == {}
    assert {"geobal.commands.register", "geobal.commands.balancing"} <= set(found)
    # the set of modules still to thin names modules that exist and are not thin yet
    assert set(commands) >= NOT_YET_THIN
    thin = [
        n for n in NOT_YET_THIN if not any(not _allowed(m) for m in _every_import(n, commands[n]))
    ]
    assert thin == [], f"thin now: take them out of NOT_YET_THIN: {thin}"


def test_the_import_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    path = tmp_path / "probe.py"
    path.write_text(
        "def f():\n    from geobal.analysis import register\n"
        "if TYPE_CHECKING:\n    from geobal import catalog\n",
        encoding="utf-8",
    )
    assert _every_import("geobal.commands.probe", path) == {
        "geobal.analysis.register",
        "geobal.catalog",
    }
