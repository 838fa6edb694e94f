"""One example call per operation of the registry, the table every per-operation test reads.

Each ``Example`` is a valid call (its keyword arguments), the exact request it must put on the
wire (path below the host, body bytes), and a canned success answer (status, body) with the
type the method must return for it. ``test_registry.py`` fails when an operation of
``openapi_client._registry.OPERATIONS`` has no example here.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Optional

import openapi_client as oc

SCHEDULE = datetime(2030, 12, 1, 9, 0, tzinfo=timezone.utc)
SCHEDULE_TEXT = b'"schedule":"2030-12-01T09:00:00+00:00"'

BATCH = {"sender": "Acme", "destinations": ["447700900001", "447700900002"], "content": "Hi"}
BATCH_BYTES = b'{"sender":"Acme","destinations":["447700900001","447700900002"],"content":"Hi"}'
MESSAGE = {"sender": "Acme", "destination": "447700900001", "content": "Hi"}
MESSAGE_BYTES = b'{"sender":"Acme","destination":"447700900001","content":"Hi"}'
RECORD = {
    "messageid": 5620320,
    "batchid": 2586749,
    "destination": 447700900001,
    "status": "DELIVERED",
    "created": "Wed Jul 19 2017 20:53:46 GMT+0100 (BST)",
    "extra": {"kept": True},
}
CREATED = b'{"batchid": "2586749", "status": "SCHEDULED"}'
LISTED = json.dumps([RECORD]).encode()
SENT = b'{"messageid": "5620320", "status": "SENT", "credits": 41, "creditsUsed": 1}'
PASSCODE = (
    b'{"destination": "447700900001", "status": "VERIFIED", "passcode": "123456", '
    b'"validity": 300, "metadata": {"order": "42"}}'
)


@dataclass(frozen=True)
class Example:
    """A valid call of one operation and what it must give."""

    kwargs: Dict[str, Any]
    path: str
    body: Optional[bytes]
    status: int
    answer: bytes
    result: type

    def arguments(self) -> Dict[str, Any]:
        """Fresh keyword arguments (a test may not change another test's)."""
        return copy.deepcopy(self.kwargs)

    @property
    def argument(self) -> Any:
        """The call's one argument, for tests that pass it positionally (``None``: none)."""
        values = list(self.kwargs.values())
        return copy.deepcopy(values[0]) if values else None


EXAMPLES: Dict[str, Example] = {
    # -- BatchMessagesApi
    "batch_send_post": Example(
        {"sms_message": BATCH}, "/batch/send", BATCH_BYTES, 201, CREATED, oc.BatchMessageResponse
    ),
    "batch_any_post": Example(
        {
            "messages": [
                {"sender": "Acme", "destination": "447700900001", "content": "Hi A"},
                oc.Message(
                    sender="Acme",
                    destination="447700900002",
                    content="Hi B",
                    metadata=[oc.MetaData(key="order", value="42")],
                ),
            ]
        },
        "/batch/any",
        b'[{"sender":"Acme","destination":"447700900001","content":"Hi A"},'
        b'{"sender":"Acme","destination":"447700900002","content":"Hi B",'
        b'"metadata":[{"key":"order","value":"42"}]}]',
        201,
        CREATED,
        oc.BatchMessageResponse,
    ),
    "batch_schedule_post": Example(
        {"sms_message": {**BATCH, "schedule": SCHEDULE}},
        "/batch/schedule",
        BATCH_BYTES[:-1] + b"," + SCHEDULE_TEXT + b"}",
        201,
        b'{"batchid": "3200562", "status": "SCHEDULED"}',
        oc.ScheduledBatchResponse,
    ),
    "batch_batchid_get": Example({"batchid": "2586749"}, "/batch/2586749", None, 200, LISTED, list),
    "batches_schedule_batchid_delete": Example(
        {"batchid": "2586749"},
        "/batches/schedule/2586749",
        None,
        200,
        b'{"messageid": "2586749", "status": "CANCELLED"}',
        oc.CancelledMessageResponse,
    ),
    # -- MessagesApi
    "message_send_post": Example(
        {"sms_message": MESSAGE}, "/message/send", MESSAGE_BYTES, 201, SENT, oc.SendMessageResponse
    ),
    "send_flash_message": Example(
        {"sms_message": MESSAGE}, "/message/flash", MESSAGE_BYTES, 201, SENT, oc.SendMessageResponse
    ),
    "message_schedule_post": Example(
        {"sms_message": {**MESSAGE, "schedule": SCHEDULE}},
        "/message/schedule",
        MESSAGE_BYTES[:-1] + b"," + SCHEDULE_TEXT + b"}",
        200,
        b'[{"messageid": "5620321", "status": "SCHEDULED"}]',
        list,
    ),
    "messages_post": Example(
        {"query": {"status": "DELIVERED", "limit": 10}},
        "/messages",
        b'{"status":"DELIVERED","limit":10}',
        200,
        LISTED,
        list,
    ),
    "messages_inbox_post": Example(
        {"query": oc.Query(unread=True)}, "/messages/inbox", b'{"unread":true}', 200, LISTED, list
    ),
    "messages_failed_post": Example(
        {"query": {"skip": 0, "limit": 5}},
        "/messages/failed",
        b'{"limit":5,"skip":0}',
        200,
        LISTED,
        list,
    ),
    "messages_schedule_get": Example(
        {},
        "/messages/schedule",
        None,
        200,
        b'[{"status": "SCHEDULED", "id": "77", "batch": false, "message": {"sender": "Acme", '
        b'"destination": 447700900001, "content": "Hi", "schedule": "2030-12-01T09:00:00Z"}}]',
        list,
    ),
    "messages_messageid_get": Example(
        {"messageid": "5620320"},
        "/messages/5620320",
        None,
        200,
        json.dumps(RECORD).encode(),
        oc.MessageResponse,
    ),
    "messages_messageid_delete": Example(
        {"messageid": "5620320"},
        "/messages/5620320",
        None,
        200,
        b'{"messageid": "5620320", "status": "DELETED"}',
        oc.DeletedMessageResponse,
    ),
    "messages_schedule_messageid_delete": Example(
        {"messageid": "5620321"},
        "/messages/schedule/5620321",
        None,
        200,
        b'{"messageid": "5620321", "status": "CANCELLED"}',
        oc.CancelledMessageResponse,
    ),
    # -- OneTimePasswordApi
    "otp_send_post": Example(
        {
            "otp": {
                "sender": "Acme",
                "destination": "447700900001",
                "template": "Your code: {{passcode}}",
                "validity": 300,
            }
        },
        "/otp/send",
        b'{"sender":"Acme","destination":"447700900001","template":"Your code: {{passcode}}",'
        b'"validity":300}',
        201,
        b'{"messageid": "9001", "status": "SENT", "credits": 40, "creditsUsed": 1, '
        b'"messageparts": 1}',
        oc.OTPResponse,
    ),
    "otp_verify_post": Example(
        {"passcode": {"passcode": "123456"}},
        "/otp/verify",
        b'{"passcode":"123456"}',
        200,
        PASSCODE,
        oc.OTPVerifyResponse,
    ),
    "otp_messageid_get": Example(
        {"messageid": "9001"}, "/otp/9001", None, 200, PASSCODE, oc.OTPVerifyResponse
    ),
    # -- CreditsApi
    "credits_balance_get": Example(
        {}, "/credits/balance", None, 200, b'{"credits": 41.5}', oc.CreditsResponse
    ),
    # -- UtilsApi
    "utils_test_get": Example(
        {},
        "/utils/test",
        None,
        200,
        b'{"message": "6b1e0c52-7f1a-4d35-9a4e-2f8c3d9b7a10"}',
        oc.TestResponse,
    ),
    "utils_errors_errorcode_get": Example(
        {"errorcode": "1030"},
        "/utils/errors/1030",
        None,
        200,
        b'{"message": "Insufficient credits", "errorCode": 1030, "status": "PAYMENT_REQUIRED", '
        b'"permanent": false}',
        oc.ExtendedErrorModel,
    ),
}
