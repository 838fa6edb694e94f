"""The sandbox's single messages, searches, inbox, failures, one-time passcodes and utilities.

Over raw HTTP (``http.client``) on 127.0.0.1, so that what is pinned is the sandbox's wire
behaviour and not a client's reading of it.
"""

from __future__ import annotations

import http.client
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import pytest
import yaml

from openapi_client.sandbox import ERROR_CODES, Sandbox
from openapi_client.sandbox._server import OPERATION_ROUTES

REPO = Path(__file__).resolve().parent.parent
UK = "447700900001"
UK2 = "447700900002"
FAR = "2099-01-01T00:00:00Z"
ONE = {"sender": "Acme", "destination": UK, "content": "Hi"}


class Client:
    """One kept-alive connection to a sandbox; answers as (status, decoded body)."""

    def __init__(self, sandbox: Sandbox, token: Optional[str] = None) -> None:
        parts = urlsplit(sandbox.url)
        assert parts.hostname is not None and parts.port is not None
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        self.token = sandbox.token if token is None else token

    def __call__(self, method: str, path: str, body: Any = None) -> Tuple[int, Any]:
        headers = {"Content-Type": "application/json", "Authorization": f"JWT {self.token}"}
        data = None if body is None else json.dumps(body).encode()
        self.connection.request(method, "/v1" + path, body=data, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(credits=100, customer_id="cust-1") as running:
        yield running


@pytest.fixture
def call(sandbox: Sandbox) -> Iterator[Client]:
    client = Client(sandbox)
    yield client
    client.connection.close()


def ids(records: List[Dict[str, Any]]) -> List[str]:
    return [record["messageid"] for record in records]


# --- the route table -----------------------------------------------------------------------


def test_routes_are_the_operations_of_openapi_yaml() -> None:
    document = yaml.safe_load((REPO / "openapi.yaml").read_text(encoding="utf-8"))
    declared = {
        operation["operationId"]: (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert declared == OPERATION_ROUTES
    assert len(OPERATION_ROUTES) == 21


def test_every_route_needs_the_token(sandbox: Sandbox) -> None:
    client = Client(sandbox, token="wrong")
    for method, template in OPERATION_ROUTES.values():
        path = re.sub(r"\{[^}]+\}", "123", template)
        status, body = client(method, path, {} if method == "POST" else None)
        assert status == 401, (method, path)
        assert body["errorCode"] == 1040
    client.connection.close()
    assert sandbox.credits == 100


# --- single messages -----------------------------------------------------------------------


def test_a_single_message_is_charged_and_readable(sandbox: Sandbox, call: Client) -> None:
    status, sent = call("POST", "/message/send", dict(ONE, tag="t", content="ж" * 71))
    assert status == 201
    assert sent["status"] == "SENT"
    assert (sent["creditsUsed"], sent["messageparts"], sent["credits"]) == (2, 2, 98)
    assert sandbox.credits == 98
    status, record = call("GET", f"/messages/{sent['messageid']}")
    assert status == 200
    assert record["messageid"] == sent["messageid"]
    assert record["destination"] == int(UK)
    assert record["status"] == "DELIVERED"
    assert record["tag"] == "t"
    assert "batchid" not in record, "a single message belongs to no batch"
    assert sandbox.batches == {}, "nor is it listed with the batches"
    status, international = call("POST", "/message/flash", dict(ONE, destination="33612345678"))
    assert (status, international["creditsUsed"], sandbox.credits) == (201, 2, 96)


def test_a_single_message_to_a_failure_number_is_refunded_and_failed(
    sandbox: Sandbox, call: Client
) -> None:
    _, handset = call("POST", "/message/send", dict(ONE, destination="447700900900"))
    _, rejected = call("POST", "/message/send", dict(ONE, destination="447700900920"))
    assert rejected["status"] == "REJECTED"
    assert rejected["creditsUsed"] == 0
    assert sandbox.credits == 100
    _, record = call("GET", f"/messages/{handset['messageid']}")
    assert record["status"] == "UNDELIVERABLE"
    assert record["failurereason"]["code"] == 34
    assert record["credits"] == 0


def test_a_send_without_credits_is_402_and_changes_nothing(sandbox: Sandbox, call: Client) -> None:
    sandbox.credits = 0
    for path, body in (
        ("/message/send", ONE),
        ("/message/flash", ONE),
        ("/message/schedule", dict(ONE, schedule=FAR)),
        ("/otp/send", {"sender": "Acme", "destination": UK}),
    ):
        status, error = call("POST", path, body)
        assert (status, error["errorCode"]) == (402, 1030), path
    assert call("POST", "/messages", {}) == (200, [])
    assert call("GET", "/messages/schedule") == (200, [])
    with pytest.raises(KeyError):
        sandbox.last_otp(UK)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"destination": UK, "content": "Hi"}, "sender"),
        (dict(ONE, destination="07700900001"), "destination"),
        (dict(ONE, content="x" * 1281), "content"),
        (dict(ONE, metadata={"k": "v"}), "metadata"),
        (dict(ONE, validity=0), "validity"),
    ],
)
def test_a_bad_single_message_is_400_naming_the_field(
    sandbox: Sandbox, call: Client, body: Dict[str, Any], field: str
) -> None:
    for path in ("/message/send", "/message/flash", "/message/schedule"):
        status, error = call("POST", path, dict(body, schedule=FAR))
        assert status == 400, path
        assert field in error["message"]
    assert sandbox.credits == 100


