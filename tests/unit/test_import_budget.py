"""The import budget of start-up (issue 24): `geobal deals --sector air --json`, run in a
fresh interpreter with its parse cache filled, imports no module outside the lists
below. A module new on that path is a decision, made here in the same change, not an
accident found by a benchmark later; the test needs no clock. geobal's own modules are
listed by full name; other packages and the standard library by their top-level name,
which holds across Python's versions.
"""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, isolated_environ

# geobal's modules on the path of `deals --sector air --json`
GEOBAL = {
    "geobal",
    "geobal.api",
    "geobal.cache",
    "geobal.catalog",
    "geobal.cli",
    "geobal.codecs",
    "geobal.codecs.escape",
    "geobal.codecs.jsontext",
    "geobal.commands",
    "geobal.commands._complete",
    "geobal.commands._guess",
    "geobal.commands._once",
    "geobal.commands._options",
    "geobal.commands._run",
    "geobal.commands.listing",
    "geobal.config",
    "geobal.context",
    "geobal.env",
    "geobal.errors",
    "geobal.fieldtypes",
    "geobal.files",
    "geobal.formats",
    "geobal.given",
    "geobal.launch",
    "geobal.model",
    "geobal.names",
    "geobal.paths",
    "geobal.periods",
    "geobal.queries",
    "geobal.render",
    "geobal.schema",
    "geobal.views",
}
# packages and the standard library, by top-level name (Typer and what it imports;
# _distutils_hack is setuptools' .pth hook, present where setuptools is installed)
OTHERS = {
    "__future__",
    "_abc",
    "_ast",
    "_bz2",
    "_codecs",
    "_collections",
    "_collections_abc",
    "_compression",
    "_datetime",
    "_distutils_hack",
    "_frozen_importlib",
    "_frozen_importlib_external",
    "_functools",
    "_heapq",
    "_imp",
    "_io",
    "_json",
    "_locale",
    "_lzma",
    "_opcode",
    "_operator",
    "_posixsubprocess",
    "_signal",
    "_sitebuiltins",
    "_sre",
    "_stat",
    "_thread",
    "_typing",
    "_uuid",
    "_warnings",
    "_weakref",
    "_weakrefset",
    "abc",
    "annotated_doc",
    "ast",
    "builtins",
    "bz2",
    "codecs",
    "collections",
    "contextlib",
    "copy",
    "copyreg",
    "datetime",
    "difflib",
    "dis",
    "encodings",
    "enum",
    "errno",
    "fcntl",
    "fnmatch",
    "functools",
    "gc",
    "genericpath",
    "gettext",
    "heapq",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "linecache",
    "locale",
    "lzma",
    "marshal",
    "math",
    "ntpath",
    "opcode",
    "operator",
    "os",
    "pathlib",
    "platform",
    "posix",
    "posixpath",
    "re",
    "reprlib",
    "select",
    "selectors",
    "shellingham",
    "shutil",
    "signal",
    "site",
    "stat",
    "subprocess",
    "sys",
    "textwrap",
    "threading",
    "time",
    "token",
    "tokenize",
    "traceback",
    "typer",
    "types",
    "typing",
    "urllib",
    "uuid",
    "warnings",
    "weakref",
    "zipimport",
    "zlib",
}

PROBE = """
import os, runpy, sys
sys.argv = ["geobal", "deals", "--sector", "air", "--json"]
try:
    runpy.run_module("geobal", run_name="__main__", alter_sys=True)
except SystemExit as done:
    assert not done.code, done.code
with open(os.environ["GEOBAL_IMPORTED"], "w", encoding="utf-8") as out:
    out.write("\\n".join(sorted(sys.modules)))
"""


def _imported(tmp_path: Path) -> set[str]:
    listed = tmp_path / "modules.txt"
    env = {**isolated_environ(), "GEOBAL_IMPORTED": str(listed)}
    env.pop("PYTHONPATH", None)
    # the first run fills the parse cache (it parses TOML and writes the cache, as a
    # user's first run does once); the budget is the second's, a user's every run
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-c", PROBE],
            cwd=tmp_path,  # an empty folder: nothing of the caller's is importable
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
    return set(listed.read_text(encoding="utf-8").split("\n")) - {"__main__", "runpy"}


def over_budget(found: set[str]) -> list[str]:
    """The modules of `found` the budget does not hold: geobal's by name, others by
    their top-level package."""
    ours = {m for m in found if m == "geobal" or m.startswith("geobal.")}
    others = {m.split(".")[0] for m in found - ours}
    return sorted(ours - GEOBAL) + sorted(others - OTHERS)


def test_deals_json_imports_nothing_outside_its_budget(tmp_path: Path) -> None:
    found = _imported(tmp_path)
    new = over_budget(found)
    assert not new, (
        f"`geobal deals --sector air --json` now imports {', '.join(new)}: import it inside "
        "the function that needs it, or, if start-up must pay for it, add it to the budget in "
        f"{Path(__file__).relative_to(ROOT)} and say why in the commit"
    )
    # the budget is what the path imports, not a wish list: geobal's own, kept exact
    gone = sorted(m for m in GEOBAL if m not in found)
    assert not gone, f"no longer imported, take them off the budget: {', '.join(gone)}"


def test_a_module_added_to_the_path_is_over_budget() -> None:
    """What the test above would say if the JSON path imported Rich's tables."""
    path = {*GEOBAL, "json.decoder", "typer.main"}
    assert over_budget(path) == []
    assert over_budget({*path, "geobal.render.table", "rich.console", "rich"}) == [
        "geobal.render.table",
        "rich",
    ]
