"""The credits endpoint of The SMS Works API: the account's balance."""

from __future__ import annotations

from typing_extensions import Unpack

from .._operation import Operation
from ..models import CreditsResponse
from ._base import ApiBase, RequestOptions, with_http_info, without_preload_content

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

    credits_balance_get_with_http_info = with_http_info(credits_balance_get, BALANCE)
    credits_balance_get_without_preload_content = without_preload_content(
        credits_balance_get, BALANCE
    )
