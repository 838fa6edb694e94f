"""Segment counting, splitting, credit estimates and look-alikes (openapi_client.sms).

Every boundary of the GSM-7 and UCS-2 rules has an example test; the property tests compare the
module with a deliberately naive character-by-character splitter written here.
"""

import ast
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, List

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openapi_client import sms
from openapi_client.exceptions import ApiTypeError, ApiValueError
from openapi_client.models.batch_message import BatchMessage
from openapi_client.models.message import Message

# The 3GPP TS 23.038 default alphabet as published (position 0x1B is ESC).
FACTS_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
FACTS_EXTENSION = "\x0c^{}\\[~]|€"
BASIC = [c for c in FACTS_BASIC if c != "\x1b"]
EXTENSION = list(FACTS_EXTENSION)
GSM = set(BASIC) | set(EXTENSION)
CYRILLIC = "ж"  # one UTF-16 unit, not GSM
EMOJI = "😀"  # U+1F600: a surrogate pair, two UTF-16 units


# --- a naive reference splitter, one character at a time --------------------------------------


def naive_parts(text: str) -> List[str]:
    if set(text) <= GSM:
        width = [2 if c in FACTS_EXTENSION else 1 for c in text]
        single, multi = 160, 153
    else:
        width = [2 if ord(c) > 0xFFFF else 1 for c in text]
        single, multi = 70, 67
    if sum(width) <= single:
        return [text]
    parts, current, used = [], "", 0
    for char, w in zip(text, width):
        if used + w > multi:
            parts.append(current)
            current, used = "", 0
        current += char
        used += w
    parts.append(current)
    return parts


def units_of(part: str, encoding: str) -> int:
    if encoding == "GSM-7":
        return sum(2 if c in FACTS_EXTENSION else 1 for c in part)
    return len(part.encode("utf-16-le", "surrogatepass")) // 2


# --- tables -----------------------------------------------------------------------------------


def test_tables_match_the_standard() -> None:
    assert sms.GSM7_BASIC == FACTS_BASIC
    assert len(sms.GSM7_BASIC) == 128
    assert sms.GSM7_BASIC[0x02] == "$"
    assert sms.GSM7_BASIC[0x24] == "¤"
    assert sms.GSM7_BASIC[0x09] == "Ç"
    assert sms.GSM7_BASIC[0x1B] == "\x1b"
    assert sms.GSM7_EXTENSION == FACTS_EXTENSION
    assert len(set(sms.GSM7_EXTENSION)) == 10


def test_all_is_complete() -> None:
    public = {n for n in vars(sms) if not n.startswith("_")}
    exported = set(sms.__all__)
    assert exported <= public
    for name in ("count_segments", "split_parts", "estimate_credits", "lookalikes", "to_gsm"):
        assert name in exported
    assert {"SegmentCount", "CreditEstimate", "MessageEstimate", "Lookalike"} <= exported


# --- GSM-7 boundaries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4), (1280, 9)],
)
def test_gsm_boundaries(length: int, segments: int) -> None:
    text = "a" * length
    count = sms.count_segments(text)
    assert count == sms.SegmentCount("GSM-7", length, segments, (), length)
    parts = sms.split_parts(text)
    assert len(parts) == segments
    assert "".join(parts) == text
    if segments > 1:
        assert all(len(p) == 153 for p in parts[:-1])


def test_single_part_holds_160_septets_even_with_extension_chars() -> None:
    text = "a" * 150 + "€" * 5  # 160 septets in 155 characters
    count = sms.count_segments(text)
    assert (count.units, count.segments, count.characters) == (160, 1, 155)
    assert sms.split_parts(text) == [text]
    assert sms.count_segments(text + "a").segments == 2


def test_extension_char_straddling_the_153rd_septet_moves_to_the_next_part() -> None:
    text = "a" * 152 + "€" + "a" * 152
    count = sms.count_segments(text)
    assert count.units == 306  # ceil(306 / 153) would say 2 ...
    assert count.segments == 3  # ... but the ESC pair cannot be cut
    parts = sms.split_parts(text)
    assert parts == ["a" * 152, "€" + "a" * 151, "a"]


def test_extension_char_ending_exactly_at_153_stays() -> None:
    text = "a" * 151 + "€" + "a" * 10
    assert sms.split_parts(text) == ["a" * 151 + "€", "a" * 10]


