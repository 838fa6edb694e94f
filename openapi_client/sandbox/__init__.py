"""A built-in stand-in for The SMS Works batch API, for tests and demos.

::

    from openapi_client.sandbox import Sandbox

    with Sandbox(credits=100) as sandbox:
        config = sandbox.configuration()  # host=sandbox.url, api_key={"JWT": sandbox.token}
        ...

The sandbox listens on a loopback port, checks requests with the real API's limits, charges
and refunds credits, runs scheduled batches when they fall due and POSTs delivery reports.
Messages to the reserved numbers in :data:`OUTCOMES` fail in fixed ways; every other number is
delivered. See ``docs/Sandbox.md`` for the full rules and which of them are guesses.
"""

from ._errors import ERROR_CODES
from ._outcomes import OUTCOMES, TEST_NUMBER_RANGE, Outcome
from ._sandbox import Sandbox
from ._server import RequestRecord
from ._state import StateFileError

__all__ = [
    "ERROR_CODES",
    "OUTCOMES",
    "TEST_NUMBER_RANGE",
    "Outcome",
    "RequestRecord",
    "Sandbox",
    "StateFileError",
]
