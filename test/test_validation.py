"""Client-side checks: every documented limit just inside and just outside, every normalisation,
the escape hatch, and that a refused request never reaches the transport."""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict, List, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

import openapi_client
from openapi_client import BatchMessage, Message, MetaData
from openapi_client._validation import (
    check_batch,
    check_batch_message,
    check_message_list,
    check_messages,
    normalize_destination,
)
from openapi_client.exceptions import ApiValueError
from openapi_client.sandbox import _validate as sandbox_validate
from openapi_client.sandbox._errors import SandboxError

Fake = Callable[..., Tuple[openapi_client.BatchMessagesApi, Any]]

ACCEPTED = (
    201,
    b'{"batchid": "2586749", "status": "SCHEDULED"}',
    {"Content-Type": "application/json"},
)
SCHEDULED = (
    201,
    b'{"batchid": "3200562", "status": "SCHEDULED"}',
    {"Content-Type": "application/json"},
)


def config(**options: Any) -> openapi_client.Configuration:
    return openapi_client.Configuration(
        host="https://api.example.test/v1", api_key={"JWT": "t"}, **options
    )


CFG = config()


def batch(**fields: Any) -> BatchMessage:
    values: Dict[str, Any] = {"sender": "Acme", "destinations": ["447700900001"], "content": "Hi"}
    values.update(fields)
    return BatchMessage(**values)


def message(**fields: Any) -> Message:
    values: Dict[str, Any] = {"sender": "Acme", "destination": "447700900001", "content": "Hi"}
    values.update(fields)
    return Message(**values)


def numbers(count: int, start: int = 0) -> List[str]:
    return [f"4477009{i:05d}" for i in range(start, start + count)]


def refused(call: Callable[[], Any]) -> str:
    with pytest.raises(ApiValueError) as info:
        call()
    return str(info.value)


# -- batch size -------------------------------------------------------------------------------


def test_batch_of_one_and_of_5000_pass_unchanged() -> None:
    one = batch()
    full = batch(destinations=numbers(5000))
    assert check_batch_message(one, CFG) is one
    assert check_batch_message(full, CFG) is full


def test_batch_of_5001_is_refused_naming_the_field_and_the_way_out() -> None:
    text = refused(lambda: check_batch_message(batch(destinations=numbers(5001)), CFG))
    assert text.startswith("sms_message.destinations: holds 5001 recipients; the limit is 5000")
    assert "batch_send_many" in text


def test_empty_batch_is_refused() -> None:
    text = refused(lambda: check_batch_message(batch(destinations=[]), CFG))
    assert text == "sms_message.destinations: must hold at least one recipient"


def test_message_list_of_5000_passes_and_5001_or_none_is_refused() -> None:
    msgs = [message(destination=n) for n in numbers(5001)]
    assert check_messages(msgs[:5000], CFG) is not None
    assert check_messages(msgs[:1], CFG)[0] is msgs[0]
    text = refused(lambda: check_messages(msgs, CFG))
    assert text.startswith("messages: holds 5001 messages; the limit is 5000")
    assert "batch_any_many" in text
    assert refused(lambda: check_messages([], CFG)) == "messages: must hold at least one message"


def test_the_size_limit_can_be_lifted_for_chunked_sends() -> None:
    big = batch(destinations=numbers(12_001))
    checked, kept = check_batch(big, CFG, limit=None)
    assert checked is big
    assert kept is None
    msgs = [message(destination=n) for n in numbers(6000)]
    out, kept = check_message_list(msgs, CFG, limit=None)
    assert out is msgs
    assert kept is None


