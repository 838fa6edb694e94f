"""The sandbox over raw HTTP: every endpoint, every limit, credits, schedules and outcomes."""

from __future__ import annotations

import http.client
import json
import logging
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import pytest

from openapi_client import _limits
from openapi_client.sandbox import ERROR_CODES, OUTCOMES, TEST_NUMBER_RANGE, Outcome, Sandbox
from openapi_client.sandbox._clock import format_js_date, parse_schedule

UK = "447700900001"
UK2 = "447700900002"
ABROAD = "33612345678"
JS_DATE = r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4} \([A-Z]+\)$"
# 2026-06-01T12:00:00Z: British Summer Time, far enough from any real "now" to be stable.
JUNE = datetime(2026, 6, 1, 12, tzinfo=timezone.utc).timestamp()


class FakeClock:
    """A clock the test moves by hand, so nothing sleeps."""

    def __init__(self, start: float = JUNE) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class Client:
    """A raw keep-alive HTTP/1.1 client for one sandbox."""

    def __init__(self, sandbox: Sandbox, token: Optional[str] = None) -> None:
        parts = urlsplit(sandbox.url)
        assert parts.hostname is not None
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        self.token = sandbox.token if token is None else token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: Optional[bytes] = None,
        headers: Optional[Dict[str, str]] = None,
        auth: Optional[str] = "default",
    ) -> Tuple[int, Any]:
        sent: Dict[str, str] = {"Content-Type": "application/json"}
        if auth == "default":
            sent["Authorization"] = f"JWT {self.token}"
        elif auth is not None:
            sent["Authorization"] = auth
        sent.update(headers or {})
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        self.connection.request(method, "/v1" + path, body=data, headers=sent)
        response = self.connection.getresponse()
        text = response.read()
        assert response.getheader("Content-Type", "").startswith("application/json")
        return response.status, json.loads(text)

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Iterator[Sandbox]:
    with Sandbox(credits=50, clock=clock) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Client]:
    api = Client(sandbox)
    yield api
    api.close()


def batch(**fields: Any) -> Dict[str, Any]:
    body: Dict[str, Any] = {"sender": "Acme", "destinations": [UK], "content": "Hello"}
    body.update(fields)
    return {key: value for key, value in body.items() if value is not None}


def message(**fields: Any) -> Dict[str, Any]:
    body: Dict[str, Any] = {"sender": "Acme", "destination": UK, "content": "Hello"}
    body.update(fields)
    return {key: value for key, value in body.items() if value is not None}


def assert_extended_error(body: Any, code: int) -> None:
    assert set(body) == {"message", "errorCode", "status", "permanent"}
    assert body["errorCode"] == code
    assert body["status"] == ERROR_CODES[code][1]
    assert isinstance(body["message"], str)
    assert body["message"]


# -- the simple endpoints ----------------------------------------------------------------------


def test_utils_test_returns_the_customer_id(sandbox: Sandbox, client: Client) -> None:
    status, body = client.call("GET", "/utils/test")
    assert status == 200
    assert body == {"message": sandbox.customer_id}


def test_balance_is_a_float(client: Client) -> None:
    status, body = client.call("GET", "/credits/balance")
    assert status == 200
    assert body == {"credits": 50.0}
    assert isinstance(body["credits"], float)


def test_url_token_and_repr(sandbox: Sandbox) -> None:
    assert sandbox.url.startswith("http://127.0.0.1:")
    assert sandbox.url.endswith("/v1")
    assert sandbox.token.count(".") == 2  # JWT-shaped
    assert sandbox.token not in repr(sandbox)


def test_a_token_given_with_its_jwt_prefix_is_stored_bare() -> None:
    with Sandbox(token="JWT secret-value") as running:
        assert running.token == "secret-value"
        api = Client(running)
        try:
            assert api.call("GET", "/utils/test")[0] == 200
        finally:
            api.close()


def test_not_running_has_no_url() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _ = Sandbox().url


# -- auth --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("auth", "what"),
    [
        (None, "missing"),
        ("JWT wrong-token", "invalid"),
        ("Bearer {token}", "invalid"),
        ("{token}", "invalid"),
        ("jwt {token}", "invalid"),
    ],
)
def test_401_without_a_valid_jwt_header(
    sandbox: Sandbox, client: Client, auth: Optional[str], what: str
) -> None:
    header = None if auth is None else auth.format(token=sandbox.token)
    for method, path in [("GET", "/utils/test"), ("POST", "/batch/send"), ("GET", "/batch/1")]:
        status, body = client.call(method, path, batch(), auth=header)
        assert status == 401
        assert_extended_error(body, 1040)
        assert what in body["message"].lower()
        assert sandbox.token not in json.dumps(body)
    assert sandbox.credits == 50
    assert sandbox.batches == {}