def test_a_scheduled_message_waits_runs_and_is_listed(sandbox: Sandbox, call: Client) -> None:
    schedule = (sandbox.now() + timedelta(days=1)).isoformat()
    status, answer = call("POST", "/message/schedule", dict(ONE, schedule=schedule))
    assert status == 200
    [scheduled] = answer
    assert scheduled["status"] == "SCHEDULED"
    assert sandbox.credits == 99, "charged when scheduled"
    _, batch = call(
        "POST",
        "/batch/schedule",
        {"sender": "Acme", "destinations": [UK, UK2], "content": "B"} | {"schedule": schedule},
    )
    _, jobs = call("GET", "/messages/schedule")
    assert [(job["id"], job["batch"], job["status"]) for job in jobs] == [
        (scheduled["messageid"], False, "SCHEDULED"),
        (batch["batchid"], True, "SCHEDULED"),
    ]
    assert jobs[0]["message"]["destination"] == UK
    assert jobs[1]["message"]["destinations"] == [UK, UK2]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", jobs[0]["message"]["schedule"])
    _, record = call("GET", f"/messages/{scheduled['messageid']}")
    assert record["status"] == "SCHEDULED"
    sandbox.advance(2 * 24 * 3600)
    _, record = call("GET", f"/messages/{scheduled['messageid']}")
    assert record["status"] == "DELIVERED"
    _, jobs = call("GET", "/messages/schedule")
    assert [job["status"] for job in jobs] == ["PROCESSED", "PROCESSED"]
    status, error = call("DELETE", f"/messages/schedule/{scheduled['messageid']}")
    assert (status, error["errorCode"]) == (400, 1051)
    sandbox.advance(93 * 24 * 3600)
    assert call("GET", "/messages/schedule") == (200, []), "three months later the list is empty"


def test_cancel_a_scheduled_message_refunds_it_once(sandbox: Sandbox, call: Client) -> None:
    _, [scheduled] = call("POST", "/message/schedule", dict(ONE, schedule=FAR))
    messageid = scheduled["messageid"]
    assert sandbox.credits == 99
    status, error = call("DELETE", f"/messages/{messageid}")
    assert (status, error["errorCode"]) == (400, 1055), (
        "a waiting message is cancelled, not deleted"
    )
    assert call("DELETE", f"/messages/schedule/{messageid}") == (
        200,
        {"messageid": messageid, "status": "CANCELLED"},
    )
    assert sandbox.credits == 100
    status, error = call("DELETE", f"/messages/schedule/{messageid}")
    assert (status, error["errorCode"]) == (400, 1050)
    assert sandbox.credits == 100
    _, record = call("GET", f"/messages/{messageid}")
    assert (record["status"], record["credits"]) == ("CANCELLED", 0)
    sandbox.advance(10**9)
    assert sandbox.sent_messages == []


def test_cancel_refuses_what_is_not_a_scheduled_message(sandbox: Sandbox, call: Client) -> None:
    _, sent = call("POST", "/message/send", ONE)
    _, batch = call(
        "POST",
        "/batch/schedule",
        {"sender": "A", "destinations": [UK], "content": "x"} | {"schedule": FAR},
    )
    status, error = call("DELETE", f"/messages/schedule/{sent['messageid']}")
    assert (status, error["errorCode"]) == (400, 1051)
    for unknown in ("999", batch["batchid"], "abc"):
        status, error = call("DELETE", f"/messages/schedule/{unknown}")
        assert (status, error["errorCode"]) == (404, 1056), unknown
    status, error = call("DELETE", f"/batches/schedule/{sent['messageid']}")
    assert status == 404, "a single message is no batch"
    assert sandbox.credits == 98