# -- sender -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("A", "A"),
        ("Acme2024Ltd", "Acme2024Ltd"),  # 11 letters/digits
        ("1" * 15, "1" * 15),  # 15 digits
        ("447700900123", "447700900123"),
        ("+447700900123", "447700900123"),  # '+' on a numeric sender dropped
        ("+" + "9" * 15, "9" * 15),
    ],
)
def test_sender_just_inside_the_limits(given: str, sent: str) -> None:
    assert check_batch_message(batch(sender=given), CFG).sender == sent
    assert check_messages([message(sender=given)], CFG)[0].sender == sent


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("", "must not be empty"),
        ("AcmeWidgets1", "is 12 characters; alphanumeric senders have at most 11"),
        ("1" * 16, "is a number of 16 digits; numeric senders have at most 15"),
        ("+" + "1" * 16, "is a number of 16 digits"),
        ("Acme Ltd", "holds ' '"),
        ("Acme!", "holds '!'"),
        ("Acme-Co", "holds '-'"),
        ("Café", "holds 'é'"),
        ("+Acme", "'+' is allowed only in front of a numeric sender"),
        ("+", "'+' is allowed only in front of a numeric sender"),
    ],
)
def test_sender_just_outside_the_limits(given: str, why: str) -> None:
    text = refused(lambda: check_batch_message(batch(sender=given), CFG))
    assert text.startswith("sms_message.sender: ")
    assert why in text
    msgs = [message(), message(destination="447700900002", sender=given)]
    text = refused(lambda: check_messages(msgs, CFG))
    assert text.startswith("messages[1].sender: ")
    assert why in text


# -- content, tag, validity, ttl ----------------------------------------------------------------


def test_content_length_limit() -> None:
    assert check_batch_message(batch(content="x" * 1280), CFG).content == "x" * 1280
    assert check_batch_message(batch(content="€" * 1280), CFG).content == "€" * 1280
    text = refused(lambda: check_batch_message(batch(content="x" * 1281), CFG))
    assert text == "sms_message.content: is 1281 characters; the limit is 1280"
    msgs = [message(destination=n) for n in numbers(3)]
    msgs[2] = message(destination="447700900099", content="y" * 1281)
    assert refused(lambda: check_messages(msgs, CFG)).startswith("messages[2].content: is 1281")


@pytest.mark.parametrize("content", ["", " ", "\n\t "])
def test_empty_or_blank_content_is_refused(content: str) -> None:
    assert refused(lambda: check_batch_message(batch(content=content), CFG)) == (
        "sms_message.content: must not be empty"
    )
    assert refused(lambda: check_messages([message(content=content)], CFG)) == (
        "messages[0].content: must not be empty"
    )


def test_tag_length_limit() -> None:
    assert check_batch_message(batch(tag="t" * 280), CFG).tag == "t" * 280
    assert check_messages([message(tag="")], CFG)[0].tag == ""
    text = refused(lambda: check_batch_message(batch(tag="t" * 281), CFG))
    assert text == "sms_message.tag: is 281 characters; the limit is 280"
    assert refused(lambda: check_messages([message(tag="t" * 281)], CFG)).startswith(
        "messages[0].tag: is 281 characters"
    )


@pytest.mark.parametrize("validity", [1, 1440, 2880])
def test_validity_inside_the_range(validity: int) -> None:
    assert check_batch_message(batch(validity=validity), CFG).validity == validity


@pytest.mark.parametrize("validity", [0, -1, 2881])
def test_validity_outside_the_range(validity: int) -> None:
    text = refused(lambda: check_batch_message(batch(validity=validity), CFG))
    assert text == f"sms_message.validity: must be 1..2880 minutes, not {validity}"
    assert refused(lambda: check_messages([message(validity=validity)], CFG)).startswith(
        "messages[0].validity: must be 1..2880"
    )


def test_ttl_must_be_positive() -> None:
    assert check_batch_message(batch(ttl=1), CFG).ttl == 1
    assert check_batch_message(batch(ttl=100_000), CFG).ttl == 100_000
    for ttl in (0, -5):
        text = refused(lambda ttl=ttl: check_batch_message(batch(ttl=ttl), CFG))
        assert text.startswith(f"sms_message.ttl: must be a positive number of minutes, not {ttl}")
    assert refused(lambda: check_messages([message(ttl=0)], CFG)).startswith("messages[0].ttl:")