@pytest.mark.parametrize("char", list(FACTS_EXTENSION))
def test_every_extension_char_counts_two(char: str) -> None:
    count = sms.count_segments("a" + char)
    assert count.encoding == "GSM-7"
    assert count.units == 3
    assert count.unsupported == ()
    assert sms.count_segments(char * 80).segments == 1  # 160 septets
    assert sms.count_segments(char * 81).segments == 2  # 162 septets
    assert [len(p) for p in sms.split_parts(char * 81)] == [76, 5]  # 76 pairs = 152 septets


def test_pound_is_one_septet_and_euro_two() -> None:
    assert sms.count_segments("£").units == 1
    assert sms.count_segments("€").units == 2
    assert sms.count_segments("£" * 160).segments == 1
    assert sms.count_segments("€" * 80 + "£").segments == 2
    assert sms.count_segments("$¤").units == 2


def test_line_breaks_are_basic_and_form_feed_is_extension() -> None:
    assert sms.count_segments("a\r\nb").units == 4
    assert sms.count_segments("a\x0cb") == sms.SegmentCount("GSM-7", 4, 1, (), 3)


# --- what forces UCS-2 ------------------------------------------------------------------------


def test_backtick_forces_ucs2() -> None:
    count = sms.count_segments("a" * 100 + "`")
    assert count == sms.SegmentCount("UCS-2", 101, 2, ("`",), 101)


@pytest.mark.parametrize("char", ["\x1b", "\t", "ç", "á", "\x7f", EMOJI, "’"])
def test_non_gsm_chars(char: str) -> None:
    count = sms.count_segments("Hi " + char)
    assert count.encoding == "UCS-2"
    assert count.unsupported == (char,)


def test_capital_c_cedilla_is_gsm() -> None:
    assert sms.count_segments("Ça va").encoding == "GSM-7"
    assert sms.count_segments("ça va").encoding == "UCS-2"


def test_unsupported_lists_each_culprit_once_in_order() -> None:
    text = "Don’t miss it 😀 ’ `x` ’ 😀 ж"
    assert sms.count_segments(text).unsupported == ("’", EMOJI, "`", CYRILLIC)


# --- UCS-2 boundaries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (1280, 20)],
)
def test_ucs2_boundaries(length: int, segments: int) -> None:
    text = CYRILLIC * length
    count = sms.count_segments(text)
    assert count == sms.SegmentCount("UCS-2", length, segments, (CYRILLIC,), length)
    parts = sms.split_parts(text)
    assert len(parts) == segments
    assert "".join(parts) == text
    if segments > 1:
        assert all(len(p) == 67 for p in parts[:-1])


def test_emoji_counts_two_units() -> None:
    count = sms.count_segments(EMOJI * 35)
    assert (count.units, count.characters, count.segments) == (70, 35, 1)
    assert sms.count_segments(EMOJI * 35 + "a").segments == 2


def test_emoji_at_a_part_boundary_is_never_split() -> None:
    text = CYRILLIC * 66 + EMOJI + CYRILLIC * 66
    count = sms.count_segments(text)
    assert count.units == 134  # ceil(134 / 67) would say 2 ...
    assert count.segments == 3  # ... but the surrogate pair moves whole to part 2
    assert sms.split_parts(text) == [CYRILLIC * 66, EMOJI + CYRILLIC * 65, CYRILLIC]


def test_emoji_ending_exactly_at_67_stays() -> None:
    text = CYRILLIC * 65 + EMOJI + CYRILLIC * 10
    assert sms.split_parts(text) == [CYRILLIC * 65 + EMOJI, CYRILLIC * 10]


def test_1280_char_content_is_fast() -> None:
    text = ("Your appointment is on Monday at 10:00. Reply YES to confirm. " * 21)[:1280]
    count = sms.count_segments(text)
    assert (count.encoding, count.units, count.segments) == ("GSM-7", 1280, 9)
    started = time.perf_counter()
    for _ in range(1000):
        sms.count_segments(text)
    per_call = (time.perf_counter() - started) / 1000
    assert per_call < 500e-6  # microseconds in practice; generous for a busy or traced run


# --- refused input ----------------------------------------------------------------------------