def test_delete_removes_the_record_and_keeps_the_charge(sandbox: Sandbox, call: Client) -> None:
    _, sent = call("POST", "/message/send", ONE)
    messageid = sent["messageid"]
    assert call("DELETE", f"/messages/{messageid}") == (
        200,
        {"messageid": messageid, "status": "DELETED"},
    )
    assert sandbox.credits == 99
    for method in ("GET", "DELETE"):
        status, error = call(method, f"/messages/{messageid}")
        assert (status, error) == (404, {"message": f"No message found with id {messageid}"})
    assert call("POST", "/messages", {}) == (200, [])


# --- searches ------------------------------------------------------------------------------


def test_a_search_covers_batches_and_single_messages_newest_first(
    sandbox: Sandbox, call: Client
) -> None:
    _, batch = call(
        "POST", "/batch/send", {"sender": "Acme", "destinations": [UK, UK2], "content": "B"}
    )
    sandbox.advance(60)
    _, single = call("POST", "/message/send", ONE)
    _, found = call("POST", "/messages", {})
    batch_ids = ids(sandbox.messages(batch["batchid"]))
    assert ids(found) == [single["messageid"], *reversed(batch_ids)]
    assert found[1]["batchid"] == batch["batchid"]


def test_paging_walks_every_match_once(sandbox: Sandbox, call: Client) -> None:
    destinations = [f"4477009{index:05d}" for index in range(1, 26)]
    call("POST", "/batch/send", {"sender": "Acme", "destinations": destinations, "content": "x"})
    _, everything = call("POST", "/messages", {})
    assert len(everything) == 25
    pages = [call("POST", "/messages", {"limit": 10, "skip": skip})[1] for skip in (0, 10, 20, 30)]
    assert [len(page) for page in pages] == [10, 10, 5, 0]
    assert [record for page in pages for record in page] == everything


def test_the_result_is_capped_at_1000(sandbox: Sandbox, call: Client) -> None:
    sandbox.credits = 2000
    destinations = [f"4477009{index:05d}" for index in range(1, 1202)]
    call("POST", "/batch/send", {"sender": "Acme", "destinations": destinations, "content": "x"})
    assert len(call("POST", "/messages", {})[1]) == 1000
    assert len(call("POST", "/messages", {"skip": 1000})[1]) == 201


def test_search_filters(sandbox: Sandbox, call: Client) -> None:
    start = sandbox.now().isoformat()
    _, plain = call("POST", "/message/send", ONE)
    sandbox.advance(3600)
    middle = sandbox.now().isoformat()
    tagged = [{"key": "order", "value": "A-1"}, {"key": "shop", "value": "north"}]
    _, rich = call(
        "POST",
        "/batch/any",
        [dict(ONE, sender="Shop", destination=UK2, content="ж" * 71, metadata=tagged)],
    )
    [rich_id] = ids(sandbox.messages(rich["batchid"]))
    _, failed = call("POST", "/message/send", dict(ONE, destination="447700900901"))
    sandbox.advance(3600)
    end = sandbox.now().isoformat()

    def found(query: Dict[str, Any]) -> List[str]:
        status, records = call("POST", "/messages", query)
        assert status == 200, records
        return sorted(ids(records))

    everything = sorted([plain["messageid"], rich_id, failed["messageid"]])
    assert found({}) == everything
    assert found({"status": "DELIVERED"}) == sorted([plain["messageid"], rich_id])
    assert found({"status": "undeliverable"}) == [failed["messageid"]]
    assert found({"destination": UK2}) == [rich_id]
    assert found({"destination": "+" + UK2}) == [rich_id]
    assert found({"sender": "Shop"}) == [rich_id]
    assert found({"credits": 2}) == [rich_id]
    assert found({"credits": 0}) == [failed["messageid"]], "refunded messages cost nothing"
    assert found({"metadata": [{"key": "order", "value": "A-1"}]}) == [rich_id]
    assert found({"metadata": tagged}) == [rich_id]
    assert found({"metadata": [{"key": "order", "value": "A-2"}]}) == []
    assert found({"from": middle}) == sorted([rich_id, failed["messageid"]])
    assert found({"to": middle}) == [plain["messageid"]]
    assert found({"from": start, "to": end}) == everything
    assert found({"from": end}) == []
    assert found({"keyword": "HI"}) == [], "only replies have a keyword"
    assert found({"unread": True}) == [], "only replies are read or unread"
    assert found({"status": "DELIVERED", "sender": "Acme"}) == [plain["messageid"]]


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 1001},
        {"limit": 1.5},
        {"skip": -1},
        {"status": 3},
        {"from": "yesterday"},
        {"to": "2024-01-01T00:00:00"},
        {"credits": "2"},
        {"unread": "yes"},
        {"metadata": {"key": "k", "value": "v"}},
        {"tag": "t"},
        [],
    ],
)
def test_a_bad_query_is_400(call: Client, query: Any) -> None:
    for path in ("/messages", "/messages/inbox", "/messages/failed"):
        status, error = call("POST", path, query)
        assert status == 400, (path, query)
        assert error["errorCode"] in (1001, 1003, 1018, 1019)


