"""``TestResponse``: the answer to ``/utils/test``."""

from __future__ import annotations

from pydantic import Field

from ._base import ResponseModel

__all__ = ["TestResponse"]


class TestResponse(ResponseModel):
    """The token works; the answer names the account it belongs to."""

    __test__ = False  # not a test class, whatever its name says to pytest

    message: str = Field(description="The account's customer ID.")
