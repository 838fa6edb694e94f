"""``ApiResponse``: a decoded answer together with its HTTP details."""

from __future__ import annotations

from typing import Generic, Mapping, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictBytes, StrictInt

__all__ = ["ApiResponse"]

T = TypeVar("T")


class ApiResponse(BaseModel, Generic[T]):
    """What the ``*_with_http_info`` methods return.

    Attributes:
        status_code: the HTTP status.
        headers: the response headers.
        data: the decoded body (a model, or a list of models).
        raw_data: the body as received.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)

    status_code: StrictInt = Field(description="HTTP status code")
    headers: Optional[Mapping[str, str]] = Field(default=None, description="HTTP headers")
    data: T = Field(description="Deserialized data given the data type")
    raw_data: StrictBytes = Field(description="Raw data (HTTP response body)")