def test_failed_lists_only_messages_that_failed(sandbox: Sandbox, call: Client) -> None:
    sandbox.delivery_delay = 60
    numbers = [UK, "447700900900", "447700900901", "447700900910", "447700900920"]
    numbers.append("447700900930")
    _, batch = call("POST", "/batch/send", {"sender": "A", "destinations": numbers, "content": "x"})
    _, failures = call("POST", "/messages/failed", {})
    assert [record["destination"] for record in failures] == [447700900920]
    sandbox.advance(60)
    _, failures = call("POST", "/messages/failed", {})
    assert sorted(record["status"] for record in failures) == [
        "EXPIRED",
        "REJECTED",
        "UNDELIVERABLE",
        "UNDELIVERABLE",
    ]
    assert all(record["failurereason"]["code"] for record in failures)
    assert all(record["batchid"] == batch["batchid"] for record in failures)
    _, expired = call("POST", "/messages/failed", {"status": "EXPIRED"})
    assert [record["destination"] for record in expired] == [447700900910]
    _, page = call("POST", "/messages/failed", {"limit": 2, "skip": 1})
    assert page == failures[1:3]


# --- the inbox ------------------------------------------------------------------------------


def test_a_reply_lands_in_the_inbox_until_read(sandbox: Sandbox, call: Client) -> None:
    reply = sandbox.receive("+447700900123", "stop  all texts")
    assert reply["status"] == "INCOMING"
    assert reply["sender"] == "447700900123"
    assert reply["destination"] == 447700900500
    assert reply["keyword"] == "STOP"
    assert reply["customerid"] == "cust-1"
    other = sandbox.receive("447700900124", "Yes", destination="447700900777", keyword="RSVP")
    assert call("POST", "/messages/inbox", {}) == (200, [other, reply])
    assert call("POST", "/messages/inbox", {"keyword": "stop"}) == (200, [reply])
    assert call("POST", "/messages/inbox", {"sender": "447700900124"}) == (200, [other])
    assert call("POST", "/messages/inbox", {"destination": "447700900777"}) == (200, [other])
    assert call("GET", f"/messages/{reply['messageid']}") == (200, reply)
    assert call("POST", "/messages/inbox", {}) == (200, [other]), "reading marks it read"
    assert call("POST", "/messages/inbox", {"unread": False}) == (200, [reply])
    assert call("POST", "/messages", {"status": "INCOMING"}) == (200, [other, reply])
    assert call("POST", "/messages", {"status": "INCOMING", "unread": True}) == (200, [other])
    assert call("POST", "/messages/failed", {}) == (200, [])
    assert call("DELETE", f"/messages/{other['messageid']}")[0] == 200
    assert call("POST", "/messages/inbox", {}) == (200, [])
    assert sandbox.credits == 100, "replies cost nothing"


def test_receive_refuses_what_is_not_a_reply(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="sender"):
        sandbox.receive("Acme", "hi")
    with pytest.raises(ValueError, match="destination"):
        sandbox.receive("447700900123", "hi", destination="12")
    with pytest.raises(ValueError, match="content"):
        sandbox.receive("447700900123", "  ")


