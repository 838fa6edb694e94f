"""``CreditsResponse``: the answer to ``/credits/balance``."""

from __future__ import annotations

from pydantic import Field

from ._base import ResponseModel

__all__ = ["CreditsResponse"]


class CreditsResponse(ResponseModel):
    """The account's balance."""

    credits: float = Field(
        description="Credits left; may be fractional, and negative on an arranged overdraft."
    )
