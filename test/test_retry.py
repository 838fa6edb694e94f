"""Unit tests of the retry decision in openapi_client._retry (no network, no clock)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st
from urllib3.util.retry import Retry

from openapi_client._retry import (
    Attempt,
    Decision,
    FailureKind,
    RetryPolicy,
    backoff_schedule,
    parse_retry_after,
)

K = FailureKind
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc).timestamp()


def at_bottom() -> float:
    return 0.0


def at_top() -> float:
    return 0.9999999


def decide(
    method: str,
    kind: FailureKind,
    status: Optional[int] = None,
    *,
    number: int = 1,
    retry_after: Optional[str] = None,
    policy: Optional[RetryPolicy] = None,
) -> Decision:
    policy = policy or RetryPolicy()
    attempt = Attempt(method, number, kind, status=status, retry_after=retry_after)
    return policy.decide(attempt, rng=at_top, now=NOW)


# --------------------------------------------------------------------------- kinds x methods

TRANSPORT_TABLE = [
    # method, kind, retried?
    ("GET", K.CONNECT, True),
    ("GET", K.CONNECT_TIMEOUT, True),
    ("GET", K.READ_TIMEOUT, True),
    ("GET", K.DROPPED, True),
    ("DELETE", K.CONNECT, True),
    ("DELETE", K.CONNECT_TIMEOUT, True),
    ("DELETE", K.READ_TIMEOUT, True),
    ("DELETE", K.DROPPED, True),
    ("HEAD", K.READ_TIMEOUT, True),
    ("PUT", K.DROPPED, True),
    ("OPTIONS", K.DROPPED, True),
    ("POST", K.CONNECT, True),
    ("POST", K.CONNECT_TIMEOUT, True),
    ("POST", K.READ_TIMEOUT, False),
    ("POST", K.DROPPED, False),
    ("PATCH", K.CONNECT, True),
    ("PATCH", K.CONNECT_TIMEOUT, True),
    ("PATCH", K.READ_TIMEOUT, False),
    ("PATCH", K.DROPPED, False),
]


@pytest.mark.parametrize(("method", "kind", "retried"), TRANSPORT_TABLE)
def test_transport_failures_by_method(method: str, kind: FailureKind, retried: bool) -> None:
    d = decide(method, kind)
    assert d.retry is retried
    if retried:
        assert d.wait > 0
        assert method in d.reason
        assert "attempt 1 of 3" in d.reason
    else:
        assert d.wait == 0.0
        assert "idempotency key" in d.reason


@pytest.mark.parametrize("method", ["get", "Post", "delete"])
def test_method_case_is_ignored(method: str) -> None:
    upper = decide(method.upper(), K.READ_TIMEOUT)
    assert decide(method, K.READ_TIMEOUT).retry is upper.retry


# ---------------------------------------------------------------------------------- statuses

STATUS_TABLE = [
    # status, retried on GET/DELETE, retried on POST
    (429, True, True),
    (500, False, False),
    (502, True, False),
    (503, True, False),
    (504, True, False),
    (400, False, False),
    (401, False, False),
    (402, False, False),
    (404, False, False),
    (409, False, False),
]


@pytest.mark.parametrize(("status", "on_safe", "on_post"), STATUS_TABLE)
@pytest.mark.parametrize("method", ["GET", "DELETE", "POST"])
def test_statuses_by_method(status: int, on_safe: bool, on_post: bool, method: str) -> None:
    expected = on_post if method == "POST" else on_safe
    d = decide(method, K.STATUS, status)
    assert d.retry is expected
    assert str(status) in d.reason
    if not expected:
        assert d.wait == 0.0


def test_post_5xx_reason_explains_the_duplicate_risk() -> None:
    d = decide("POST", K.STATUS, 503)
    assert not d.retry
    assert "may have been processed" in d.reason


def test_non_retryable_status_reason() -> None:
    d = decide("GET", K.STATUS, 404)
    assert d.reason == "404 on GET is not a retryable status"


def test_500_becomes_retryable_on_get_when_listed() -> None:
    policy = RetryPolicy(retry_statuses=frozenset({500, 503}))
    assert decide("GET", K.STATUS, 500, policy=policy).retry
    assert not decide("POST", K.STATUS, 500, policy=policy).retry
    assert not decide("GET", K.STATUS, 429, policy=policy).retry


def test_post_429_needs_429_in_the_list() -> None:
    policy = RetryPolicy(retry_statuses=frozenset({503}))
    assert not decide("POST", K.STATUS, 429, policy=policy).retry


def test_post_opt_in_makes_post_replayable() -> None:
    policy = RetryPolicy(idempotent_methods=frozenset({"GET", "post"}))
    assert "POST" in policy.idempotent_methods
    assert decide("POST", K.READ_TIMEOUT, policy=policy).retry
    assert decide("POST", K.STATUS, 503, policy=policy).retry
    # DELETE was left out of this set, so it now follows the never-replay rule.
    assert not decide("DELETE", K.DROPPED, policy=policy).retry


# --------------------------------------------------------------------------- attempt limits


@pytest.mark.parametrize(
    ("total", "number", "retried"),
    [
        (2, 1, True),
        (2, 2, True),
        (2, 3, False),
        (2, 4, False),
        (0, 1, False),
        (1, 1, True),
        (1, 2, False),
        (5, 5, True),
        (5, 6, False),
    ],
)
@pytest.mark.parametrize(
    ("method", "kind", "status"), [("GET", K.STATUS, 503), ("POST", K.CONNECT, None)]
)
def test_attempt_limit(
    total: int, number: int, retried: bool, method: str, kind: FailureKind, status: Optional[int]
) -> None:
    d = decide(method, kind, status, number=number, policy=RetryPolicy(total=total))
    assert d.retry is retried
    assert f"attempt {number} of {total + 1}" in d.reason
    if not retried:
        assert "no retries left" in d.reason
        assert d.wait == 0.0


def test_refusal_wins_over_exhaustion_in_reason() -> None:
    d = decide("POST", K.DROPPED, number=9)
    assert not d.retry
    assert "idempotency key" in d.reason


def test_reason_format() -> None:
    policy = RetryPolicy(jitter=0.0)
    d = decide("GET", K.STATUS, 503, policy=policy)
    assert d == Decision(True, 0.5, "503 on GET, attempt 1 of 3, waiting 0.50 s")
    d = decide("GET", K.READ_TIMEOUT, number=2, policy=policy)
    assert d.reason == "read timeout on GET, attempt 2 of 3, waiting 1.00 s"


# -------------------------------------------------------------------------- backoff & jitter


def test_backoff_growth_and_cap() -> None:
    policy = RetryPolicy(total=8, jitter=0.0)
    waits = [decide("GET", K.CONNECT, number=n, policy=policy).wait for n in range(1, 9)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]
    assert backoff_schedule(policy) == waits


def test_backoff_schedule_of_defaults() -> None:
    assert backoff_schedule(RetryPolicy()) == [0.5, 1.0]
    assert backoff_schedule(RetryPolicy(total=0)) == []
    assert backoff_schedule(RetryPolicy(total=3, backoff_initial=1.0, backoff_max=3.0)) == [
        1.0,
        2.0,
        3.0,
    ]


def test_backoff_survives_huge_attempt_numbers() -> None:
    policy = RetryPolicy(total=10_000)
    assert policy.backoff(10_000) == policy.backoff_max
    d = policy.decide(Attempt("GET", 10_000, K.DROPPED), rng=at_top)
    assert d.retry
    assert 0 <= d.wait <= policy.backoff_max


@pytest.mark.parametrize(
    ("jitter", "number", "low", "high"),
    [
        (0.5, 1, 0.25, 0.5),  # equal jitter: half to all of the base
        (0.5, 3, 1.0, 2.0),
        (0.5, 9, 4.0, 8.0),
        (1.0, 1, 0.0, 0.5),  # full jitter
        (1.0, 6, 0.0, 8.0),
        (0.0, 2, 1.0, 1.0),  # none
    ],
)
def test_jitter_bounds(jitter: float, number: int, low: float, high: float) -> None:
    policy = RetryPolicy(total=10, jitter=jitter)
    attempt = Attempt("GET", number, K.CONNECT)
    bottom = policy.decide(attempt, rng=at_bottom).wait
    top = policy.decide(attempt, rng=at_top).wait
    assert bottom == pytest.approx(low)
    assert top == pytest.approx(high, abs=1e-5)
    assert low <= bottom <= top <= high
    assert top <= policy.backoff_max


@pytest.mark.parametrize("value", [-3.0, 7.0])
def test_rng_out_of_range_is_clamped(value: float) -> None:
    d = RetryPolicy().decide(Attempt("GET", 1, K.CONNECT), rng=lambda: value)
    assert 0.25 <= d.wait <= 0.5


def test_default_rng_is_random_but_bounded() -> None:
    policy = RetryPolicy()
    waits = {policy.decide(Attempt("GET", 2, K.CONNECT)).wait for _ in range(50)}
    assert all(0.5 <= w <= 1.0 for w in waits)
    assert len(waits) > 1


# ------------------------------------------------------------------------------ Retry-After


def http_date(offset: float) -> str:
    return format_datetime(datetime.fromtimestamp(NOW + offset, tz=timezone.utc), usegmt=True)


RETRY_AFTER_TABLE = [
    # header, retried, wait (None: the jittered backoff, 0.5 with rng at_top)
    ("5", True, 5.0),
    (" 12 ", True, 12.0),
    ("0", True, 0.5),  # backoff is longer than the server asked for
    ("60", True, 60.0),  # exactly the cap
    ("61", False, 0.0),  # over the cap
    ("3600", False, 0.0),
    ("99999999999999999999", False, 0.0),
    ("-5", True, 0.5),  # negative -> 0 -> backoff wins
    ("1.5", True, 1.5),
    ("soon", True, 0.5),  # garbage -> ignored
    ("", True, 0.5),
    ("5 seconds", True, 0.5),
    ("inf", True, 0.5),
    ("nan", True, 0.5),
    (http_date(30), True, 30.0),
    (http_date(60), True, 60.0),
    (http_date(600), False, 0.0),
    (http_date(-600), True, 0.5),  # in the past -> 0
    ("Wed, 01 May 2024 12:00:20 -0000", True, 20.0),  # naive date read as GMT
    ("Wed, 32 Foo 2024 99:00:00 GMT", True, 0.5),
]


@pytest.mark.parametrize(("header", "retried", "wait"), RETRY_AFTER_TABLE)
@pytest.mark.parametrize(("method", "status"), [("GET", 503), ("GET", 429), ("POST", 429)])
def test_retry_after(header: str, retried: bool, wait: float, method: str, status: int) -> None:
    d = decide(method, K.STATUS, status, retry_after=header)
    assert d.retry is retried
    assert d.wait == pytest.approx(wait, abs=1e-5)
    if not retried:
        assert "Retry-After" in d.reason
        assert "limit" in d.reason
    elif wait > 0.5:
        assert d.reason.endswith("(Retry-After)")


def test_retry_after_ignored_on_non_status_kinds() -> None:
    attempt = Attempt("GET", 1, K.READ_TIMEOUT, retry_after="3600")
    d = RetryPolicy().decide(attempt, rng=at_top)
    assert d.retry
    assert d.wait == pytest.approx(0.5)


def test_retry_after_does_not_make_a_status_retryable() -> None:
    assert not decide("GET", K.STATUS, 500, retry_after="1").retry
    assert not decide("POST", K.STATUS, 503, retry_after="1").retry


def test_retry_after_can_be_switched_off() -> None:
    policy = RetryPolicy(respect_retry_after=False)
    d = decide("GET", K.STATUS, 503, retry_after="3600", policy=policy)
    assert d.retry
    assert d.wait == pytest.approx(0.5)


def test_retry_after_cap_is_configurable() -> None:
    policy = RetryPolicy(retry_after_max=600.0)
    assert decide("GET", K.STATUS, 429, retry_after="300", policy=policy).wait == 300.0


def test_retry_after_exhausted_attempts_still_stop() -> None:
    d = decide("GET", K.STATUS, 429, number=3, retry_after="1")
    assert not d.retry
    assert "no retries left" in d.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("7", 7.0),
        ("+7", 7.0),
        ("-7", 0.0),
        ("abc", None),
        (http_date(45), 45.0),
        (http_date(-45), 0.0),
    ],
)
def test_parse_retry_after(value: Optional[str], expected: Optional[float]) -> None:
    got = parse_retry_after(value, now=NOW)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_parse_retry_after_uses_the_clock_by_default() -> None:
    far = format_datetime(datetime(2999, 1, 1, tzinfo=timezone.utc), usegmt=True)
    got = parse_retry_after(far)
    assert got is not None
    assert got > 365 * 24 * 3600


# ------------------------------------------------------------------------ argument checking


@pytest.mark.parametrize(
    "kwargs",
    [
        {"total": -1},
        {"backoff_initial": -0.1},
        {"backoff_max": -1.0},
        {"retry_after_max": -1.0},
        {"backoff_max": float("inf")},
        {"backoff_initial": float("nan")},
        {"jitter": -0.1},
        {"jitter": 1.5},
    ],
)
def test_policy_rejects_bad_values(kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        RetryPolicy(**kwargs)


@pytest.mark.parametrize("total", [True, 2.0, "2"])
def test_policy_total_must_be_int(total: object) -> None:
    with pytest.raises(TypeError):
        RetryPolicy(total=total)  # type: ignore[arg-type]


def test_policy_normalises_collections() -> None:
    policy = RetryPolicy(
        retry_statuses={503},  # type: ignore[arg-type]
        idempotent_methods=["get", "Delete"],  # type: ignore[arg-type]
    )
    assert policy.retry_statuses == frozenset({503})
    assert policy.idempotent_methods == frozenset({"GET", "DELETE"})
    assert hash(policy)


def test_policy_is_immutable() -> None:
    policy = RetryPolicy()
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.total = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"number": 0, "kind": K.CONNECT}, "attempt number"),
        ({"number": 1, "kind": K.STATUS}, "needs a status"),
        ({"number": 1, "kind": "bogus"}, "bogus"),
    ],
)
def test_attempt_rejects_bad_values(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=message):
        Attempt(method="GET", **kwargs)


def test_attempt_accepts_kind_as_string() -> None:
    attempt = Attempt("GET", 1, "read_timeout")  # type: ignore[arg-type]
    assert attempt.kind is K.READ_TIMEOUT
    assert K.READ_TIMEOUT.value == "read_timeout"


def test_defaults() -> None:
    policy = RetryPolicy()
    assert policy.total == 2
    assert policy.backoff_initial == 0.5
    assert policy.backoff_max == 8.0
    assert policy.retry_after_max == 60.0
    assert policy.jitter == 0.5
    assert policy.retry_statuses == frozenset({429, 502, 503, 504})
    assert "POST" not in policy.idempotent_methods
    assert policy.idempotent_methods == frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})
    assert policy.respect_retry_after is True


# ----------------------------------------------------------------------------- from_setting


def test_from_setting_none_int_bool_policy() -> None:
    assert RetryPolicy.from_setting(None) == RetryPolicy()
    assert RetryPolicy.from_setting(5) == RetryPolicy(total=5)
    assert RetryPolicy.from_setting(0).total == 0
    assert RetryPolicy.from_setting(False).total == 0
    assert RetryPolicy.from_setting(True) == RetryPolicy()
    mine = RetryPolicy(total=7, jitter=1.0)
    assert RetryPolicy.from_setting(mine) is mine


def test_from_setting_zero_disables() -> None:
    policy = RetryPolicy.from_setting(0)
    d = policy.decide(Attempt("GET", 1, K.CONNECT))
    assert not d.retry


def test_from_setting_negative_int() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        RetryPolicy.from_setting(-1)


@pytest.mark.parametrize("value", [1.5, "3", [1], {"total": 3}])
def test_from_setting_wrong_type(value: object) -> None:
    with pytest.raises(TypeError, match="retries must be"):
        RetryPolicy.from_setting(value)  # type: ignore[arg-type]


def test_from_setting_urllib3_default_retry() -> None:
    policy = RetryPolicy.from_setting(Retry())
    # Retry() allows 10 tries in total; its other defaults are too long-winded for an SDK
    # call and its empty status list means "no opinion", so ours are kept.
    assert policy.total == 10
    assert policy.backoff_initial == 0.5
    assert policy.backoff_max == 8.0
    assert policy.retry_after_max == 60.0
    assert policy.retry_statuses == RetryPolicy().retry_statuses
    assert "POST" not in policy.idempotent_methods
    assert "TRACE" in policy.idempotent_methods  # urllib3's default list, taken as given
    assert policy.respect_retry_after


def test_from_setting_urllib3_full_mapping() -> None:
    retry = Retry(
        total=4,
        backoff_factor=0.2,
        backoff_max=3.0,
        status_forcelist=[500, 503],
        allowed_methods=["get", "DELETE"],
        respect_retry_after_header=False,
    )
    policy = RetryPolicy.from_setting(retry)
    assert policy.total == 4
    assert policy.backoff_initial == 0.2
    assert policy.backoff_max == 3.0
    assert policy.retry_statuses == frozenset({500, 503})
    assert policy.idempotent_methods == frozenset({"GET", "DELETE"})
    assert policy.respect_retry_after is False
    assert backoff_schedule(policy) == [0.2, 0.4, 0.8, 1.6]


def test_from_setting_urllib3_retry_after_max() -> None:
    if hasattr(Retry, "DEFAULT_RETRY_AFTER_MAX"):
        policy = RetryPolicy.from_setting(Retry(total=1, retry_after_max=15))
        assert policy.retry_after_max == 15.0
    else:  # pragma: no cover - urllib3 before 2.6 has no such setting
        assert RetryPolicy.from_setting(Retry(total=1)).retry_after_max == 60.0


@pytest.mark.parametrize(
    ("retry", "total"),
    [
        (Retry(total=False), 0),
        (Retry(total=0), 0),
        (Retry(total=None), 2),
        (Retry(total=None, connect=3, read=1), 3),
        (Retry(total=None, status=5), 5),
        (Retry(total=3).increment(), 2),
        (Retry(total=0, raise_on_status=False).new(total=-1), 0),
    ],
)
def test_from_setting_urllib3_totals(retry: Retry, total: int) -> None:
    assert RetryPolicy.from_setting(retry).total == total


def test_from_setting_urllib3_post_stays_protected_by_default() -> None:
    # allowed_methods=None means "every method" to urllib3; replaying a POST must be asked
    # for by name, so the default set is kept.
    policy = RetryPolicy.from_setting(Retry(total=3, allowed_methods=None))
    assert policy.idempotent_methods == RetryPolicy().idempotent_methods
    assert not policy.decide(Attempt("POST", 1, K.READ_TIMEOUT)).retry


def test_from_setting_urllib3_post_opt_in() -> None:
    policy = RetryPolicy.from_setting(Retry(total=3, allowed_methods={"GET", "POST"}))
    assert "POST" in policy.idempotent_methods
    assert policy.decide(Attempt("POST", 1, K.READ_TIMEOUT)).retry
    assert policy.decide(Attempt("POST", 1, K.STATUS, status=503)).retry


def test_from_setting_urllib3_zero_backoff_keeps_ours() -> None:
    assert RetryPolicy.from_setting(Retry(total=2, backoff_factor=0)).backoff_initial == 0.5


# --------------------------------------------------------------------------------- property

_methods = st.sampled_from(["GET", "DELETE", "POST", "PUT", "HEAD", "OPTIONS", "PATCH", "post"])
_statuses = st.integers(min_value=100, max_value=599)
_retry_after = st.one_of(
    st.none(),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
    st.integers(min_value=-(10**6), max_value=10**6).map(http_date),
    st.text(max_size=20),
)


@st.composite
def attempts(draw: st.DrawFn) -> Attempt:
    kind = draw(st.sampled_from(list(FailureKind)))
    status = draw(_statuses) if kind is K.STATUS else draw(st.one_of(st.none(), _statuses))
    return Attempt(
        method=draw(_methods),
        number=draw(st.integers(min_value=1, max_value=10**4)),
        kind=kind,
        status=status,
        retry_after=draw(_retry_after),
    )


@st.composite
def policies(draw: st.DrawFn) -> RetryPolicy:
    seconds = st.floats(min_value=0.0, max_value=1000.0, allow_nan=False)
    return RetryPolicy(
        total=draw(st.integers(min_value=0, max_value=20)),
        backoff_initial=draw(seconds),
        backoff_max=draw(seconds),
        retry_after_max=draw(seconds),
        jitter=draw(st.floats(min_value=0.0, max_value=1.0)),
        retry_statuses=draw(st.frozensets(_statuses, max_size=8)),
        idempotent_methods=draw(
            st.frozensets(st.sampled_from(["GET", "DELETE", "PUT", "HEAD", "PATCH"]))
        ),
        respect_retry_after=draw(st.booleans()),
    )


@given(
    attempt=attempts(),
    policy=st.one_of(st.just(RetryPolicy()), policies()),
    r=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
)
def test_property_post_never_replayed_and_wait_bounded(
    attempt: Attempt, policy: RetryPolicy, r: float
) -> None:
    d = policy.decide(attempt, rng=lambda: r, now=NOW)
    assert 0.0 <= d.wait <= max(policy.backoff_max, policy.retry_after_max)
    if not d.retry:
        assert d.wait == 0.0
    if attempt.number > policy.total:
        assert not d.retry
    if attempt.method.upper() == "POST":
        if attempt.kind in (K.READ_TIMEOUT, K.DROPPED):
            assert not d.retry
        if attempt.kind is K.STATUS and attempt.status is not None and attempt.status >= 500:
            assert not d.retry
        if d.retry:
            assert attempt.kind in (K.CONNECT, K.CONNECT_TIMEOUT) or attempt.status == 429


# -- the operation's replay flag wins over the method ------------------------------------------


@pytest.mark.parametrize("kind", [K.READ_TIMEOUT, K.DROPPED])
@pytest.mark.parametrize(
    ("method", "replayable", "retried"),
    [
        ("POST", True, True),  # a search: retried after an unknown outcome
        ("POST", False, False),  # a send
        ("GET", False, False),  # a read the operation says must not be replayed
        ("DELETE", True, True),
    ],
)
def test_the_replay_flag_decides_transport_failures(
    method: str, replayable: bool, retried: bool, kind: FailureKind
) -> None:
    attempt = Attempt(method, 1, kind, replayable=replayable)
    assert RetryPolicy().decide(attempt, rng=at_bottom).retry is retried


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_replayable_post_is_retried_on_5xx_and_a_send_is_not(status: int) -> None:
    search = Attempt("POST", 1, K.STATUS, status, replayable=True)
    send = Attempt("POST", 1, K.STATUS, status, replayable=False)
    assert RetryPolicy().decide(search, rng=at_bottom).retry
    decision = RetryPolicy().decide(send, rng=at_bottom)
    assert not decision.retry and "idempotency key" in decision.reason


def test_without_the_flag_the_method_decides_as_before() -> None:
    policy = RetryPolicy()
    assert Attempt("POST", 1, K.READ_TIMEOUT).replayable is None
    assert not policy.decide(Attempt("POST", 1, K.READ_TIMEOUT)).retry
    assert policy.decide(Attempt("GET", 1, K.READ_TIMEOUT), rng=at_bottom).retry
    # A policy that lists POST keeps replaying a POST built without the flag...
    opted = RetryPolicy(idempotent_methods=frozenset({"GET", "POST"}))
    assert opted.decide(Attempt("POST", 1, K.READ_TIMEOUT), rng=at_bottom).retry
    # ...but never one whose operation says it texts a person.
    assert not opted.decide(Attempt("POST", 1, K.READ_TIMEOUT, replayable=False)).retry


@pytest.mark.parametrize("replayable", [True, False])
def test_never_sent_failures_and_429_are_retried_whatever_the_flag(replayable: bool) -> None:
    policy = RetryPolicy()
    for attempt in (
        Attempt("POST", 1, K.CONNECT, replayable=replayable),
        Attempt("POST", 1, K.CONNECT_TIMEOUT, replayable=replayable),
        Attempt("POST", 1, K.STATUS, 429, replayable=replayable),
    ):
        assert policy.decide(attempt, rng=at_bottom).retry