@pytest.mark.parametrize("func", [sms.count_segments, sms.split_parts])
def test_empty_text_refused(func: Any) -> None:
    with pytest.raises(ApiValueError, match="text: must not be empty") as info:
        func("")
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("func", [sms.count_segments, sms.split_parts, sms.lookalikes, sms.to_gsm])
@pytest.mark.parametrize("value", [None, b"hi", 42, ["hi"]])
def test_non_str_refused(func: Any, value: Any) -> None:
    with pytest.raises(TypeError, match="must be a str") as info:
        func(value)
    assert isinstance(info.value, ApiTypeError)


# --- credits ----------------------------------------------------------------------------------


UK = "447700900001"
FR = "33612345678"


def test_batch_dict_uk_and_international() -> None:
    est = sms.estimate_credits({"content": "a" * 161, "destinations": [UK, FR, "+447700900002"]})
    assert est.is_estimate is True
    assert (est.messages, est.segments, est.credits) == (3, 6, 8.0)
    assert [r.credits for r in est.per_message] == [2.0, 4.0, 2.0]
    assert [r.international for r in est.per_message] == [False, True, False]
    assert [r.destination for r in est.per_message] == [UK, FR, "+447700900002"]
    assert {r.encoding for r in est.per_message} == {"GSM-7"}


def test_custom_multiplier_and_prefix() -> None:
    batch = {"content": "Hi", "destinations": [UK, FR, " +33612345679"]}
    est = sms.estimate_credits(batch, international_multiplier=2.5)
    assert est.credits == 6.0
    est = sms.estimate_credits(batch, international_multiplier=1.5, uk_prefix="33")
    assert [r.credits for r in est.per_message] == [1.5, 1.0, 1.0]
    assert sms.estimate_credits(batch, international_multiplier=0).credits == 1.0


def test_real_batch_message_model() -> None:
    batch = BatchMessage(sender="Acme", destinations=[UK, FR], content="Price: 5€ 😀")
    est = sms.estimate_credits(batch)
    assert [r.encoding for r in est.per_message] == ["UCS-2", "UCS-2"]
    assert (est.segments, est.credits) == (2, 3.0)


def test_batch_message_like_object() -> None:
    @dataclass
    class Batch:
        content: str
        destinations: List[str]

    est = sms.estimate_credits(Batch("ж" * 71, [UK, FR]))
    assert (est.messages, est.segments, est.credits) == (2, 4, 6.0)


def test_list_of_message_models_and_likes_and_dicts() -> None:
    messages: List[Any] = [
        Message(sender="Acme", destination=UK, content="Hello"),
        SimpleNamespace(destination=FR, content="a" * 200),
        {"destination": "+447700900003", "content": "Don’t"},
        {"destination": 447700900004, "content": "Hello"},  # a number, as JSON may carry it
    ]
    est = sms.estimate_credits(messages, international_multiplier=3)
    assert [(r.destination, r.encoding, r.segments, r.credits) for r in est.per_message] == [
        (UK, "GSM-7", 1, 1.0),
        (FR, "GSM-7", 2, 6.0),
        ("+447700900003", "UCS-2", 1, 1.0),
        ("447700900004", "GSM-7", 1, 1.0),
    ]
    assert (est.messages, est.segments, est.credits) == (4, 5, 9.0)


def test_single_message_and_generator_accepted() -> None:
    one = sms.estimate_credits({"destination": FR, "content": "Hi"})
    assert (one.messages, one.credits) == (1, 2.0)
    gen = sms.estimate_credits({"destination": UK, "content": "Hi"} for _ in range(3))
    assert (gen.messages, gen.credits) == (3, 3.0)


def test_empty_lists_cost_nothing() -> None:
    assert sms.estimate_credits([]) == sms.CreditEstimate((), 0, 0, 0.0, True)
    assert sms.estimate_credits({"content": "Hi", "destinations": []}).credits == 0.0


def test_fractional_totals_are_exact_sums() -> None:
    est = sms.estimate_credits(
        {"content": "Hi", "destinations": [FR] * 10}, international_multiplier=0.1
    )
    assert est.credits == 1.0  # math.fsum, not ten rounding errors
    assert est.credits == math.fsum(r.credits for r in est.per_message)