# -- deliveryreporturl, responseemail, metadata -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/dr",
        "http://localhost:8080/reports?key=abc",
        "HTTPS://EXAMPLE.COM",
        "https://[::1]:8443/x",
        "https://example.com/ünïcode/path",
    ],
)
def test_delivery_report_url_accepted(url: str) -> None:
    assert check_batch_message(batch(deliveryreporturl=url), CFG).deliveryreporturl == url
    assert check_messages([message(deliveryreporturl=url)], CFG)[0].deliveryreporturl == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        "example.com/dr",
        "ftp://example.com/dr",
        "https://",
        "https:///path-only",
        "https://exa mple.com/",
        "https://example.com/\r\nX-Injected: 1",
        "javascript:alert(1)",
        "https://[::1/",
    ],
)
def test_delivery_report_url_refused(url: str) -> None:
    text = refused(lambda: check_batch_message(batch(deliveryreporturl=url), CFG))
    assert text.startswith("sms_message.deliveryreporturl: ")
    assert "must be an http:// or https:// URL with a host name" in text
    text = refused(lambda: check_messages([message(), message(deliveryreporturl=url)], CFG))
    assert text.startswith("messages[1].deliveryreporturl: ")


def test_response_emails() -> None:
    ok = ["ops@example.com", "first.last+tag@mail.example.co.uk"]
    assert check_messages([message(responseemail=ok)], CFG)[0].responseemail == ok
    assert check_messages([message(responseemail=[])], CFG)[0].responseemail == []
    for bad in ["", "ops", "ops@example", "ops @example.com", "@example.com", "a@b@example.com"]:
        msgs = [message(responseemail=["ok@example.com", bad])]
        text = refused(lambda msgs=msgs: check_messages(msgs, CFG))
        assert text == f"messages[0].responseemail[1]: {bad!r} is not an e-mail address"


def test_metadata_needs_a_key_but_may_have_an_empty_value() -> None:
    pairs = [MetaData(key="campaign", value=""), MetaData(key="id", value="42")]
    assert check_messages([message(metadata=pairs)], CFG)[0].metadata == pairs
    for key in ("", "  "):
        msgs = [message(), message(metadata=[pairs[1], MetaData(key=key, value="x")])]
        text = refused(lambda msgs=msgs: check_messages(msgs, CFG))
        assert text == "messages[1].metadata[1].key: must not be empty"


# -- destinations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("447700900123", "447700900123"),
        ("+447700900123", "447700900123"),
        (" +44 7700 900123 ", "447700900123"),
        ("+44-7700-900-123", "447700900123"),
        ("+44 (0)7700 900123", "447700900123"),  # the UK trunk 0 after the country code
        ("+44(0)7700900123", "447700900123"),
        ("0044 7700 900123", "447700900123"),  # international call prefix
        ("0044 (0) 7700 900123", "447700900123"),
        ("07700 900123", "447700900123"),  # UK national mobile
        ("07700-900-123", "447700900123"),
        ("(07700) 900123", "447700900123"),
        ("07700.900.123", "447700900123"),
        ("07700\u00a0900123", "447700900123"),  # a no-break space from a spreadsheet
        ("+1 (555) 010-9999", "15550109999"),
        ("0033 6 12 34 56 78", "33612345678"),
        ("1234567", "1234567"),  # 7 digits: shortest accepted
        ("123456789012345", "123456789012345"),  # 15 digits: E.164's longest
        ("+123456789012345", "123456789012345"),
    ],
)
def test_destination_normalisation(given: str, sent: str) -> None:
    assert check_batch_message(batch(destinations=[given]), CFG).destinations == [sent]
    assert check_messages([message(destination=given)], CFG)[0].destination == sent
    assert normalize_destination(given) == sent


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("", "holds no digits"),
        ("   ", "holds no digits"),
        ("123456", "has 6 digits; a phone number in international form has 7 to 15"),
        ("1234567890123456", "has 16 digits"),
        ("+1234567890123456", "has 16 digits"),
        ("447700900123x", "holds 'x'"),
        ("44 7700 900123 ext 5", "holds 'e'"),
        ("44+7700900123", "holds '+'"),
        ("++447700900123", "holds '+'"),
        ("447700/900123", "holds '/'"),
        ("٤٤٧٧٠٠٩٠٠١٢٣", "holds '٤'"),  # digits, but not ASCII ones
        ("４４７７００９００１２３", "holds '４'"),
        ("+07700900123", "a 0 after '+'"),
        ("0007700900123", "a 0 after the international prefix 00"),
        ("0770090012", "looks like a UK mobile number but has 10 digits, not 11"),
        ("077009001234", "has 12 digits, not 11"),
        ("02079460000", "is a national number (leading 0)"),
        ("00123456", "has 6 digits"),
    ],
)
def test_destination_refused(given: str, why: str) -> None:
    dests = numbers(20)
    dests[17] = given
    text = refused(lambda: check_batch_message(batch(destinations=dests), CFG))
    assert text.startswith(f"sms_message.destinations[17]: {given!r} ")
    assert why in text
    msgs = [message(destination=n) for n in numbers(5)]
    msgs[3] = message(destination=given)
    text = refused(lambda: check_messages(msgs, CFG))
    assert text.startswith(f"messages[3].destination: {given!r} ")
    assert why in text


