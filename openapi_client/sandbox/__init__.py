"""A built-in stand-in for The SMS Works API (all 21 operations), for tests and demos.

::

    from openapi_client.sandbox import Sandbox

    with Sandbox(credits=100) as sandbox:
        config = sandbox.configuration()  # host=sandbox.url, api_key={"JWT": sandbox.token}
        ...

The sandbox listens on a loopback port, checks requests with the real API's limits, charges
and refunds credits, runs scheduled batches and messages when they fall due, POSTs delivery
reports, answers searches, keeps an inbox fed by :meth:`Sandbox.receive` and checks the one-time
passcodes it texts (:meth:`Sandbox.last_otp` tells a test what the handset received).
Messages to the reserved numbers in :data:`OUTCOMES` fail in fixed ways; every other number is
delivered. See ``docs/Sandbox.md`` for the full rules and which of them are guesses.
"""

from ._errors import ERROR_CODES
from ._outcomes import OUTCOMES, TEST_NUMBER_RANGE, Outcome
from ._sandbox import INBOX_NUMBER, Sandbox
from ._server import RequestRecord
from ._state import StateFileError

__all__ = [
    "ERROR_CODES",
    "INBOX_NUMBER",
    "OUTCOMES",
    "TEST_NUMBER_RANGE",
    "Outcome",
    "RequestRecord",
    "Sandbox",
    "StateFileError",
]
