"""The credits endpoint of The SMS Works API: the account's balance."""

from __future__ import annotations

import urllib3
from typing_extensions import Unpack

from .._operation import Operation
from ..api_response import ApiResponse
from ..models import CreditsResponse
from ._base import ApiBase, RequestOptions

__all__ = ["CreditsApi"]

_API = "CreditsApi"

BALANCE: Operation[None, CreditsResponse] = Operation(
    name="credits_balance_get", api=_API, method="GET", path="/credits/balance",
    status=200, result=CreditsResponse, replayable=True,
)  # fmt: skip
#: This class's operations, for the registry.
OPERATIONS = (BALANCE,)


class CreditsApi(ApiBase):
    """The account's credits.

    Errors and per-call options as for every API class (see ``ApiBase``).
    """

    # -- GET /credits/balance ----------------------------------------------------------------

    def credits_balance_get(self, **options: Unpack[RequestOptions]) -> CreditsResponse:
        """Read the account's credit balance.

        Returns:
            ``CreditsResponse``; ``credits`` may be fractional, and below zero on an overdraft.

        Raises:
            ApiException: any failure; the read is retried on timeouts, drops, 429 and 5xx.
        """
        return self._info(BALANCE, options).data

    def credits_balance_get_with_http_info(
        self, **options: Unpack[RequestOptions]
    ) -> ApiResponse[CreditsResponse]:
        """As ``credits_balance_get``, returning the ``ApiResponse``."""
        return self._info(BALANCE, options)

    def credits_balance_get_without_preload_content(
        self, **options: Unpack[RequestOptions]
    ) -> urllib3.HTTPResponse:
        """As ``credits_balance_get``, returning the undecoded ``urllib3.HTTPResponse``."""
        return self._raw(BALANCE, options)