def test_replies_and_passcodes_outlive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "account.db"
    with Sandbox(credits=10, state_file=state, token="t") as first:
        reply = first.receive("447700900123", "hello")
        call = Client(first)
        _, otp = call("POST", "/otp/send", {"sender": "Acme", "destination": UK})
        _, sent = call("POST", "/message/send", ONE)
        code = first.last_otp(UK)
        call.connection.close()
    with Sandbox(state_file=state, token="t") as second:
        call = Client(second)
        assert second.last_otp(UK) == code
        assert call("POST", "/messages/inbox", {}) == (200, [reply])
        assert call("GET", f"/messages/{sent['messageid']}")[0] == 200
        status, verified = call("POST", "/otp/verify", {"passcode": code})
        assert (status, verified["status"]) == (200, "VERIFIED")
        assert call("GET", f"/otp/{otp['messageid']}")[1]["status"] == "VERIFIED"
        assert second.credits == 8
        call.connection.close()


# --- one-time passcodes --------------------------------------------------------------------


def test_a_passcode_is_texted_charged_and_verified_once(sandbox: Sandbox, call: Client) -> None:
    status, sent = call("POST", "/otp/send", {"sender": "Acme", "destination": UK})
    assert status == 201
    assert (sent["status"], sent["creditsUsed"], sent["credits"]) == ("SENT", 1, 99)
    code = sandbox.last_otp(UK)
    assert re.fullmatch(r"[1-9][0-9]{5}", code)
    _, text = call("GET", f"/messages/{sent['messageid']}")
    assert code in text["content"], "the text carries the passcode"
    _, record = call("GET", f"/otp/{sent['messageid']}")
    assert (record["status"], record["passcode"], record["validity"]) == ("PENDING", int(code), 300)
    status, verified = call("POST", "/otp/verify", {"passcode": code})
    assert status == 200
    assert (verified["status"], verified["destination"]) == ("VERIFIED", UK)
    assert call("GET", f"/otp/{sent['messageid']}") == (200, verified)
    status, error = call("POST", "/otp/verify", {"passcode": code})
    assert (status, error["errorCode"]) == (400, 1090)


def test_a_passcode_of_the_requested_shape(sandbox: Sandbox, call: Client) -> None:
    body = {
        "sender": "Acme",
        "destination": UK,
        "length": 10,
        "template": "Code: {{passcode}}. Do not share {{passcode}}.",
        "metadata": {"user": "u-1", "tries": [1, 2]},
    }
    _, sent = call("POST", "/otp/send", body)
    code = sandbox.last_otp(UK)
    assert len(code) == 10
    _, text = call("GET", f"/messages/{sent['messageid']}")
    assert text["content"] == f"Code: {code}. Do not share {code}."
    _, own = call("POST", "/otp/send", {"sender": "Acme", "destination": UK2, "passcode": "0042"})
    assert sandbox.last_otp(UK2) == "0042"
    _, record = call("GET", f"/otp/{own['messageid']}")
    assert record["passcode"] == "0042", "a leading zero is kept as text"
    _, verified = call("POST", "/otp/verify", {"passcode": code})
    assert verified["metadata"] == {"user": "u-1", "tries": [1, 2]}


def test_a_passcode_used_too_late_is_expired(sandbox: Sandbox, call: Client) -> None:
    _, sent = call("POST", "/otp/send", {"sender": "Acme", "destination": UK, "validity": 30})
    code = sandbox.last_otp(UK)
    sandbox.advance(29)
    assert call("GET", f"/otp/{sent['messageid']}")[1]["status"] == "PENDING"
    sandbox.advance(2)
    assert call("GET", f"/otp/{sent['messageid']}")[1]["status"] == "EXPIRED"
    status, record = call("POST", "/otp/verify", {"passcode": code})
    assert (status, record["status"]) == (200, "EXPIRED")
    status, record = call("POST", "/otp/verify", {"passcode": code})
    assert (status, record["status"]) == (200, "EXPIRED")


def test_wrong_passcodes_block_waiting_ones(sandbox: Sandbox, call: Client) -> None:
    _, sent = call("POST", "/otp/send", {"sender": "Acme", "destination": UK, "passcode": "1111"})
    for _ in range(2):
        assert call("POST", "/otp/verify", {"passcode": "2222"}) == (
            404,
            {"message": "No one-time passcode matches"},
        )
    assert call("GET", f"/otp/{sent['messageid']}")[1]["status"] == "PENDING"
    assert call("POST", "/otp/verify", {"passcode": "3333"})[0] == 404
    assert call("GET", f"/otp/{sent['messageid']}")[1]["status"] == "BLOCKED"
    status, error = call("POST", "/otp/verify", {"passcode": "1111"})
    assert (status, error["errorCode"]) == (400, 1091)
    _, fresh = call("POST", "/otp/send", {"sender": "Acme", "destination": UK, "passcode": "1111"})
    status, verified = call("POST", "/otp/verify", {"passcode": "1111"})
    assert (status, verified["status"]) == (200, "VERIFIED"), "a new passcode starts afresh"
    assert call("GET", f"/otp/{fresh['messageid']}")[1]["status"] == "VERIFIED"


