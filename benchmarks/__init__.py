"""Benchmarks of openapi_client against bare urllib3 and openapi-generator's client.

Run ``python -m benchmarks --help``; docs/Performance.md explains the workloads and the table.
This package's ``__init__`` stays empty of imports: every measured process imports it.
"""
