"""Inputs and canned payloads shared by the server and the three client implementations.

Standard library only: the runner imports this module in every measured process, so anything it
pulls in would be charged to every implementation alike (and would blur the ``rss`` workload).
"""

import json
from typing import Any, Dict, List, Tuple

SENDER = "Acme"
CONTENT = "Your parcel arrives tomorrow between 9am and 1pm. Reply STOP to opt out."
AUTH_HEADER = "JWT x"
# The batch id the server answers with one record; any other id gets the full batch.
SMALL_BATCH_ID = "1"
BIG_BATCH_ID = "2586749"

# Dates as the API writes them: JavaScript's Date.toString(), not ISO 8601.
_CREATED = "Wed Jul 19 2017 20:53:46 GMT+0100 (BST)"
_MODIFIED = "Wed Jul 19 2017 20:53:49 GMT+0100 (BST)"


def destination(i: int) -> str:
    """The i-th UK mobile number in the 07700 900xxx drama range, in international form."""
    return f"44770090{i % 10000:04d}"


def destinations(size: int) -> List[str]:
    return [destination(i) for i in range(size)]


def distinct_destinations(size: int) -> List[str]:
    """``size`` different UK mobile numbers, for sends too large for the drama range.

    A chunked send refuses duplicate recipients, and the drama range holds only 1,000 numbers.
    The benchmark server never delivers anything, so these reach nobody.
    """
    return [f"4477{i:08d}" for i in range(size)]


def any_rows(size: int) -> List[Tuple[str, str, str]]:
    """Per-message input of the ``any5000`` workload: (destination, content, metadata value)."""
    return [
        (destination(i), f"Hello customer {i}, your code is {(i * 7919) % 100000:05d}.", str(i))
        for i in range(size)
    ]


def message_record(i: int, batchid: str) -> Dict[str, Any]:
    """One ``MessageResponse`` as GET /batch/{id} returns it.

    ``destination`` is a JSON number, dates are JavaScript-style, ``schedule`` is empty for an
    immediate send, and one message in ten failed and carries a ``failurereason``.
    """
    record: Dict[str, Any] = {
        "id": str(900000000 + i),
        "messageid": str(900000000 + i),
        "batchid": batchid,
        "customerid": "0fca8c3c-6cbc-11e7-8154-a6006ad3dba0",
        "sender": SENDER,
        "destination": int(destination(i)),
        "content": CONTENT,
        "status": "DELIVERED",
        "tag": "parcel-eta",
        "schedule": "",
        "created": _CREATED,
        "modified": _MODIFIED,
        "deliveryreporturl": "https://example.com/dr",
    }
    if i % 10 == 9:
        record["status"] = "UNDELIVERABLE"
        record["failurereason"] = {"code": 34, "details": "Handset error", "permanent": False}
    return record


def batch_records_json(size: int, batchid: str = BIG_BATCH_ID) -> bytes:
    return json.dumps([message_record(i, batchid) for i in range(size)]).encode()


SEND_RESPONSE = b'{"batchid":"1","status":"SCHEDULED"}'
