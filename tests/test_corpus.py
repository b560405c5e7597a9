"""The toml-test corpus as user files: every document a parser must reject is one clean
line from `geobal validate`, every valid document that is no dataset a schema error, and
neither harms the other datasets. The sample in tests/fixtures runs everywhere; the
whole corpus where ../shared is beside the repository."""

from collections.abc import Callable
from pathlib import Path

import pytest

from geobal.catalog import read_dataset
from geobal.errors import DataError
from tests.conftest import FIXTURES, Run, corpus

Cli = Callable[..., Run]
WHICH = pytest.mark.parametrize("whole", [False, True], ids=["sample", "whole"])


def _copies(docs: list[Path], folder: Path) -> list[Path]:
    """The documents under names that are dataset names, in validate's order."""
    folder.mkdir(parents=True)
    targets = []
    for n, doc in enumerate(docs):
        target = folder / f"doc{n:03d}.toml"
        target.write_bytes(doc.read_bytes())
        targets.append(target)
    return targets


@WHICH
def test_every_invalid_document_is_one_line_naming_its_position(
    cli: Cli, tmp_path: Path, whole: bool
) -> None:
    docs = corpus("invalid", whole)
    assert len(docs) > (400 if whole else 40)
    targets = _copies(docs, tmp_path / "datasets")
    result = cli(["validate", str(tmp_path / "datasets")], home=tmp_path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(targets), "one line a document"
    for line, target, doc in zip(lines, targets, docs, strict=True):
        where, line_no, column, message = line.split(":", 3)
        assert where == str(target), doc
        assert line_no.isdigit() and column.isdigit(), (doc, line)
        assert message.startswith((" invalid TOML: ", " not valid UTF-8 ")), (doc, line)
    assert result.stderr == f"{len(docs)} problems in {len(docs)} files\n"
    still = cli(["query", "items", "--fields", "id"], home=tmp_path, data_dir=FIXTURES)
    assert (still.exit_code, still.stdout, still.stderr) == (0, "id\nb\na\nc\nd\n", "")


@WHICH
def test_every_valid_document_that_is_no_dataset_is_a_schema_error(
    tmp_path: Path, whole: bool
) -> None:
    docs = corpus("valid", whole)
    for target, doc in zip(_copies(docs, tmp_path / "data"), docs, strict=True):
        with pytest.raises(DataError) as info:
            read_dataset(target)
        assert info.value.message.startswith(f"{target}: "), doc
        assert all("\n" not in str(p) for p in info.value.problems), doc