# -- sending -----------------------------------------------------------------------------------


def test_batch_send_answers_201_scheduled_and_charges(sandbox: Sandbox, client: Client) -> None:
    status, body = client.call("POST", "/batch/send", batch(destinations=[UK, UK2, ABROAD]))
    assert status == 201
    assert set(body) == {"batchid", "status"}
    assert body["batchid"].isdigit()
    assert body["status"] == "SCHEDULED"  # as in the API's own example, even when sent at once
    assert sandbox.credits == 50 - 1 - 1 - 2  # international numbers cost double
    assert sandbox.batches[body["batchid"]]["status"] == "SENT"


def test_batch_ids_and_message_ids_are_unique_digit_strings(client: Client) -> None:
    ids = set()
    message_ids = set()
    for _ in range(3):
        batchid = client.call("POST", "/batch/send", batch(destinations=[UK, UK2]))[1]["batchid"]
        ids.add(batchid)
        status, records = client.call("GET", f"/batch/{batchid}")
        assert status == 200
        message_ids.update(record["messageid"] for record in records)
    assert len(ids) == 3
    assert len(message_ids) == 6
    assert all(value.isdigit() for value in ids | message_ids)


def test_get_batch_records_look_like_the_real_ones(sandbox: Sandbox, client: Client) -> None:
    _, sent = client.call(
        "POST",
        "/batch/send",
        batch(tag="summer", deliveryreporturl="https://example.com/dr/abc", validity=60),
    )
    status, records = client.call("GET", f"/batch/{sent['batchid']}")
    assert status == 200
    assert isinstance(records, list)
    assert len(records) == 1
    record = records[0]
    assert record["batchid"] == sent["batchid"]
    assert record["customerid"] == sandbox.customer_id
    assert record["destination"] == int(UK)  # a JSON number, as the API types it
    assert isinstance(record["messageid"], str)
    assert record["id"] == record["messageid"]
    assert record["identifier"].isdigit()
    assert record["sender"] == "Acme"
    assert record["content"] == "Hello"
    assert record["status"] == "DELIVERED"
    assert record["tag"] == "summer"
    assert record["schedule"] == ""
    assert record["deliveryreporturl"] == "https://example.com/dr/abc"
    assert record["credits"] == 1.0
    assert "failurereason" not in record
    for field in ("created", "modified"):
        assert record[field] == "Mon Jun 01 2026 13:00:00 GMT+0100 (BST)"


def test_tag_is_empty_when_not_given(client: Client) -> None:
    # Upstream's MessageResponse requires tag (a string): a record never leaves it out.
    _, sent = client.call("POST", "/batch/send", batch())
    _, records = client.call("GET", f"/batch/{sent['batchid']}")
    assert records[0]["tag"] == ""
    assert "deliveryreporturl" not in records[0]


def test_batch_any_takes_an_array_and_keeps_metadata(sandbox: Sandbox, client: Client) -> None:
    messages = [
        message(content="Hi Ann", metadata=[{"key": "order", "value": "17"}]),
        message(destination=ABROAD, content="Bonjour", sender="447700900555", tag="fr"),
        message(destination=UK2, content="x" * 161),  # two parts
    ]
    status, body = client.call("POST", "/batch/any", messages)
    assert status == 201
    assert body["status"] == "SCHEDULED"
    assert sandbox.credits == 50 - 1 - 2 - 2
    _, records = client.call("GET", f"/batch/{body['batchid']}")
    assert [r["content"] for r in records] == ["Hi Ann", "Bonjour", "x" * 161]
    assert records[0]["metadata"] == [{"key": "order", "value": "17"}]
    assert records[1]["sender"] == "447700900555"
    assert records[1]["tag"] == "fr"
    assert [r["credits"] for r in records] == [1.0, 2.0, 2.0]
    assert sandbox.batches[body["batchid"]]["kind"] == "any"


def test_batch_any_refuses_an_object(client: Client) -> None:
    status, body = client.call("POST", "/batch/any", {"messages": [message()]})
    assert status == 400
    assert_extended_error(body, 1001)


def test_batch_any_names_the_bad_message(client: Client) -> None:
    status, body = client.call("POST", "/batch/any", [message(), message(content="")])
    assert status == 400
    assert_extended_error(body, 1002)
    assert "[1].content" in body["message"]


def test_unicode_content_is_priced_in_ucs2_parts(sandbox: Sandbox, client: Client) -> None:
    status, _ = client.call("POST", "/batch/send", batch(content="😀" * 36))  # 72 units: 2 parts
    assert status == 201
    assert sandbox.credits == 48


