"""Stands in for `prefect.engine`, the main module of a deployment's flow run: it has imported
Prefect, starts a backfill's parse pool, and prints which of the heavy libraries it and one
parse process have imported, and which main module file that process ran (run as
`python -m parse_pool_main`)."""

import json

import prefect  # noqa: F401 - imported as a deployment's main module imports it
from imported_libraries import HEAVY, imported, main_module_file

from pohang_watch.analysis_pool import analysis_pool

if __name__ == "__main__":
    with analysis_pool(1) as pool:
        libraries = pool.submit(imported, HEAVY).result()
        main_file = pool.submit(main_module_file).result()
    print(json.dumps({"main": imported(HEAVY), "parse process": [libraries, main_file]}))
