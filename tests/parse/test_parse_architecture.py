"""The parse and source stages stay plain Python: no Prefect, database, HTTP or alert imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "pohang_watch"
FORBIDDEN = {"prefect", "sqlalchemy", "apprise", "httpx"}
MODULES = sorted([*(PACKAGE / "parse").glob("*.py"), *(PACKAGE / "sources").glob("*.py")])


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize(
    "module", MODULES, ids=[m.relative_to(PACKAGE).as_posix() for m in MODULES]
)
def test_stage_module_imports_no_framework(module: Path) -> None:
    assert not imported_roots(module) & FORBIDDEN


def test_parse_modules_stay_small() -> None:
    assert all(len(m.read_text("utf-8").splitlines()) < 400 for m in MODULES)