def test_a_right_passcode_does_not_count_as_wrong(sandbox: Sandbox, call: Client) -> None:
    call("POST", "/otp/send", {"sender": "Acme", "destination": UK, "passcode": "1111"})
    call("POST", "/otp/send", {"sender": "Acme", "destination": UK2, "passcode": "2222"})
    for _ in range(5):
        call("POST", "/otp/verify", {"passcode": "1111"})
    status, verified = call("POST", "/otp/verify", {"passcode": "2222"})
    assert (status, verified["status"]) == (200, "VERIFIED")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"destination": UK}, 1002),
        ({"sender": "Acme"}, 1002),
        ({"sender": "Acme", "destination": "07700900001"}, 1011),
        ({"sender": "Acme", "destination": UK, "length": 0}, 1022),
        ({"sender": "Acme", "destination": UK, "length": 17}, 1022),
        ({"sender": "Acme", "destination": UK, "length": "6"}, 1003),
        ({"sender": "Acme", "destination": UK, "validity": 0}, 1022),
        ({"sender": "Acme", "destination": UK, "validity": 86401}, 1022),
        ({"sender": "Acme", "destination": UK, "template": "no placeholder"}, 1022),
        ({"sender": "Acme", "destination": UK, "passcode": ""}, 1022),
        ({"sender": "Acme", "destination": UK, "metadata": {"k": "x" * 1020}}, 1022),
        ({"sender": "Acme", "destination": UK, "metadata": ["x"]}, 1003),
        ([], 1001),
    ],
)
def test_a_bad_passcode_request_is_400(
    sandbox: Sandbox, call: Client, body: Any, code: int
) -> None:
    status, error = call("POST", "/otp/send", body)
    assert (status, error["errorCode"]) == (400, code)
    assert sandbox.credits == 100


@pytest.mark.parametrize("body", [{}, {"passcode": ""}, {"passcode": 1234}, []])
def test_a_bad_verify_request_is_400(call: Client, body: Any) -> None:
    assert call("POST", "/otp/verify", body)[0] == 400


def test_unknown_passcode_ids_are_404(call: Client) -> None:
    _, sent = call("POST", "/message/send", ONE)
    for messageid in ("999", "abc", sent["messageid"]):
        status, error = call("GET", f"/otp/{messageid}")
        assert (status, list(error)) == (404, ["message"])


# --- utilities -----------------------------------------------------------------------------


def test_every_sandbox_error_code_has_a_sample(call: Client) -> None:
    for code, (status, text) in ERROR_CODES.items():
        answer, body = call("GET", f"/utils/errors/{code}")
        assert answer == 200
        assert (body["errorCode"], body["status"]) == (code, text)
        assert str(status) in body["message"]
    for unknown in ("999", "1000000", "abc", "-1"):
        status, body = call("GET", f"/utils/errors/{unknown}")
        assert (status, body["errorCode"]) == (404, 1053)


def test_balance_and_test_reflect_the_account(sandbox: Sandbox, call: Client) -> None:
    call("POST", "/message/send", ONE)
    assert call("GET", "/credits/balance") == (200, {"credits": 99})
    assert call("GET", "/utils/test") == (200, {"message": "cust-1"})


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/message/flash", {**ONE, "ttl": 360759511454964699365376}),
        ("/message/send", {**ONE, "ttl": 2**63}),
        ("/messages", {"skip": 2**70}),
    ],
)
def test_an_integer_the_store_cannot_hold_is_a_400(
    call: Client, path: str, body: Dict[str, Any]
) -> None:
    # Found by schemathesis: a ttl beyond 64 bits failed while saving (500).
    status, answer = call("POST", path, body)
    assert status == 400, answer
    assert "2**63" in answer["message"]
    assert call("GET", "/credits/balance")[0] == 200  # and the sandbox still answers