# -- validation: one 400 per limit -------------------------------------------------------------

SEND_REFUSALS = [
    pytest.param(batch(sender=None), 1002, "sender", id="no-sender"),
    pytest.param(batch(sender=""), 1002, "sender", id="empty-sender"),
    pytest.param(batch(sender="A" * 12), 1010, "sender", id="sender-12-alnum"),
    pytest.param(batch(sender="1" * 16), 1010, "sender", id="sender-16-digits"),
    pytest.param(batch(sender="Acme Ltd"), 1010, "sender", id="sender-space"),
    pytest.param(batch(sender="Acme!"), 1010, "sender", id="sender-symbol"),
    pytest.param(batch(sender=123), 1003, "sender", id="sender-number"),
    pytest.param(batch(destinations=None), 1002, "destinations", id="no-destinations"),
    pytest.param(batch(destinations=UK), 1003, "destinations", id="destinations-string"),
    pytest.param(batch(destinations=[]), 1020, "destinations", id="no-recipients"),
    pytest.param(batch(destinations=[UK] * (_limits.MAX_BATCH_SIZE + 1)), 1021, "5000", id="5001"),
    pytest.param(batch(destinations=[447700900001]), 1003, "destinations[0]", id="dest-int"),
    pytest.param(batch(destinations=[UK, "+447700900002"]), 1011, "[1]", id="dest-plus"),
    pytest.param(batch(destinations=["123456"]), 1011, "[0]", id="dest-short"),
    pytest.param(batch(destinations=["1" * 16]), 1011, "[0]", id="dest-long"),
    pytest.param(batch(content=None), 1002, "content", id="no-content"),
    pytest.param(batch(content=""), 1002, "content", id="empty-content"),
    pytest.param(batch(content="x" * 1281), 1012, "1280", id="content-1281"),
    pytest.param(batch(content=["Hi"]), 1003, "content", id="content-list"),
    pytest.param(batch(tag="t" * 281), 1013, "280", id="tag-281"),
    pytest.param(batch(validity=0), 1014, "validity", id="validity-0"),
    pytest.param(batch(validity=2881), 1014, "validity", id="validity-2881"),
    pytest.param(batch(validity="60"), 1003, "validity", id="validity-string"),
    pytest.param(batch(validity=1.5), 1003, "validity", id="validity-fraction"),
    pytest.param(batch(validity=True), 1003, "validity", id="validity-bool"),
    pytest.param(batch(ttl=-1), 1015, "ttl", id="ttl-negative"),
    pytest.param(batch(ai="yes"), 1003, "ai", id="ai-string"),
    pytest.param(batch(deliveryreporturl="ftp://x"), 1017, "deliveryreporturl", id="dr-url"),
]


@pytest.mark.parametrize(("body", "code", "names"), SEND_REFUSALS)
def test_batch_send_refuses_out_of_limit_bodies(
    sandbox: Sandbox, client: Client, body: Dict[str, Any], code: int, names: str
) -> None:
    status, answer = client.call("POST", "/batch/send", body)
    assert status == 400
    assert_extended_error(answer, code)
    assert names in answer["message"]
    assert sandbox.credits == 50
    assert sandbox.batches == {}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(batch(sender="A" * 11), id="sender-11-alnum"),
        pytest.param(batch(sender="1" * 15), id="sender-15-digits"),
        pytest.param(batch(content="x" * 1280), id="content-1280"),
        pytest.param(batch(tag="t" * 280), id="tag-280"),
        pytest.param(batch(validity=1), id="validity-1"),
        pytest.param(batch(validity=2880.0), id="validity-2880-float"),
        pytest.param(batch(ttl=0, ai=False, schedule="ignored by /batch/send"), id="extras"),
        pytest.param(batch(unknown_field=1), id="unknown-field"),
    ],
)
def test_batch_send_accepts_values_at_the_limits(client: Client, body: Dict[str, Any]) -> None:
    status, answer = client.call("POST", "/batch/send", body)
    assert status == 201, answer


def test_5000_recipients_are_accepted(sandbox: Sandbox, client: Client) -> None:
    sandbox.credits = 10_000
    destinations = [f"4477009{n:05d}" for n in range(_limits.MAX_BATCH_SIZE)]
    status, body = client.call("POST", "/batch/send", batch(destinations=destinations))
    assert status == 201
    assert sandbox.batches[body["batchid"]]["messages"] == 5000
    assert len(sandbox.sent_messages) == 5000


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b'{"sender": "Acme"}', "text/plain"),
    ],
)
def test_bodies_that_are_not_json_are_refused(
    sandbox: Sandbox, client: Client, raw: bytes, content_type: str
) -> None:
    status, body = client.call(
        "POST", "/batch/send", raw=raw, headers={"Content-Type": content_type}
    )
    assert status == 400
    assert_extended_error(body, 1000)
    assert sandbox.batches == {}


