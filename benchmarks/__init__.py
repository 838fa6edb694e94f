"""Benchmarks of openapi_client against bare urllib3, bare httpx and openapi-generator's clients.

Run ``python -m benchmarks --help``; docs/Performance.md explains the workloads and the table.
This package's ``__init__`` stays empty of imports: every measured process imports it.
"""


class Unavailable(Exception):
    """Raised by an implementation that cannot run here (a missing package or feature).

    The runner reports it as "not available: <reason>", which is not a failure of the run.
    """
