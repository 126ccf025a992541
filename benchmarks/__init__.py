"""County-scale benchmarks: a bulk data generator, the scenarios of issue 8,
and a load test under gunicorn. Run ``python -m benchmarks.run --help``.

Nothing here runs in the pytest suite except a tiny smoke test
(tests/test_resilience_bench_smoke.py).
"""
