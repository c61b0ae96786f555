"""The file list is the architecture: pure stages import no I/O library, the core no Prefect."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pohang_watch"
IO_LIBRARIES = {"httpx", "sqlalchemy", "apprise", "prefect"}
PURE_MODULES = [
    "analysis.py",
    "models.py",
    "errors.py",
    "dedup.py",
    "neardup.py",
    "matching.py",
    "alerts.py",
    "ledger.py",
    "relevance.py",
    "report.py",
    "export.py",
    "extract",
    "parse",
    "notify/render.py",
    "notify/text.py",
    "notify/markup.py",
    "notify/routing.py",
]


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def python_files(relative: str) -> list[Path]:
    path = PACKAGE / relative
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_stages_import_no_io_library(module: str) -> None:
    files = python_files(module)
    assert files, f"{module} is missing"
    for path in files:
        assert not imported_roots(path) & IO_LIBRARIES, path


def test_core_never_imports_prefect() -> None:
    offenders = [p for p in PACKAGE.rglob("*.py") if "prefect" in imported_roots(p)]
    assert offenders == []


def test_page_analysis_loads_no_database_alert_or_prefect_library() -> None:
    """A backfill's parse processes import only `pohang_watch.analysis`: every library it pulls
    in is memory in each of them."""
    code = (
        "import sys, pohang_watch.analysis; "
        f"print(sorted(sys.modules.keys() & {sorted(IO_LIBRARIES)!r}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_sources_use_http_but_no_database_alerts_or_prefect() -> None:
    for path in python_files("sources"):
        assert not imported_roots(path) & (IO_LIBRARIES - {"httpx"}), path


def test_modules_stay_small() -> None:
    """Split a module before it passes ~400 lines (STYLE.md)."""
    long = [p.name for p in PACKAGE.rglob("*.py") if len(p.read_text("utf-8").splitlines()) >= 400]
    assert long == []
