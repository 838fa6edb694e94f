"""``ApiResponse``: a decoded answer together with its HTTP details."""

from __future__ import annotations

from typing import Any, Generic, Mapping, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, StrictBytes, StrictInt
from typing_extensions import Annotated
from urllib3 import HTTPHeaderDict

__all__ = ["ApiResponse"]

T = TypeVar("T")


def case_insensitive(value: Any) -> Optional[HTTPHeaderDict]:
    """Headers as urllib3's ``HTTPHeaderDict``: looked up in any case, repeated fields kept."""
    if value is None or isinstance(value, HTTPHeaderDict):
        return value
    if isinstance(value, Mapping):
        return HTTPHeaderDict(value)
    raise ValueError(f"headers must be a mapping, not {type(value).__name__}")


Headers = Annotated[Optional[Mapping[str, str]], PlainValidator(case_insensitive)]


class ApiResponse(BaseModel, Generic[T]):
    """What the ``*_with_http_info`` methods return.

    Attributes:
        status_code: the HTTP status.
        headers: the response headers; ``headers["content-type"]`` finds ``Content-Type``.
        data: the decoded body (a model, or a list of models).
        raw_data: the body as received.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)

    status_code: StrictInt = Field(description="HTTP status code")
    headers: Headers = Field(default=None, description="HTTP headers")
    data: T = Field(description="Deserialized data given the data type")
    raw_data: StrictBytes = Field(description="Raw data (HTTP response body)")
