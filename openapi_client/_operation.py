"""What an endpoint is (``Operation``) and what one call of it becomes (``PreparedRequest``).

An ``Operation`` is a declaration: the generator's method name, its API class, the HTTP method
and path, the success status and the type its body decodes into, how the request body is
checked, and whether sending it again is harmless. Nothing here does I/O; ``ApiClient`` turns an
operation and the caller's arguments into a ``PreparedRequest``, a send loop sends that, and
``ApiClient`` interprets the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Generic,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
)

from typing_extensions import TypedDict

if TYPE_CHECKING:
    from .configuration import Configuration, TimeoutSetting

__all__ = ["Operation", "PreparedRequest", "RequestOptions"]

BodyT = TypeVar("BodyT")
ResultT = TypeVar("ResultT")

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class RequestOptions(TypedDict, total=False):
    """Per-call options every operation method takes, as in openapi-generator's clients."""

    _request_timeout: TimeoutSetting
    _request_auth: Optional[Dict[str, Any]]
    _content_type: Optional[str]
    _headers: Optional[Dict[str, Any]]
    _host_index: Optional[int]


@dataclass(frozen=True, kw_only=True)
class Operation(Generic[BodyT, ResultT]):
    """One endpoint, declared.

    Attributes:
        name: the method name openapi-generator gives it, e.g. ``"batch_send_post"``.
        api: the API class it belongs to, e.g. ``"BatchMessagesApi"``.
        method: HTTP method.
        path: path template below the host, e.g. ``"/batch/{batchid}"``.
        status: the documented success status.
        result: the type a success body decodes into (``ResultT``).
        replayable: whether sending the request twice is harmless. Reads, searches, cancels
            and the utility calls are; anything that texts a person is not, nor is
            ``/otp/verify``, which uses a passcode up. The retry policy and the "outcome
            unknown" errors read this, never the HTTP method.
        body_name: the body's parameter name (``None`` for operations without a body).
        body_type: the type the body is validated into (``BodyT``).
        body_check: the API's limits, run on the validated body unless
            ``client_side_validation`` is off; returns the body to send (normalised).
    """

    name: str
    api: str
    method: str
    path: str
    status: int
    result: Any
    replayable: bool
    body_name: Optional[str] = None
    body_type: Any = None
    body_check: Optional[Callable[[BodyT, Configuration], BodyT]] = None
    path_params: Tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "path_params", tuple(_PLACEHOLDER.findall(self.path)))
        if (self.body_name is None) != (self.body_type is None):
            raise ValueError(f"{self.name}: give both body_name and body_type, or neither")

    @property
    def responses(self) -> Mapping[int, Any]:
        """Success status -> result type, as openapi-generator's ``response_types_map``."""
        return {self.status: self.result}


@dataclass(frozen=True, kw_only=True)
class PreparedRequest:
    """One call, ready to send: built and checked, nothing sent yet.

    ``replayable`` is the operation's flag; ``None`` for a request built without an operation
    (``ApiClient.call_api``), which is then judged by its method. Immutable, so a retry sends
    exactly the same request. Its ``repr`` names the header fields
    but shows none of their values (the ``Authorization`` one holds the token).
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: Optional[bytes]
    timeout: Any
    preload: bool
    replayable: Optional[bool]
    operation: Optional[str] = None

    def __repr__(self) -> str:
        size = "no body" if self.body is None else f"{len(self.body)} bytes"
        fields = ", ".join(self.headers)
        name = f"{self.operation}: " if self.operation else ""
        return f"<PreparedRequest {name}{self.method} {self.url} [{fields}] {size}>"