def test_uk_national_numbers_opt_out() -> None:
    cfg = config(normalize_uk_numbers=False)
    sent = check_batch_message(batch(destinations=["07700 900123", "07700900124"]), cfg)
    assert sent.destinations == ["07700900123", "07700900124"]
    assert check_messages([message(destination="07700900123")], cfg)[0].destination == (
        "07700900123"
    )
    # Only the UK rewrite is switched off: '+', '00' and separators are still handled.
    assert check_batch_message(batch(destinations=["+44 7700 900123"]), cfg).destinations == [
        "447700900123"
    ]
    assert normalize_destination("0044 7700 900123", normalize_uk_numbers=False) == "447700900123"
    assert normalize_destination("07700900123", normalize_uk_numbers=False) == "07700900123"


def test_normalize_destination_error_has_no_path() -> None:
    with pytest.raises(ApiValueError) as info:
        normalize_destination("12")
    assert str(info.value) == "'12' has 2 digits; a phone number in international form has 7 to 15"
    assert info.value.path_to_item is None


# -- duplicates -----------------------------------------------------------------------------


def test_duplicate_destinations_refused_by_default_with_their_indices() -> None:
    dests = numbers(50)
    dests[17] = "07700 900003"  # the same number as dests[3], written nationally
    dests[40] = "+447700900003"
    dests[45] = "447700900010"
    text = refused(lambda: check_batch_message(batch(destinations=dests), CFG))
    assert text.startswith(
        "sms_message.destinations[17]: 447700900003 appears 3 times (at destinations 3, 17, 40)"
    )
    assert "duplicate_destinations='drop'" in text


def test_duplicate_destinations_drop_keeps_the_first() -> None:
    cfg = config(duplicate_destinations="drop")
    dests = ["447700900001", "07700900002", "447700900001", "+447700900002", "447700900003"]
    checked, kept = check_batch(batch(destinations=dests), cfg)
    assert checked.destinations == ["447700900001", "447700900002", "447700900003"]
    assert kept == [0, 1, 4]
    assert check_batch_message(batch(destinations=dests), cfg).destinations == (
        checked.destinations
    )


def test_duplicate_destinations_allow_sends_them_all() -> None:
    cfg = config(duplicate_destinations="allow")
    dests = ["447700900001", "07700900001", "447700900001"]
    assert check_batch_message(batch(destinations=dests), cfg).destinations == ["447700900001"] * 3


def test_duplicate_messages_are_the_same_text_to_the_same_number() -> None:
    msgs = [
        message(destination="447700900001", content="Reminder 1"),
        message(destination="447700900001", content="Reminder 2"),  # a different text: fine
        message(destination="447700900002", content="Reminder 1"),
        message(destination="07700900001", content="Reminder 1"),  # repeats messages[0]
    ]
    text = refused(lambda: check_messages(msgs, CFG))
    assert text.startswith(
        "messages[3]: the same text to 447700900001 appears 2 times (at messages 0, 3)"
    )
    out, kept = check_message_list(msgs, config(duplicate_destinations="drop"))
    assert kept == [0, 1, 2]
    assert [m.content for m in out] == ["Reminder 1", "Reminder 2", "Reminder 1"]
    allowed = check_messages(msgs, config(duplicate_destinations="allow"))
    assert [m.destination for m in allowed] == ["447700900001"] * 2 + [
        "447700900002",
        "447700900001",
    ]