def test_batch_counts_content_once_and_is_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    destinations = [f"4477009{i:05d}" if i % 3 else f"3361234{i:05d}" for i in range(5000)]
    batch = BatchMessage(sender="Acme", destinations=destinations, content="a" * 1280)
    calls = []
    real = sms.count_segments

    def counting(text: str) -> sms.SegmentCount:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(sms, "count_segments", counting)
    est = sms.estimate_credits(batch)
    assert len(calls) == 1
    assert est.messages == 5000
    assert est.segments == 5000 * 9
    assert est.credits == 9 * (3333 + 1667 * 2)
    monkeypatch.undo()
    best = min(_timed(sms.estimate_credits, batch) for _ in range(5))
    assert best < 0.05  # ~4 ms here; the bound leaves room for coverage tracing and load


def test_message_list_counts_each_distinct_content_once(monkeypatch: pytest.MonkeyPatch) -> None:
    messages = [{"destination": UK, "content": "same"} for _ in range(100)]
    messages.append({"destination": UK, "content": "other"})
    calls = []
    real = sms.count_segments
    monkeypatch.setattr(sms, "count_segments", lambda t: calls.append(t) or real(t))
    assert sms.estimate_credits(messages).messages == 101
    assert calls == ["same", "other"]


def _timed(func: Any, arg: Any) -> float:
    started = time.perf_counter()
    func(arg)
    return time.perf_counter() - started


@pytest.mark.parametrize(
    ("batch", "error", "message"),
    [
        (
            {"content": "", "destinations": [UK]},
            ApiValueError,
            r"batch\.content: must not be empty",
        ),
        ({"destinations": [UK]}, ApiValueError, r"batch\.content: is required"),
        ({"content": 5, "destinations": [UK]}, ApiTypeError, r"batch\.content: must be a str"),
        (
            {"content": "x", "destinations": None},
            ApiValueError,
            r"batch\.destinations: is required",
        ),
        (
            {"content": "x", "destinations": UK},
            ApiTypeError,
            r"batch\.destinations: must be a list",
        ),
        (
            {"content": "x", "destinations": [UK, 4.5]},
            ApiTypeError,
            r"batch\.destinations\[1\]: must be a str",
        ),
        (
            [{"destination": UK, "content": "x"}, {"destination": UK, "content": ""}],
            ApiValueError,
            r"messages\[1\]\.content: must not be empty",
        ),
        ([{"content": "x"}], ApiValueError, r"messages\[0\]\.destination: is required"),
        ([{"destination": True, "content": "x"}], ApiTypeError, r"messages\[0\]\.destination"),
        ({"content": "x"}, ApiValueError, r"batch: a dict needs 'destinations'"),
        ("447700900001", ApiTypeError, r"batch: must be a BatchMessage"),
        (42, ApiTypeError, r"batch: must be a BatchMessage"),
    ],
)
def test_estimate_refuses_bad_input(batch: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        sms.estimate_credits(batch)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"international_multiplier": -1}, ApiValueError),
        ({"international_multiplier": float("nan")}, ApiValueError),
        ({"international_multiplier": float("inf")}, ApiValueError),
        ({"international_multiplier": "2"}, ApiTypeError),
        ({"international_multiplier": True}, ApiTypeError),
        ({"uk_prefix": ""}, ApiValueError),
        ({"uk_prefix": 44}, ApiTypeError),
    ],
)
def test_estimate_refuses_bad_options(kwargs: Any, error: type) -> None:
    with pytest.raises(error):
        sms.estimate_credits({"content": "x", "destinations": [UK]}, **kwargs)


# --- look-alikes ------------------------------------------------------------------------------


def test_curly_apostrophe_text_becomes_gsm() -> None:
    text = "Don’t forget: it’s tomorrow at 10:00 – see you…"
    assert sms.count_segments(text).encoding == "UCS-2"
    fixed = sms.to_gsm(text)
    assert fixed == "Don't forget: it's tomorrow at 10:00 - see you..."
    assert sms.count_segments(fixed) == sms.SegmentCount("GSM-7", len(fixed), 1, (), len(fixed))


