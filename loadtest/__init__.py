"""Benchmarks and load drivers: the bench commands (`bench_checkin`, `bench_exam`,
`bench_certificates`, `bench_reports`, `bench_notify`), the load data and the Locust
profiles (`loadtest/locustfiles/`). Outside the apps: nothing in them imports it.
See docs/benchmarks.md.
"""
