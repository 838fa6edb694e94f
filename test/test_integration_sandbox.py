"""The SDK over real HTTP on 127.0.0.1 against the built-in sandbox: every endpoint and outcome."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, List

import pytest

import openapi_client as oc
from openapi_client.sandbox import OUTCOMES, Sandbox

DELIVERS = ["447700900001", "447700900002"]


def _batch(destinations: List[str], **extra: Any) -> oc.BatchMessage:
    return oc.BatchMessage(sender="Acme", destinations=destinations, content="Hello", **extra)


def test_send_read_back_and_credits(sandbox: Any, sandbox_api: oc.BatchMessagesApi) -> None:
    before = sandbox.credits
    sent = sandbox_api.batch_send_post(_batch(DELIVERS + ["33612345678"], tag="t1"))
    assert sent.batchid and sent.status == "SCHEDULED"
    records = sandbox_api.batch_batchid_get(sent.batchid)
    assert sorted(r.destination for r in records) == sorted(DELIVERS + ["33612345678"])
    for record in records:
        assert record.status == "DELIVERED"
        assert record.batchid == sent.batchid
        assert record.tag == "t1"
        assert record.created_at is not None and record.created_at.tzinfo is not None
        assert record.messageid
    # UK numbers cost 1 credit per part, others double.
    assert before - sandbox.credits == 4


def test_batch_any_with_metadata(sandbox_api: oc.BatchMessagesApi) -> None:
    reply = sandbox_api.batch_any_post_with_http_info(
        [
            oc.Message(
                sender="Acme",
                destination=number,
                content=f"Hi {number}",
                metadata=[oc.MetaData(key="n", value=number)],
            )
            for number in DELIVERS
        ]
    )
    assert reply.status_code == 201
    records = sandbox_api.batch_batchid_get(reply.data.batchid)
    assert {r.content for r in records} == {f"Hi {n}" for n in DELIVERS}


def test_without_preload_gives_the_raw_response(sandbox_api: oc.BatchMessagesApi) -> None:
    raw = sandbox_api.batch_send_post_without_preload_content(_batch(DELIVERS))
    assert raw.status == 201
    assert oc.BatchMessageResponse.from_json(raw.data) is not None


def test_bad_token_is_401_and_nothing_is_sent(sandbox: Any) -> None:
    cfg = sandbox.configuration()
    cfg.api_key["JWT"] = "JWT not-the-token"
    with oc.ApiClient(cfg) as client:
        api = oc.BatchMessagesApi(client)
        with pytest.raises(oc.UnauthorizedException) as info:
            api.batch_send_post(_batch(DELIVERS))
    assert info.value.status == 401
    assert info.value.message
    assert sandbox.sent_messages == []


def test_402_sends_and_charges_nothing() -> None:
    with Sandbox(credits=2) as sb, oc.ApiClient(sb.configuration()) as client:
        api = oc.BatchMessagesApi(client)
        with pytest.raises(oc.InsufficientCreditsException) as info:
            api.batch_send_post(_batch(DELIVERS + ["447700900003"]))
        assert info.value.status == 402
        assert isinstance(info.value.data, oc.ExtendedErrorModel)
        assert info.value.error_code is not None
        assert sb.credits == 2
        assert sb.sent_messages == []
        assert sb.batches == {}


def test_unknown_batch_is_404(sandbox_api: oc.BatchMessagesApi) -> None:
    with pytest.raises(oc.NotFoundException) as info:
        sandbox_api.batch_batchid_get("123456789")
    assert isinstance(info.value.data, oc.ErrorModel)
    with pytest.raises(oc.NotFoundException):
        sandbox_api.batches_schedule_batchid_delete("123456789")


def test_server_side_validation_is_a_400_when_client_checks_are_off(sandbox: Any) -> None:
    cfg = sandbox.configuration()
    cfg.client_side_validation = False
    with oc.ApiClient(cfg) as client, pytest.raises(oc.BadRequestException) as info:
        oc.BatchMessagesApi(client).batch_send_post(_batch(DELIVERS, validity=9999))
    assert isinstance(info.value.data, oc.ExtendedErrorModel)
    assert "validity" in (info.value.message or "")


def test_schedule_cancel_refund(sandbox: Any, sandbox_api: oc.BatchMessagesApi) -> None:
    before = sandbox.credits
    when = datetime.now(timezone.utc) + timedelta(hours=2)
    scheduled = sandbox_api.batch_schedule_post(_batch(DELIVERS, schedule=when))
    assert scheduled.status == "SCHEDULED"
    records = sandbox_api.batch_batchid_get(scheduled.batchid)
    assert {r.status for r in records} == {"SCHEDULED"}
    cancelled = sandbox_api.batches_schedule_batchid_delete(scheduled.batchid)
    assert cancelled.status == "CANCELLED"
    assert cancelled.batchid == scheduled.batchid
    assert sandbox.credits == before
    with pytest.raises(oc.ApiException) as twice:
        sandbox_api.batches_schedule_batchid_delete(scheduled.batchid)
    assert 400 <= (twice.value.status or 0) < 500


def test_scheduled_batch_goes_out_when_due(sandbox: Any, sandbox_api: oc.BatchMessagesApi) -> None:
    when = datetime.now(timezone.utc) + timedelta(minutes=30)
    scheduled = sandbox_api.batch_schedule_post(_batch(DELIVERS, schedule=when))
    sandbox.advance(31 * 60)
    records = sandbox_api.batch_batchid_get(scheduled.batchid)
    assert {r.status for r in records} == {"DELIVERED"}
    with pytest.raises(oc.ApiException):
        sandbox_api.batches_schedule_batchid_delete(scheduled.batchid)


def test_cancelling_a_sent_batch_is_refused(sandbox_api: oc.BatchMessagesApi) -> None:
    sent = sandbox_api.batch_send_post(_batch(DELIVERS))
    with pytest.raises(oc.ApiException) as info:
        sandbox_api.batches_schedule_batchid_delete(sent.batchid)
    assert 400 <= (info.value.status or 0) < 500


@pytest.mark.parametrize("number", sorted(OUTCOMES))
def test_reserved_numbers_give_their_outcome(
    sandbox: Any, sandbox_api: oc.BatchMessagesApi, number: str
) -> None:
    outcome = OUTCOMES[number]
    before = sandbox.credits
    sent = sandbox_api.batch_send_post(_batch([number], validity=1))
    sandbox.advance(120)
    (record,) = sandbox_api.batch_batchid_get(sent.batchid)
    assert record.status == outcome.status
    if outcome.code is not None:
        assert record.failurereason is not None
        assert record.failurereason.code == outcome.code
        assert record.failurereason.permanent == outcome.permanent
    spent = before - sandbox.credits
    assert spent == (1 if outcome.charged else 0)


def test_delivery_reports_reach_a_webhook_and_parse(sandbox: Any) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    bodies: List[bytes] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/dr?secret=abc"
        with oc.ApiClient(sandbox.configuration()) as client:
            sent = oc.BatchMessagesApi(client).batch_send_post(
                _batch(["447700900001", "447700900900"], deliveryreporturl=url)
            )
        assert sandbox.wait_for_reports(5.0)
        reports = [oc.parse_delivery_report(b) for b in bodies]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)
    final = {r.destination: r.status for r in reports if r.status != "SENT"}
    assert final == {"447700900001": "DELIVERED", "447700900900": "UNDELIVERABLE"}
    assert {r.batchid for r in reports} == {sent.batchid}