def test_unknown_duplicate_policy_is_refused() -> None:
    cfg = config(duplicate_destinations="ignore")
    text = refused(lambda: check_batch_message(batch(), cfg))
    assert text == (
        "configuration.duplicate_destinations: must be 'error', 'drop' or 'allow', not 'ignore'"
    )


# -- copies, the escape hatch, speed ------------------------------------------------------------


def test_normalising_returns_a_copy_and_leaves_the_input_alone() -> None:
    original = batch(sender="+447700900000", destinations=["07700 900001", "447700900002"])
    checked = check_batch_message(original, CFG)
    assert checked is not original
    assert original.destinations == ["07700 900001", "447700900002"]
    assert original.sender == "+447700900000"
    assert (checked.sender, checked.destinations) == ("447700900000", numbers(2, 1))

    msgs = [message(destination="447700900001"), message(destination="+447700900002")]
    out = check_messages(msgs, CFG)
    assert out is not msgs
    assert out[0] is msgs[0]  # unchanged messages are not copied
    assert out[1] is not msgs[1]
    assert msgs[1].destination == "+447700900002"
    assert out[1].destination == "447700900002"


def test_client_side_validation_false_skips_every_limit_and_normalisation() -> None:
    cfg = config(client_side_validation=False)
    wild = batch(
        sender="Not a valid sender!",
        destinations=["07700 900001", "07700 900001", "x"] * 2000,
        content="z" * 5000,
        tag="t" * 1000,
        validity=99_999,
        ttl=0,
        deliveryreporturl="not a url",
    )
    assert check_batch_message(wild, cfg) is wild
    assert check_batch_message(batch(destinations=[]), cfg).destinations == []
    msgs = [message(destination="+44 7700", content="", responseemail=["nope"])] * 6000
    assert check_messages(msgs, cfg) is msgs
    assert check_messages([], cfg) == []


def test_5000_messages_are_checked_without_revalidation_and_quickly() -> None:
    msgs = [
        message(
            destination=n,
            content=f"Hello {i}",
            tag="spring",
            validity=1440,
            deliveryreporturl="https://example.com/dr",
            responseemail=["ops@example.com"],
            metadata=[MetaData(key="id", value=str(i))],
        )
        for i, n in enumerate(numbers(5000))
    ]
    plain = batch(destinations=numbers(5000))
    best_messages = best_batch = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        assert check_messages(msgs, CFG) is msgs
        best_messages = min(best_messages, time.perf_counter() - started)
        started = time.perf_counter()
        assert check_batch_message(plain, CFG) is plain
        best_batch = min(best_batch, time.perf_counter() - started)
    # A few milliseconds on a laptop; the bound only catches a pathological slowdown (such as
    # per-item pydantic validation) on a loaded CI machine.
    assert best_messages < 0.25
    assert best_batch < 0.1


# -- through the API: a refused request sends nothing -------------------------------------------


def sent_body(transport: Any) -> Any:
    assert len(transport.calls) == 1
    return json.loads(transport.calls[0]["body"])


def test_batch_send_post_sends_the_normalised_body(fake: Fake) -> None:
    api, transport = fake(ACCEPTED)
    answer = api.batch_send_post(
        {
            "sender": "+447700900000",
            "destinations": ["07700 900001", "+44 7700 900002"],
            "content": "Hi",
        }
    )
    assert answer.batchid == "2586749"
    assert sent_body(transport) == {
        "sender": "447700900000",
        "destinations": ["447700900001", "447700900002"],
        "content": "Hi",
    }


