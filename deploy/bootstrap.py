#!/usr/bin/env python3
"""Set up the Prefect server for pohang-watch (work pool, queues, rate limit, automation).

Idempotent; the code lives in flows/bootstrap.py. Usage, with PREFECT_API_URL set:
    python deploy/bootstrap.py [--pool NAME] [--config FILE] [--notify-block TYPE/NAME]
"""

from flows.bootstrap import main

if __name__ == "__main__":
    raise SystemExit(main())
