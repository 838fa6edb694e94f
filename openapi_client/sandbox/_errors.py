"""The sandbox's error answers.

The SMS Works answers errors with ``ExtendedErrorModel`` (``message``, ``errorCode``, ``status``,
``permanent``) and, for unknown ids, ``ErrorModel`` (``message`` only). It publishes no list of
``errorCode`` values, so the codes below are the sandbox's own, one per kind of mistake, stable so
that tests may match on them. Do not expect the live service to use the same numbers.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple

__all__ = ["ERROR_CODES", "SandboxError", "error_body"]

#: errorCode -> (HTTP status, ``status`` text) for every error the sandbox answers.
ERROR_CODES: Mapping[int, Tuple[int, str]] = {
    1000: (400, "INVALID_JSON"),  # body is not UTF-8 JSON, or Content-Type is not JSON
    1001: (400, "INVALID_BODY"),  # body is JSON of the wrong shape (not an object / array)
    1002: (400, "MISSING_FIELD"),  # a required field is absent, null or empty
    1003: (400, "INVALID_TYPE"),  # a field has the wrong JSON type
    1010: (400, "INVALID_SENDER"),
    1011: (400, "INVALID_DESTINATION"),
    1012: (400, "INVALID_CONTENT"),
    1013: (400, "INVALID_TAG"),
    1014: (400, "INVALID_VALIDITY"),
    1015: (400, "INVALID_TTL"),
    1016: (400, "INVALID_SCHEDULE"),
    1017: (400, "INVALID_URL"),
    1018: (400, "INVALID_METADATA"),
    1019: (400, "INVALID_QUERY"),  # a search filter of the wrong type or out of range
    1020: (400, "EMPTY_BATCH"),
    1021: (400, "BATCH_TOO_LARGE"),
    1022: (400, "INVALID_OTP"),  # an OTP field out of range (length, validity, template, ...)
    1030: (402, "INSUFFICIENT_CREDITS"),
    1040: (401, "UNAUTHORIZED"),
    1050: (400, "ALREADY_CANCELLED"),
    1051: (400, "NOT_SCHEDULED"),
    1052: (404, "BATCH_NOT_FOUND"),  # cancel of an unknown batch
    1053: (404, "NOT_FOUND"),  # a path the API does not have
    1054: (405, "METHOD_NOT_ALLOWED"),  # a method the path does not serve
    1055: (400, "MESSAGE_SCHEDULED"),  # delete of a message still waiting: cancel it instead
    1056: (404, "MESSAGE_NOT_FOUND"),  # cancel of an unknown scheduled message
    1060: (413, "BODY_TOO_LARGE"),
    1090: (400, "PASSCODE_USED"),  # the passcode was verified already
    1091: (400, "PASSCODE_BLOCKED"),  # too many wrong passcodes while it was waiting
    1070: (503, "SERVICE_UNAVAILABLE"),  # only ever answered by an injected fault
    1080: (500, "INTERNAL_ERROR"),  # a bug in the sandbox itself
}


def error_body(code: int, message: str, permanent: bool = True) -> Dict[str, Any]:
    """An ``ExtendedErrorModel`` body for ``code``."""
    return {
        "message": message,
        "errorCode": code,
        "status": ERROR_CODES[code][1],
        "permanent": permanent,
    }


class SandboxError(Exception):
    """Raised inside the sandbox to answer a request with an error.

    ``body`` is what goes on the wire; ``status`` the HTTP status.
    """

    def __init__(
        self,
        status: int,
        body: Dict[str, Any],
        headers: Optional[Dict[str, str]] = None,
    ) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body
        self.headers = headers or {}

    @classmethod
    def extended(cls, code: int, message: str, permanent: bool = True) -> SandboxError:
        """An ``ExtendedErrorModel`` answer with the status that belongs to ``code``."""
        return cls(ERROR_CODES[code][0], error_body(code, message, permanent))

    @classmethod
    def not_found(cls, message: str) -> SandboxError:
        """A 404 with an ``ErrorModel`` body, as the API documents for unknown ids."""
        return cls(404, {"message": message})
