"""Which libraries a process has imported; run in a parse process by `parse_pool_main`."""

import sys

HEAVY = ["apprise", "httpx", "prefect", "sqlalchemy"]


def imported(names: list[str]) -> list[str]:
    return [name for name in names if name in sys.modules]