def test_lookalikes_report_name_replacement_and_positions() -> None:
    found = sms.lookalikes("“Hi”\u00a0it’s…’")
    assert found == [
        sms.Lookalike("“", '"', "LEFT DOUBLE QUOTATION MARK", (0,)),
        sms.Lookalike("”", '"', "RIGHT DOUBLE QUOTATION MARK", (3,)),
        sms.Lookalike("\u00a0", " ", "NO-BREAK SPACE", (4,)),
        sms.Lookalike("’", "'", "RIGHT SINGLE QUOTATION MARK", (7, 10)),
        sms.Lookalike("…", "...", "HORIZONTAL ELLIPSIS", (9,)),
    ]


def test_lookalikes_none_and_empty() -> None:
    assert sms.lookalikes("Plain text £5") == []
    assert sms.lookalikes("") == []
    assert sms.to_gsm("") == ""


def test_to_gsm_specific_replacements() -> None:
    # cedilla, tab, em dash, minus sign, zero-width space (removed), bullet, backtick
    assert sms.to_gsm("ç\t—\u2212\u200b•`") == "Ç ---'"
    assert sms.to_gsm("\u2028\u2029\u00ad") == "\n\n"


def test_to_gsm_keeps_real_non_gsm_text() -> None:
    text = "It’s 😀"
    fixed = sms.to_gsm(text)
    assert fixed == "It's 😀"
    assert sms.count_segments(fixed).unsupported == (EMOJI,)


def test_lookalike_table_is_sound() -> None:
    assert sms.LOOKALIKES["’"] == "'"
    for char, replacement in sms.LOOKALIKES.items():
        assert char not in GSM, f"{char!r} is GSM already"
        assert set(replacement) <= set(BASIC), f"{char!r} -> {replacement!r} is not basic GSM"
    with pytest.raises(TypeError):
        sms.LOOKALIKES["x"] = "y"  # type: ignore[index]


# --- properties -------------------------------------------------------------------------------

gsm_chars = st.one_of(st.sampled_from(BASIC), st.sampled_from(EXTENSION))
any_chars = st.one_of(
    st.sampled_from(BASIC),
    st.sampled_from(EXTENSION),
    st.characters(codec="utf-8"),  # any code point a JSON body can carry, astral included
    st.sampled_from([EMOJI, "𝄞", "’", "ж"]),
)
texts = st.one_of(
    st.text(gsm_chars, min_size=1, max_size=700),
    st.text(any_chars, min_size=1, max_size=400),
)


@given(texts)
def test_split_properties(text: str) -> None:
    count = sms.count_segments(text)
    parts = sms.split_parts(text)
    assert count.segments >= 1
    assert "".join(parts) == text
    assert count.segments == len(parts)
    assert count.characters == len(text)
    assert count.encoding == ("GSM-7" if set(text) <= GSM else "UCS-2")
    sizes = [units_of(p, count.encoding) for p in parts]
    assert sum(sizes) == count.units
    single, multi = (160, 153) if count.encoding == "GSM-7" else (70, 67)
    assert max(sizes) <= (single if len(parts) == 1 else multi)
    assert all(p for p in parts)
    assert parts == naive_parts(text)
    assert count.unsupported == tuple(dict.fromkeys(c for c in text if c not in GSM))


lookalike_texts = st.text(
    st.one_of(
        st.sampled_from(BASIC), st.sampled_from(EXTENSION), st.sampled_from(list(sms.LOOKALIKES))
    ),
    min_size=1,
    max_size=300,
)


@given(lookalike_texts)
def test_to_gsm_turns_lookalike_only_text_into_gsm(text: str) -> None:
    found = sms.lookalikes(text)
    for item in found:
        assert all(text[i] == item.char for i in item.positions)
    assert sum(len(item.positions) for item in found) == sum(c in sms.LOOKALIKES for c in text)
    fixed = sms.to_gsm(text)
    assert sms.lookalikes(fixed) == []
    if fixed:  # a text of zero-width characters only becomes empty
        assert sms.count_segments(fixed).encoding == "GSM-7"


def test_module_needs_only_the_standard_library() -> None:
    stdlib = getattr(sys, "stdlib_module_names", None)
    if stdlib is None:  # Python 3.9 has no list to compare with
        pytest.skip("sys.stdlib_module_names needs Python 3.10+")
    tree = ast.parse(Path(sms.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    assert imported
    assert imported <= set(stdlib)
