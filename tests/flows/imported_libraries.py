"""What a process has imported; run in a parse process by `parse_pool_main`."""

import sys

HEAVY = ["apprise", "httpx", "prefect", "sqlalchemy"]


def imported(names: list[str]) -> list[str]:
    """Those of `names` in this process's modules."""
    return [name for name in names if name in sys.modules]


def main_module_file() -> str | None:
    """The file this process ran as its main module, if any (a forkserver child has none unless
    it ran its parent's main module again)."""
    return getattr(sys.modules["__main__"], "__file__", None)
