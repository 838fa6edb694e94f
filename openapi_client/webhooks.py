"""Reading the delivery reports The SMS Works POSTs to your ``deliveryreporturl``.

The SMS Works sends a report to the message's ``deliveryreporturl`` (or the account's global one)
when a message is delivered or fails. **The report's fields are not documented** anywhere public.
They are most likely shaped like the message records of ``GET /batch/{batchid}`` (``messageid``,
``batchid``, ``status``, ``destination``, ``failurereason``, ``tag``, ...), and the built-in
sandbox sends exactly that, but this is an inference. So the parser is lenient:

* every field is optional and unknown fields are kept (``report.model_extra``);
* ids and ``destination`` may be numbers or strings, and always come back as strings;
* field names are matched without regard to case (``messageId``, and ``failureReason`` as the
  API's first version spelled it, both work);
* only a body that cannot be a report at all is refused: not JSON, not a JSON object, or an
  object with neither ``messageid`` nor ``status``.

No signature or shared secret is documented for these callbacks: put an unguessable token in the
URL's path or query and check it before you trust a report.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Union

from pydantic import ValidationError

from .exceptions import ApiValueError
from .models.message_response import MessageResponse

__all__ = ["parse_delivery_report", "parse_delivery_reports"]

Body = Union[bytes, bytearray, str, Mapping[str, Any]]

_FIELDS = {name.lower(): name for name in MessageResponse.model_fields}


def _decode(body: Union[Body, List[Any]]) -> Any:
    if isinstance(body, (bytes, bytearray)):
        try:
            body = bytes(body).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ApiValueError(f"a delivery report must be UTF-8 JSON: {error}") from None
    if isinstance(body, str):
        if not body.strip():
            raise ApiValueError("a delivery report must be a JSON object; the body is empty")
        try:
            return json.loads(body)
        except ValueError as error:
            raise ApiValueError(f"a delivery report must be JSON: {error}") from None
    return body


def _report(obj: Any, where: str = "") -> MessageResponse:
    if not isinstance(obj, Mapping):
        raise ApiValueError(
            f"{where}a delivery report must be a JSON object, not {type(obj).__name__}"
        )
    fields: Dict[str, Any] = {}
    for key, value in obj.items():
        name = _FIELDS.get(str(key).lower(), str(key)) if isinstance(key, str) else str(key)
        fields.setdefault(name, value)
    if fields.get("messageid") in (None, "") and fields.get("status") in (None, ""):
        raise ApiValueError(
            f"{where}not a delivery report: it has neither 'messageid' nor 'status' "
            f"(keys: {', '.join(sorted(fields)) or 'none'})"
        )
    reason = fields.get("failurereason")
    if isinstance(reason, str):  # a bare text instead of {code, details, permanent}
        fields["failurereason"] = {"details": reason}
    try:
        return MessageResponse.model_validate(fields)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()
        )
        raise ApiValueError(f"{where}unreadable delivery report: {problems}") from None


def parse_delivery_report(body: Body) -> MessageResponse:
    """Read one delivery report from the body of the request The SMS Works sent you.

    Args:
        body: the raw request body (``bytes`` or ``str``) or JSON already decoded into a mapping
            (for example ``request.get_json()`` in Flask).

    Returns:
        The report as a lenient :class:`~openapi_client.models.MessageResponse`: ``messageid``,
        ``batchid``, ``status``, ``destination`` (a string), ``failurereason``, ``tag``... as far
        as the report carries them, plus any unknown fields in ``model_extra``.

    Raises:
        ApiValueError: the body is not a delivery report (not JSON, not an object, or neither
            ``messageid`` nor ``status`` is present).
    """
    return _report(_decode(body))


def parse_delivery_reports(body: Union[Body, List[Any]]) -> List[MessageResponse]:
    """Read a body holding one report (an object) or several (an array of objects).

    The payload is undocumented; this accepts both shapes so a receiver keeps working whichever
    one arrives.

    Raises:
        ApiValueError: the body, or one of the array's items, is not a delivery report; the
            message names the item (``[3]``).
    """
    decoded = _decode(body)
    if isinstance(decoded, list):
        return [_report(item, f"[{index}]: ") for index, item in enumerate(decoded)]
    return [_report(decoded)]
