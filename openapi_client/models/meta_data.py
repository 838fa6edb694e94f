"""``MetaData``: one key/value pair attached to a message."""

from __future__ import annotations

from pydantic import Field, StrictStr

from ._base import RequestModel

__all__ = ["MetaData"]


class MetaData(RequestModel):
    """A key/value pair stored with a message and returned with it; searchable later."""

    key: StrictStr = Field(description="Name of the pair.")
    value: StrictStr = Field(description="Value of the pair.")
