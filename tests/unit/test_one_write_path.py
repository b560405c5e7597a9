"""Every write of a file goes through geobal.store, the one write path: no other module
opens a file for writing, renames or replaces one, or makes a temporary one. A new
write elsewhere fails here, naming the line, until it goes through store (or is added
below with the reason it writes no file of the user's)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "geobal"
STORE = SRC / "store.py"
# (file, what it calls): writes that are no file of the user's, each with its reason
ALLOWED = {
    ("cli.py", "os.open"): "/dev/null, opened to drop the output of a reader that left",
    ("launch.py", "os.write"): "the ready line, to a pipe the caller passed (GEOBAL_READY_FD)",
}
WRITING_METHODS = {"write_text", "write_bytes", "touch", "mkstemp", "NamedTemporaryFile"}
WRITING_FUNCTIONS = {
    ("os", "replace"),
    ("os", "rename"),
    ("os", "write"),
    ("shutil", "move"),
    ("shutil", "copy"),
    ("shutil", "copyfile"),
    ("shutil", "copy2"),
}
WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = ""
        if isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else ""
            name = f"{owner}.{func.attr}" if owner else func.attr
            if func.attr in WRITING_METHODS or (owner, func.attr) in WRITING_FUNCTIONS:
                found.append((node.lineno, name))
            elif (owner, func.attr) == ("os", "open"):
                flags = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
                if flags & WRITE_FLAGS:
                    found.append((node.lineno, name))
        elif isinstance(func, ast.Name) and func.id == "open":
            modes = list(node.args[1:2]) + [k.value for k in node.keywords if k.arg == "mode"]
            for mode in modes:
                if not isinstance(mode, ast.Constant) or set(str(mode.value)) & set("wax+"):
                    found.append((node.lineno, "open"))
    return found


def test_only_the_store_writes_files() -> None:
    stray = []
    for path in sorted(SRC.rglob("*.py")):
        if path == STORE:
            continue
        for line, call in _writes(ast.parse(path.read_text(), str(path))):
            if (path.name, call) not in ALLOWED:
                stray.append(f"{path.relative_to(SRC)}:{line}: {call}")
    assert stray == [], "writes outside geobal.store (the one write path): " + ", ".join(stray)


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan itself: each kind of write it must catch is caught."""
    code = """
import os, shutil, tempfile
from pathlib import Path
Path("a").write_text("x")
open("b", "w")
open("c", mode="a")
os.open("d", os.O_WRONLY | os.O_CREAT)
os.replace("e", "f")
tempfile.mkstemp()
shutil.move("g", "h")
open("i")
os.open("j", os.O_RDONLY)
"""
    assert [line for line, _ in _writes(ast.parse(code))] == [4, 5, 6, 7, 8, 9, 10]