def test_batch_any_post_sends_the_normalised_body(fake: Fake) -> None:
    api, transport = fake(ACCEPTED)
    api.batch_any_post(
        [
            message(destination="07700 900001"),
            {"sender": "Acme", "destination": "447700900002", "content": "Yo"},
        ]
    )
    body = sent_body(transport)
    assert [m["destination"] for m in body] == ["447700900001", "447700900002"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"destinations": numbers(5001)}, "sms_message.destinations: holds 5001 recipients"),
        ({"destinations": []}, "sms_message.destinations: must hold at least one recipient"),
        ({"sender": "AcmeWidgets1"}, "sms_message.sender: 'AcmeWidgets1' is 12 characters"),
        ({"content": "x" * 1281}, "sms_message.content: is 1281 characters"),
        ({"validity": 2881}, "sms_message.validity: must be 1..2880"),
        ({"destinations": [*numbers(17), "12345"]}, "sms_message.destinations[17]: '12345' has 5"),
        (
            {"destinations": [*numbers(3), "447700900001"]},
            "sms_message.destinations[3]: 447700900001 appears 2 times (at destinations 1, 3)",
        ),
    ],
)
def test_batch_send_post_refuses_before_sending(
    fake: Fake, fields: Dict[str, Any], expected: str
) -> None:
    api, transport = fake(ACCEPTED)
    values: Dict[str, Any] = {"sender": "Acme", "destinations": ["447700900001"], "content": "Hi"}
    values.update(fields)
    with pytest.raises(ApiValueError) as info:
        api.batch_send_post(values)
    assert str(info.value).startswith(expected)
    assert transport.calls == []


def test_batch_any_post_refuses_message_1234_before_sending(fake: Fake) -> None:
    api, transport = fake(ACCEPTED)
    msgs = [message(destination=n) for n in numbers(2000)]
    msgs[1234] = message(destination="447700901234", sender="Acme Ltd")
    with pytest.raises(ApiValueError) as info:
        api.batch_any_post(msgs)
    assert str(info.value).startswith("messages[1234].sender: 'Acme Ltd' holds ' '")
    assert info.value.path_to_item == ["messages", 1234, "sender"]
    assert transport.calls == []


def test_batch_schedule_post_is_checked_too(fake: Fake) -> None:
    api, transport = fake(SCHEDULED)
    with pytest.raises(ApiValueError) as info:
        api.batch_schedule_post(
            batch(destinations=["447700900001", "1"], schedule="2030-01-01T09:00:00Z")
        )
    assert str(info.value).startswith("sms_message.destinations[1]: '1' has 1 digits")
    assert transport.calls == []
    api.batch_schedule_post(batch(destinations=["07700 900001"], schedule="2030-01-01T09:00:00Z"))
    assert sent_body(transport)["destinations"] == ["447700900001"]


def test_escape_hatch_through_the_api_sends_what_it_is_given(fake: Fake) -> None:
    api, transport = fake(ACCEPTED, client_side_validation=False)
    api.batch_send_post(batch(sender="Acme Ltd!", destinations=["07700 900001"] * 2))
    assert sent_body(transport) == {
        "sender": "Acme Ltd!",
        "destinations": ["07700 900001", "07700 900001"],
        "content": "Hi",
    }


# -- properties -------------------------------------------------------------------------------

_NUMBERISH = st.text(alphabet="0123456789 -.()+\u00a0\t", max_size=24)


@given(_NUMBERISH, st.booleans())
def test_any_digits_and_separators_give_digits_or_a_clear_refusal(raw: str, uk: bool) -> None:
    try:
        number = normalize_destination(raw, normalize_uk_numbers=uk)
    except ApiValueError as exc:
        message = str(exc)
        number = ""
    else:
        message = ""
    if message:
        assert message.startswith(repr(raw) + " ")
        return
    assert number.isascii()
    assert number.isdigit()
    assert 7 <= len(number) <= 15
    assert normalize_destination(number, normalize_uk_numbers=uk) == number  # idempotent
    if uk:
        assert not number.startswith("0")


@given(st.text(max_size=20))
def test_any_text_gives_digits_or_a_refusal(raw: str) -> None:
    try:
        number = normalize_destination(raw)
    except ApiValueError:
        return
    assert number.isascii()
    assert number.isdigit()


@given(st.lists(st.from_regex(r"\+?(44|0)7[0-9]{3}[ -]?[0-9]{6}", fullmatch=True), max_size=30))
def test_what_the_client_accepts_the_sandbox_accepts(dests: List[str]) -> None:
    cfg = config(duplicate_destinations="drop")
    try:
        checked = check_batch_message(batch(destinations=dests or ["447700900001"]), cfg)
    except ApiValueError:
        return
    body = json.loads(checked.to_json())
    try:
        sandbox_validate.validate_batch(body, scheduled=False)
    except SandboxError as exc:  # pragma: no cover - the assertion message is the point
        pytest.fail(f"the sandbox refused what the client accepted: {exc}")
