"""Benchmarks for pohang-watch: a synthetic corpus generator and a stage-by-stage runner.

    python -m benchmarks.run [--pages N] [--json] [--prefect]

Kept outside the package: nothing here is imported by pohang-watch itself.
"""