def test_a_chunked_body_is_read(sandbox: Sandbox) -> None:
    parts = urlsplit(sandbox.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        body = json.dumps(batch()).encode()
        connection.request(
            "POST",
            "/v1/batch/send",
            body=iter([body[:10], body[10:]]),
            headers={"Authorization": f"JWT {sandbox.token}", "Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert response.status == 201
        assert json.loads(response.read())["status"] == "SCHEDULED"
    finally:
        connection.close()


# -- credits -----------------------------------------------------------------------------------


def test_402_sends_nothing_and_charges_nothing(sandbox: Sandbox, client: Client) -> None:
    sandbox.credits = 3
    status, body = client.call("POST", "/batch/send", batch(destinations=[UK, UK2, UK, UK2]))
    assert status == 402
    assert_extended_error(body, 1030)
    assert "4" in body["message"]
    assert sandbox.credits == 3
    assert sandbox.batches == {}
    assert sandbox.sent_messages == []
    status, body = client.call("POST", "/batch/any", [message(destination=ABROAD)] * 2)
    assert status == 402
    assert sandbox.credits == 3
    # exactly enough is enough
    assert client.call("POST", "/batch/send", batch(destinations=[UK, UK2, UK]))[0] == 201
    assert sandbox.credits == 0


def test_overdraft_lets_the_balance_go_negative(clock: FakeClock) -> None:
    with Sandbox(credits=1, overdraft=5, clock=clock) as running:
        api = Client(running)
        try:
            assert api.call("POST", "/batch/send", batch(destinations=[UK] * 4))[0] == 201
            assert running.credits == -3
            assert api.call("GET", "/credits/balance")[1] == {"credits": -3.0}
            assert api.call("POST", "/batch/send", batch(destinations=[UK] * 3))[0] == 402
        finally:
            api.close()


# -- unknown things ----------------------------------------------------------------------------


def test_unknown_batch_is_a_404_error_model(client: Client) -> None:
    status, body = client.call("GET", "/batch/999")
    assert status == 404
    assert set(body) == {"message"}
    # The cancel operation declares no 404, only its default ExtendedErrorModel.
    status, body = client.call("DELETE", "/batches/schedule/999")
    assert status == 404
    assert_extended_error(body, 1052)


def test_unknown_path_and_wrong_method(client: Client) -> None:
    assert client.call("GET", "/nothing/here")[0] == 404
    status, body = client.call("GET", "/batch/send/extra")
    assert status == 404
    assert "message" in body
    assert client.call("PUT", "/credits/balance")[0] == 405


# -- scheduling --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01T09:00:00+00:00", datetime(2026, 12, 1, 9, tzinfo=timezone.utc)),
        ("2026-12-01T09:00:00Z", datetime(2026, 12, 1, 9, tzinfo=timezone.utc)),
        ("2026-12-01T09:00:00.000Z", datetime(2026, 12, 1, 9, tzinfo=timezone.utc)),
        ("2026-07-19T20:53:46+01:00", datetime(2026, 7, 19, 19, 53, 46, tzinfo=timezone.utc)),
        ("2026-07-19T20:53:46-0500", datetime(2026, 7, 20, 1, 53, 46, tzinfo=timezone.utc)),
        # GMT+0100 is one hour AHEAD of UTC
        (
            "Sun Jul 19 2026 20:53:46 GMT+0100 (BST)",
            datetime(2026, 7, 19, 19, 53, 46, tzinfo=timezone.utc),
        ),
        (
            "Tue Dec 01 2026 09:00:00 GMT+0000 (Greenwich Mean Time)",
            datetime(2026, 12, 1, 9, tzinfo=timezone.utc),
        ),
        ("Dec 01 2026 09:00:00 GMT-0130", datetime(2026, 12, 1, 10, 30, tzinfo=timezone.utc)),
    ],
)
def test_schedule_formats(sandbox: Sandbox, client: Client, text: str, expected: datetime) -> None:
    status, body = client.call("POST", "/batch/schedule", batch(schedule=text))
    assert status == 201, body
    assert body["status"] == "SCHEDULED"
    assert sandbox.batches[body["batchid"]]["schedule"] == expected


@pytest.mark.parametrize(
    ("schedule", "code"),
    [
        (None, 1002),
        ("", 1002),
        ("tomorrow at nine", 1016),
        ("2026-12-01T09:00:00", 1016),  # no offset: ambiguous
        ("2026-12-01", 1016),
        ("2026-02-30T09:00:00Z", 1016),
        ("Wed Foo 19 2026 20:53:46 GMT+0100", 1016),
        ("2020-01-01T00:00:00Z", 1016),  # in the past
        (1764579600, 1003),
    ],
)
def test_schedule_refusals(sandbox: Sandbox, client: Client, schedule: Any, code: int) -> None:
    status, body = client.call("POST", "/batch/schedule", batch(schedule=schedule))
    assert status == 400
    assert_extended_error(body, code)
    assert "schedule" in body["message"]
    assert sandbox.credits == 50


def test_schedule_reserves_credits_then_sends_when_due(sandbox: Sandbox, client: Client) -> None:
    status, body = client.call(
        "POST",
        "/batch/schedule",
        batch(destinations=[UK, UK2], schedule="2026-06-01T13:00:00Z"),
    )
    assert status == 201
    batchid = body["batchid"]
    assert sandbox.credits == 48  # reserved at scheduling time
    _, records = client.call("GET", f"/batch/{batchid}")
    assert {r["status"] for r in records} == {"SCHEDULED"}
    assert records[0]["schedule"] == "Mon Jun 01 2026 14:00:00 GMT+0100 (BST)"
    assert sandbox.sent_messages == []

    sandbox.advance(3599)
    assert client.call("GET", f"/batch/{batchid}")[1][0]["status"] == "SCHEDULED"
    sandbox.advance(1)
    _, records = client.call("GET", f"/batch/{batchid}")
    assert {r["status"] for r in records} == {"DELIVERED"}
    assert records[0]["modified"] == "Mon Jun 01 2026 14:00:00 GMT+0100 (BST)"
    assert sandbox.batches[batchid]["status"] == "PROCESSED"
    assert len(sandbox.sent_messages) == 2
    assert sandbox.credits == 48


def test_402_at_scheduling_time(sandbox: Sandbox, client: Client) -> None:
    sandbox.credits = 1
    status, body = client.call(
        "POST", "/batch/schedule", batch(destinations=[UK, UK2], schedule="2026-06-02T00:00:00Z")
    )
    assert status == 402
    assert_extended_error(body, 1030)
    assert sandbox.batches == {}


def test_schedule_then_cancel_refunds(sandbox: Sandbox, client: Client) -> None:
    _, body = client.call(
        "POST", "/batch/schedule", batch(destinations=[UK, ABROAD], schedule="2026-06-02T00:00Z")
    )
    batchid = body["batchid"]
    assert sandbox.credits == 47
    status, cancelled = client.call("DELETE", f"/batches/schedule/{batchid}")
    assert status == 200
    # The API reuses its single-message schema: the batch id comes back under "messageid".
    assert cancelled == {"messageid": batchid, "status": "CANCELLED"}
    assert sandbox.credits == 50
    _, records = client.call("GET", f"/batch/{batchid}")
    assert {r["status"] for r in records} == {"CANCELLED"}
    assert {r["credits"] for r in records} == {0.0}

    sandbox.advance(2 * 86400)  # the slot passes: nothing is sent
    assert {r["status"] for r in client.call("GET", f"/batch/{batchid}")[1]} == {"CANCELLED"}
    assert sandbox.sent_messages == []
    assert sandbox.credits == 50

    status, again = client.call("DELETE", f"/batches/schedule/{batchid}")
    assert status == 400
    assert_extended_error(again, 1050)
    assert sandbox.credits == 50


def test_cancelling_a_sent_batch_is_refused(sandbox: Sandbox, client: Client) -> None:
    sent = client.call("POST", "/batch/send", batch())[1]["batchid"]
    status, body = client.call("DELETE", f"/batches/schedule/{sent}")
    assert status == 400
    assert_extended_error(body, 1051)

    due = client.call("POST", "/batch/schedule", batch(schedule="2026-06-01T12:00:01Z"))[1]
    sandbox.advance(5)
    status, body = client.call("DELETE", f"/batches/schedule/{due['batchid']}")
    assert status == 400
    assert_extended_error(body, 1051)
    assert sandbox.credits == 48


def test_schedule_falls_due_without_any_request() -> None:
    # Real clock: the background thread sends the batch on its own.
    with Sandbox() as running:
        when = datetime.fromtimestamp(running.now().timestamp() + 0.4, tz=timezone.utc)
        api = Client(running)
        try:
            _, body = api.call("POST", "/batch/schedule", batch(schedule=when.isoformat()))
        finally:
            api.close()
        deadline = 50
        while running.batches[body["batchid"]]["status"] == "SCHEDULED" and deadline:
            threading.Event().wait(0.1)
            deadline -= 1
        assert running.batches[body["batchid"]]["status"] == "PROCESSED"


# -- outcomes ----------------------------------------------------------------------------------


def test_outcome_table_is_inside_the_reserved_range() -> None:
    low, high = TEST_NUMBER_RANGE
    assert all(low <= number <= high for number in OUTCOMES)
    assert "447700900001" not in OUTCOMES
    assert "447700900002" not in OUTCOMES
    assert all(isinstance(outcome, Outcome) for outcome in OUTCOMES.values())


@pytest.mark.parametrize("number", sorted(OUTCOMES))
def test_each_test_number_outcome(clock: FakeClock, number: str) -> None:
    outcome = OUTCOMES[number]
    with Sandbox(credits=10, delivery_delay=30, clock=clock) as running:
        api = Client(running)
        try:
            _, body = api.call("POST", "/batch/send", batch(destinations=[number, UK], validity=10))
            batchid = body["batchid"]
            first, control = api.call("GET", f"/batch/{batchid}")[1]
            if outcome.when == "at-send":
                assert first["status"] == outcome.status
                assert running.credits == 9  # never charged
            else:
                assert first["status"] == "SENT"
                assert running.credits == 8
            assert control["status"] == "SENT"
            running.advance(30)
            first, control = api.call("GET", f"/batch/{batchid}")[1]
            assert control["status"] == "DELIVERED"
            if outcome.when == "validity":
                assert first["status"] == "SENT"
                running.advance(10 * 60)
                first = api.call("GET", f"/batch/{batchid}")[1][0]
            assert first["status"] == outcome.status
            if outcome.code is None:
                assert "failurereason" not in first
            else:
                assert first["failurereason"] == {
                    "code": outcome.code,
                    "details": outcome.details,
                    "permanent": outcome.permanent,
                }
            assert running.credits == (8 if outcome.charged else 9)
            assert first["credits"] == (1.0 if outcome.charged else 0.0)
        finally:
            api.close()


def test_ordinary_numbers_in_the_range_deliver(client: Client) -> None:
    _, body = client.call("POST", "/batch/send", batch(destinations=[UK, UK2, "447700900999"]))
    _, records = client.call("GET", f"/batch/{body['batchid']}")
    assert [r["status"] for r in records] == ["DELIVERED"] * 3


def test_delivery_delay_settles_after_the_delay(clock: FakeClock) -> None:
    with Sandbox(delivery_delay=5, clock=clock) as running:
        api = Client(running)
        try:
            batchid = api.call("POST", "/batch/send", batch())[1]["batchid"]
            assert api.call("GET", f"/batch/{batchid}")[1][0]["status"] == "SENT"
            clock.now += 4.9  # the injected clock moves on its own too
            assert api.call("GET", f"/batch/{batchid}")[1][0]["status"] == "SENT"
            clock.now += 0.1
            assert api.call("GET", f"/batch/{batchid}")[1][0]["status"] == "DELIVERED"
        finally:
            api.close()


# -- connections -------------------------------------------------------------------------------


def test_keep_alive_reuses_one_connection(client: Client) -> None:
    client.call("GET", "/utils/test")
    sock = client.connection.sock
    assert sock is not None
    for _ in range(5):
        assert client.call("GET", "/credits/balance")[0] == 200
        assert client.call("POST", "/batch/send", batch())[0] == 201
        assert client.call("POST", "/batch/send", batch(sender=""))[0] == 400
    assert client.connection.sock is sock


def test_concurrent_clients(sandbox: Sandbox) -> None:
    sandbox.credits = 1000
    results: List[str] = []
    failures: List[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        api = Client(sandbox)
        try:
            for _ in range(10):
                status, body = api.call("POST", "/batch/send", batch(destinations=[UK, UK2]))
                assert status == 201
                with lock:
                    results.append(body["batchid"])
        except BaseException as error:
            with lock:
                failures.append(error)
        finally:
            api.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert len(results) == 80
    assert len(set(results)) == 80
    assert sandbox.credits == 1000 - 160
    assert len(sandbox.sent_messages) == 160
    assert len({m["messageid"] for m in sandbox.sent_messages}) == 160


def test_requests_are_recorded_without_headers(sandbox: Sandbox, client: Client) -> None:
    client.call("GET", "/utils/test")
    client.call("GET", "/utils/test", auth=None)
    assert [tuple(r) for r in sandbox.requests] == [
        ("GET", "/v1/utils/test", 200),
        ("GET", "/v1/utils/test", 401),
    ]
    assert sandbox.token not in repr(sandbox.requests)


# -- delivery reports --------------------------------------------------------------------------


class Receiver:
    """A tiny HTTP server that keeps the JSON bodies POSTed to it."""

    def __init__(self, status: int = 200) -> None:
        received: List[Tuple[str, Any]] = []
        self.received = received
        answer = status

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                received.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


def test_delivery_reports_are_posted(clock: FakeClock, receiver: Receiver) -> None:
    with Sandbox(delivery_delay=10, clock=clock) as running:
        api = Client(running)
        try:
            _, body = api.call(
                "POST",
                "/batch/send",
                batch(
                    destinations=[UK, "447700900900", "447700900920"],
                    deliveryreporturl=f"{receiver.url}/dr/secret-path?x=1",
                    tag="promo",
                ),
            )
        finally:
            api.close()
        assert running.wait_for_reports(5)
        # REJECTED is reported at once; the others when they settle.
        assert [report["status"] for _, report in receiver.received] == ["REJECTED"]
        running.advance(10)
        assert running.wait_for_reports(5)
    reports = {report["destination"]: (path, report) for path, report in receiver.received}
    assert set(reports) == {int(UK), 447700900900, 447700900920}
    path, delivered = reports[int(UK)]
    assert path == "/dr/secret-path?x=1"
    assert delivered["status"] == "DELIVERED"
    assert delivered["batchid"] == body["batchid"]
    assert delivered["tag"] == "promo"
    assert delivered["messageid"].isdigit()
    assert "failurereason" not in delivered
    for field in ("created", "modified"):
        assert delivered[field].endswith("GMT+0100 (BST)")
    failed = reports[447700900900][1]
    assert failed["status"] == "UNDELIVERABLE"
    assert failed["failurereason"] == {"code": 34, "details": "Handset error", "permanent": False}
    assert all(attempt["error"] is None for attempt in running.delivery_reports)


def test_account_default_report_url(receiver: Receiver) -> None:
    with Sandbox(delivery_report_url=receiver.url + "/account") as running:
        api = Client(running)
        try:
            api.call("POST", "/batch/send", batch(destinations=[UK, UK2]))
            api.call("POST", "/batch/send", batch(deliveryreporturl=receiver.url + "/own"))
        finally:
            api.close()
        assert running.wait_for_reports(5)
    assert sorted(path for path, _ in receiver.received) == ["/account", "/account", "/own"]


def test_a_dead_receiver_is_logged_not_fatal(caplog: pytest.LogCaptureFixture) -> None:
    dead = Receiver()
    url = dead.url + "/hook/secret-token"
    dead.close()  # nothing listens there any more
    caplog.set_level(logging.WARNING, logger="openapi_client.sandbox")
    with Sandbox(report_timeout=2) as running:
        api = Client(running)
        try:
            status, _ = api.call("POST", "/batch/send", batch(deliveryreporturl=url))
            assert status == 201
            assert running.wait_for_reports(10)
            assert api.call("GET", "/utils/test")[0] == 200  # still serving
        finally:
            api.close()
        attempts = running.delivery_reports
    assert len(attempts) == 1
    assert attempts[0]["status"] is None
    assert attempts[0]["error"]
    assert "delivery report" in caplog.text
    assert "secret-token" not in caplog.text  # the URL's path may hold a secret


def test_a_receiver_answering_500_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    failing = Receiver(status=500)
    caplog.set_level(logging.WARNING, logger="openapi_client.sandbox")
    try:
        with Sandbox(delivery_report_url=failing.url) as running:
            api = Client(running)
            try:
                api.call("POST", "/batch/send", batch())
            finally:
                api.close()
            assert running.wait_for_reports(5)
            assert running.delivery_reports[0]["status"] == 500
    finally:
        failing.close()
    assert "HTTP 500" in caplog.text


# -- faults, persistence, speed ----------------------------------------------------------------


def test_injected_fault_with_retry_after(sandbox: Sandbox, client: Client) -> None:
    sandbox.inject_fault(503, method="GET", path="/credits", retry_after=2)
    status, body = client.call("GET", "/credits/balance")
    assert status == 503
    assert_extended_error(body, 1070)
    assert client.call("GET", "/credits/balance")[0] == 200  # only once


def test_fault_after_processing_still_sends(sandbox: Sandbox, client: Client) -> None:
    sandbox.inject_fault(drop=True, after_processing=True, path="/batch/send")
    with pytest.raises(http.client.RemoteDisconnected):
        client.call("POST", "/batch/send", batch())
    assert len(sandbox.batches) == 1  # the send happened; only the answer was lost
    assert sandbox.credits == 49
    assert sandbox.requests[-1].status == 0


def test_state_file_carries_the_account_over(tmp_path: Any, clock: FakeClock) -> None:
    state = tmp_path / "sandbox.json"
    with Sandbox(credits=20, token="t0k3n", clock=clock, state_file=state) as first:
        api = Client(first)
        try:
            sent = api.call("POST", "/batch/send", batch())[1]["batchid"]
            scheduled = batch(schedule="2026-06-01T12:10:00Z")
            later = api.call("POST", "/batch/schedule", scheduled)[1]["batchid"]
        finally:
            api.close()
    assert b"t0k3n" not in state.read_bytes()
    with Sandbox(token="t0k3n", clock=clock, state_file=state) as second:
        assert second.credits == 18
        assert second.batches[later]["status"] == "SCHEDULED"
        second.advance(600)
        assert second.batches[later]["status"] == "PROCESSED"
        api = Client(second)
        try:
            assert api.call("GET", f"/batch/{sent}")[1][0]["status"] == "DELIVERED"
            new = api.call("POST", "/batch/send", batch())[1]["batchid"]
        finally:
            api.close()
        assert int(new) > int(later)


def test_nothing_is_written_without_a_state_file(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    with Sandbox() as running:
        api = Client(running)
        try:
            api.call("POST", "/batch/send", batch())
        finally:
            api.close()
    assert list(tmp_path.iterdir()) == []


def test_dates_follow_uk_summer_time() -> None:
    winter = datetime(2026, 1, 15, 12, tzinfo=timezone.utc).timestamp()
    summer = datetime(2026, 7, 15, 12, tzinfo=timezone.utc).timestamp()
    assert format_js_date(winter) == "Thu Jan 15 2026 12:00:00 GMT+0000 (GMT)"
    assert format_js_date(summer) == "Wed Jul 15 2026 13:00:00 GMT+0100 (BST)"
    # the clocks go forward at 01:00 UTC on the last Sunday of March
    change = datetime(2026, 3, 29, 1, tzinfo=timezone.utc).timestamp()
    assert format_js_date(change - 1).endswith("00:59:59 GMT+0000 (GMT)")
    assert format_js_date(change) == "Sun Mar 29 2026 02:00:00 GMT+0100 (BST)"
    for moment in (winter, summer, change):
        assert parse_schedule(format_js_date(moment)) == moment


def test_a_5000_recipient_send_is_quick(sandbox: Sandbox, client: Client) -> None:
    import time

    sandbox.credits = 10_000
    destinations = [f"4477009{n:05d}" for n in range(5000)]
    body = json.dumps(batch(destinations=destinations)).encode()
    client.call("GET", "/utils/test")  # connect first
    started = time.perf_counter()
    status, _ = client.call("POST", "/batch/send", raw=body)
    elapsed = time.perf_counter() - started
    assert status == 201
    assert elapsed < 1.0  # typically ~15 ms; generous for a loaded CI machine


def test_a_bug_in_a_handler_is_a_500_not_a_dropped_connection(
    sandbox: Sandbox, client: Client, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    from openapi_client.sandbox import _server

    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setitem(_server._HANDLERS, "credits_balance_get", broken)
    caplog.set_level(logging.ERROR, logger="openapi_client.sandbox")
    status, body = client.call("GET", "/credits/balance")
    assert status == 500
    assert_extended_error(body, 1080)
    assert "boom" in caplog.text
    assert client.call("GET", "/utils/test")[0] == 200  # the connection still works


def test_a_burst_of_new_connections_is_not_reset(sandbox: Sandbox) -> None:
    # 64 clients connect at the same instant: a short listen backlog would reset some of them.
    sandbox.credits = 1000
    start = threading.Barrier(64)
    statuses: List[int] = []
    failures: List[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        api = Client(sandbox)
        try:
            start.wait(10)
            status, _ = api.call("POST", "/batch/send", batch())
            with lock:
                statuses.append(status)
        except BaseException as error:
            with lock:
                failures.append(error)
        finally:
            api.close()

    threads = [threading.Thread(target=work) for _ in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert statuses == [201] * 64
    assert len(sandbox.batches) == 64


def test_a_client_that_gives_up_early_leaves_no_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    import time

    import openapi_client as oc

    with Sandbox() as sb:
        sb.inject_fault(503, method="GET", delay=1.0)
        cfg = oc.Configuration(host=sb.url, api_key={"JWT": sb.token}, retries=0)
        with oc.ApiClient(cfg) as client, pytest.raises(oc.ApiTimeoutError):
            oc.BatchMessagesApi(client).batch_batchid_get("1", _request_timeout=(0.5, 0.2))
        time.sleep(1.3)  # let the delayed answer hit the closed connection
    assert "Traceback" not in capfd.readouterr().err
