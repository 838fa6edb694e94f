"""parse_delivery_report: lenient about what a report holds, strict about what is not one."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List

import pytest

from openapi_client.exceptions import ApiValueError
from openapi_client.models.message_response import MessageResponse
from openapi_client.sandbox import Sandbox
from openapi_client.webhooks import parse_delivery_report, parse_delivery_reports

REPORT: Dict[str, Any] = {
    "messageid": "100000002",
    "batchid": "3000001",
    "destination": 447700900900,
    "status": "UNDELIVERABLE",
    "failurereason": {"code": 34, "details": "Handset error", "permanent": False},
    "tag": "promo",
    "created": "Mon Jun 01 2026 13:00:00 GMT+0100 (BST)",
    "modified": "Mon Jun 01 2026 13:00:05 GMT+0100 (BST)",
}


@pytest.mark.parametrize(
    "body",
    [
        json.dumps(REPORT).encode(),
        json.dumps(REPORT),
        REPORT,
        bytearray(json.dumps(REPORT).encode()),
        b"\xef\xbb\xbf" + json.dumps(REPORT).encode(),  # a UTF-8 byte-order mark
    ],
    ids=["bytes", "str", "mapping", "bytearray", "bom"],
)
def test_a_report_in_every_input_form(body: Any) -> None:
    report = parse_delivery_report(body)
    assert isinstance(report, MessageResponse)
    assert report.messageid == "100000002"
    assert report.batchid == "3000001"
    assert report.destination == "447700900900"  # a number on the wire, a string here
    assert report.status == "UNDELIVERABLE"
    assert report.failurereason is not None
    assert report.failurereason.code == 34
    assert report.failurereason.details == "Handset error"
    assert report.failurereason.permanent is False
    assert report.tag == "promo"
    assert report.modified_at is not None
    assert report.modified_at.utcoffset() is not None
    assert report.modified_at.isoformat() == "2026-06-01T13:00:05+01:00"


def test_numeric_ids_become_strings_and_unknown_fields_are_kept() -> None:
    report = parse_delivery_report(
        {"messageid": 123, "batchid": 456, "status": "DELIVERED", "networkcode": "23410"}
    )
    assert report.messageid == "123"
    assert report.batchid == "456"
    assert report.model_extra == {"networkcode": "23410"}
    assert report.to_dict()["networkcode"] == "23410"


def test_field_names_are_matched_without_case() -> None:
    report = parse_delivery_report(
        {
            "messageId": "9",
            "Status": "UNDELIVERABLE",
            "failureReason": {"code": 1, "details": "Unknown subscriber", "permanent": True},
        }
    )
    assert report.messageid == "9"
    assert report.status == "UNDELIVERABLE"
    assert report.failurereason is not None
    assert report.failurereason.permanent is True


def test_a_bare_failure_text_is_kept_as_details() -> None:
    report = parse_delivery_report({"messageid": "9", "failurereason": "Handset error"})
    assert report.failurereason is not None
    assert report.failurereason.details == "Handset error"
    assert report.failurereason.code is None


@pytest.mark.parametrize(
    "body",
    [{"messageid": "1"}, {"status": "DELIVERED"}],
    ids=["messageid-only", "status-only"],
)
def test_one_of_messageid_or_status_is_enough(body: Dict[str, Any]) -> None:
    report = parse_delivery_report(body)
    assert (report.messageid, report.status) == (body.get("messageid"), body.get("status"))


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"not json at all", "must be JSON"),
        ("", "empty"),
        (b"\xff\xfe\x00", "UTF-8"),
        ("[1, 2]", "JSON object"),
        ('"DELIVERED"', "JSON object"),
        ("null", "JSON object"),
        ({"hello": "world"}, "neither 'messageid' nor 'status'"),
        ({"messageid": "", "status": None}, "neither"),
        ({"messageid": "1", "failurereason": {"code": "not a number"}}, "failurereason.code"),
    ],
)
def test_bodies_that_are_not_reports(body: Any, words: str) -> None:
    with pytest.raises(ApiValueError) as caught:
        parse_delivery_report(body)
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_several_reports_in_an_array() -> None:
    reports = parse_delivery_reports(json.dumps([REPORT, {"messageid": 7, "status": "SENT"}]))
    assert [r.messageid for r in reports] == ["100000002", "7"]
    assert parse_delivery_reports(REPORT)[0].status == "UNDELIVERABLE"
    with pytest.raises(ApiValueError, match=r"\[1\]: "):
        parse_delivery_reports([REPORT, {"nothing": 1}])


@pytest.fixture
def reports_from_sandbox() -> Iterator[List[bytes]]:
    """Raw bodies of the reports a sandbox POSTs, caught by a local receiver."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    bodies: List[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/dr"
    try:
        with Sandbox(delivery_report_url=url) as sandbox:
            import urllib3

            with urllib3.PoolManager() as pool:
                pool.request(
                    "POST",
                    sandbox.url + "/batch/send",
                    json={
                        "sender": "Acme",
                        "destinations": ["447700900001", "447700900901"],
                        "content": "Hi",
                        "tag": "t1",
                    },
                    headers={"Authorization": f"JWT {sandbox.token}"},
                )
            assert sandbox.wait_for_reports(5)
        yield bodies
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_reports_the_sandbox_posts_parse(reports_from_sandbox: List[bytes]) -> None:
    reports = sorted(
        (parse_delivery_report(body) for body in reports_from_sandbox),
        key=lambda r: r.destination or "",
    )
    assert [(r.destination, r.status) for r in reports] == [
        ("447700900001", "DELIVERED"),
        ("447700900901", "UNDELIVERABLE"),
    ]
    assert all(r.tag == "t1" for r in reports)
    assert reports[1].failurereason is not None
    assert reports[1].failurereason.permanent is True
    assert all(r.created_at is not None for r in reports)
