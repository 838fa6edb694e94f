"""Models: round trips, strict requests, lenient responses, dates."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import openapi_client as oc
from openapi_client._dates import format_schedule, parse_api_datetime

FULL_MESSAGE = {
    "sender": "YourCompany",
    "destination": "447777777777",
    "content": "Your account is ready",
    "schedule": "Sun Sep 03 2020 15:34:23 GMT+0100 (BST)",
    "tag": "SummerSpecial",
    "ttl": 10,
    "validity": 1440,
    "ai": True,
    "responseemail": ["ops@example.com"],
    "metadata": [{"key": "myKey1", "value": "myValue1"}],
    "deliveryreporturl": "https://example.com/dr",
}

SAMPLES: Any = [
    (oc.Message, FULL_MESSAGE),
    (oc.MetaData, {"key": "k", "value": "v"}),
    (
        oc.BatchMessage,
        {"sender": "Acme", "destinations": ["447700900001"], "content": "x", "validity": 5},
    ),
    (oc.BatchMessageResponse, {"batchid": "2586749", "status": "SCHEDULED"}),
    (oc.ScheduledBatchResponse, {"batchid": "3200562", "status": "SCHEDULED"}),
    (oc.CancelledMessageResponse, {"messageid": "5620320", "status": "CANCELLED"}),
    (oc.ErrorModel, {"message": "Batch not found"}),
    (
        oc.ExtendedErrorModel,
        {"message": "m", "errorCode": 1002, "status": "INSUFFICIENT", "permanent": False},
    ),
    (oc.MessageResponseFailurereason, {"code": 34, "details": "Handset error", "permanent": False}),
    (
        oc.MessageResponse,
        {
            "messageid": "1",
            "destination": "447700900001",
            "status": "UNDELIVERABLE",
            "failurereason": {"code": 34, "details": "Handset error", "permanent": False},
            "vendorField": [1, 2],
        },
    ),
]


@pytest.mark.parametrize(("cls", "wire"), SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_round_trips(cls: Any, wire: Any) -> None:
    model = cls.from_dict(wire)
    assert model.to_dict() == wire
    assert cls.from_json(model.to_json()) == model
    assert json.loads(model.to_json()) == wire
    assert cls.from_dict(model) is model
    assert cls.from_dict(None) is None
    assert cls.from_json("null") is None
    assert isinstance(model.to_str(), str)


def test_wire_names_and_python_names() -> None:
    err = oc.ExtendedErrorModel.from_json('{"errorCode": 7, "message": "m"}')
    assert err is not None and err.error_code == 7
    assert oc.ExtendedErrorModel(error_code=7).to_dict() == {"errorCode": 7}
    assert oc.ExtendedErrorModel.from_json('{"errorCode": "7"}').error_code == 7  # type: ignore[union-attr]


def test_requests_are_strict() -> None:
    with pytest.raises(ValidationError):
        oc.BatchMessage(sender="A", destinations=["1"])  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        oc.BatchMessage(sender=123, destinations=["1"], content="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        oc.Message(sender="A", destination="1", content="x", metadata={"schema": {}})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="extra"):
        oc.Message(sender="A", destination="1", content="x", destinations=["1"])  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        oc.Message(sender="A", destination="1", content="x", ttl=True)
    with pytest.raises(ValidationError):  # not read as a Unix timestamp
        oc.Message(sender="A", destination="1", content="x", schedule=1)  # type: ignore[arg-type]
    ok = oc.BatchMessage(sender="A", destinations=("1", "2"), content="x")  # type: ignore[arg-type]
    assert ok.destinations == ["1", "2"]


def test_responses_are_lenient() -> None:
    record = oc.MessageResponse.from_json(
        '{"destination": 447777777777, "id": 123456789, "identifier": 7777777777,'
        ' "batchid": 2586749, "tag": null, "unknown": {"a": 1}}'
    )
    assert record is not None
    assert record.destination == "447777777777"
    assert record.id == "123456789"
    assert record.identifier == "7777777777"
    assert record.tag is None and record.schedule is None
    assert record.model_extra == {"unknown": {"a": 1}}
    assert oc.BatchMessageResponse.from_json('{"batchid": 3200562}').batchid == "3200562"  # type: ignore[union-attr]
    cancelled = oc.CancelledMessageResponse.from_dict({"batchid": 99, "status": "CANCELLED"})
    assert cancelled is not None and cancelled.batchid == "99" and cancelled.messageid == "99"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wed Jul 19 2017 20:53:46 GMT+0100 (BST)", datetime(2017, 7, 19, 19, 53, 46)),
        ("Wed Jul 19 2017 20:53:46 GMT-0500 (EST)", datetime(2017, 7, 20, 1, 53, 46)),
        ("Wed Jul 19 2017 20:53:46 GMT+0000", datetime(2017, 7, 19, 20, 53, 46)),
        ("Jul 19 2017 20:53", datetime(2017, 7, 19, 20, 53)),
        ("2021-10-28T13:10:00.000Z", datetime(2021, 10, 28, 13, 10)),
        ("2021-10-28T14:10:00+01:00", datetime(2021, 10, 28, 13, 10)),
        ("2021-10-28T14:10:00", datetime(2021, 10, 28, 14, 10)),
    ],
)
def test_api_dates_parse_to_aware_utc(text: str, expected: datetime) -> None:
    parsed = parse_api_datetime(text)
    assert parsed is not None and parsed.tzinfo is not None
    assert parsed.astimezone(timezone.utc).replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    "text", [None, "", "  ", "soon", "Foo Jul 99 2017 20:53:46", "Xyz 19 2017 1:00"]
)
def test_unreadable_dates_are_none(text: Any) -> None:
    assert parse_api_datetime(text) is None


def test_message_response_date_properties() -> None:
    record = oc.MessageResponse(
        created="Wed Jul 19 2017 20:53:46 GMT+0100 (BST)",
        modified="2017-07-19T20:00:00Z",
        schedule="",
    )
    assert record.created_at == datetime(2017, 7, 19, 19, 53, 46, tzinfo=timezone.utc)
    assert record.modified_at == datetime(2017, 7, 19, 20, 0, tzinfo=timezone.utc)
    assert record.schedule_at is None


def test_schedule_formatting() -> None:
    when = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert format_schedule(when) == "2026-12-01T09:30:00-05:00"
    with pytest.raises(oc.ApiValueError, match="schedule"):
        format_schedule(datetime(2026, 12, 1, 9, 30))
    msg = oc.BatchMessage(sender="A", destinations=["1"], content="x", schedule=when)
    assert msg.to_dict()["schedule"] == "2026-12-01T09:30:00-05:00"
    with pytest.raises(ValidationError, match="naive datetime is ambiguous"):
        oc.BatchMessage(sender="A", destinations=["1"], content="x", schedule=datetime(2026, 1, 1))


@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2999, 1, 1),
        timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=5, minutes=30))]),
    )
)
def test_schedules_survive_the_trip_to_the_api_and_back(when: datetime) -> None:
    sent = oc.BatchMessage(sender="A", destinations=["1"], content="x", schedule=when).to_dict()
    assert parse_api_datetime(sent["schedule"]) == when


@given(st.integers(min_value=0, max_value=10**15), st.text(max_size=20))
def test_any_id_or_number_reads_back_as_text(number: int, text: str) -> None:
    record = oc.MessageResponse.model_validate({"destination": number, "messageid": text})
    assert record.destination == str(number)
    assert record.messageid == text
