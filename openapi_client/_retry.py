"""The retry policy: one pure decision per failed try.

The send loop in :mod:`openapi_client._sending` owns the loop, the sleeping and the
error mapping. After every try that did not succeed it describes what happened as an
:class:`Attempt` and asks :meth:`RetryPolicy.decide` whether to try again and how long to
wait first. Nothing in this module touches the network, the clock (unless no ``now`` is
given) or global state, so every rule can be checked with plain unit tests.

The rules, in short:

* **Replayable requests** (the operation says a replay is harmless: reads, searches, cancels;
  without an operation, a method in ``idempotent_methods``: GET, HEAD, OPTIONS, DELETE, PUT by
  default) are retried after any transport failure (connect error, connect timeout, read
  timeout, dropped connection) and after the statuses in ``retry_statuses`` (429, 502, 503,
  504 by default).
* **Everything else, sends above all,** is retried only when the request provably never
  reached the server: a refused or failed connect, a connect timeout, or a 429 (the server
  answered but refused to do the work). The SMS Works API has no idempotency key, so a
  replayed ``/batch/send`` whose first copy did arrive would text every recipient twice and
  charge twice. A read timeout, a dropped connection or a 5xx after such a request therefore
  ends the loop; the core reports it as an outcome-unknown error instead.
* Waits grow exponentially from ``backoff_initial`` (0.5, 1, 2, 4, 8 s ...) up to
  ``backoff_max``, with *equal jitter* by default (see :attr:`RetryPolicy.jitter`).
* A ``Retry-After`` header on a retryable status is honoured when it asks for no more than
  ``retry_after_max`` seconds; when it asks for more, the policy gives up rather than block
  the caller for minutes.

Example::

    policy = RetryPolicy(total=3)
    attempt = Attempt(method="GET", number=1, kind=FailureKind.STATUS, status=503)
    decision = policy.decide(attempt)
    if decision.retry:
        time.sleep(decision.wait)
"""

from __future__ import annotations

import enum
import math
import random
import re
import time
from dataclasses import dataclass
from datetime import timezone
from typing import Callable, FrozenSet, Iterable, List, Optional, Union

from urllib3.util.retry import Retry

__all__ = [
    "Attempt",
    "Decision",
    "FailureKind",
    "RetryPolicy",
    "backoff_schedule",
    "parse_retry_after",
]

# delta-seconds is 1*DIGIT (RFC 9110 §10.2.3). A sign or a fraction is tolerated because some
# servers send them; a negative value is read as "retry now".
_DELTA_SECONDS = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")

# 2**62 seconds is already far beyond any sensible cap; clamping the exponent keeps the float
# arithmetic finite however large an attempt number gets.
_MAX_EXPONENT = 62


class FailureKind(str, enum.Enum):
    """What went wrong on one try, as far as retrying is concerned.

    The split that matters is whether the request may have reached the server: ``CONNECT``
    and ``CONNECT_TIMEOUT`` prove it did not, ``READ_TIMEOUT`` and ``DROPPED`` leave the
    outcome unknown, and ``STATUS`` means the server answered.
    """

    CONNECT = "connect"
    """Connection refused, reset while connecting, or name resolution failed: never sent."""

    CONNECT_TIMEOUT = "connect_timeout"
    """The TCP connect did not complete in time: never sent."""

    READ_TIMEOUT = "read_timeout"
    """The request was sent but no complete answer came in time: outcome unknown."""

    DROPPED = "dropped"
    """The connection closed or reset after the request was (possibly) sent, a protocol
    error, or a truncated body: outcome unknown."""

    STATUS = "status"
    """The server answered with an HTTP status (see :attr:`Attempt.status`)."""


# Kinds after which the request provably never left the client.
_NEVER_SENT = frozenset({FailureKind.CONNECT, FailureKind.CONNECT_TIMEOUT})

_KIND_TEXT = {
    FailureKind.CONNECT: "connection failure",
    FailureKind.CONNECT_TIMEOUT: "connect timeout",
    FailureKind.READ_TIMEOUT: "read timeout",
    FailureKind.DROPPED: "dropped connection",
}


@dataclass(frozen=True)
class Attempt:
    """One failed try, described for :meth:`RetryPolicy.decide`.

    Attributes:
        method: HTTP method of the request, e.g. ``"GET"`` (case does not matter).
        number: Which try this was; ``1`` for the first.
        kind: What went wrong.
        status: The HTTP status when ``kind`` is :attr:`FailureKind.STATUS`; ignored otherwise.
        retry_after: The raw ``Retry-After`` header of that response, if there was one.
        replayable: Whether sending the request again is harmless, as its operation declares
            (a search is, a text is not). ``None`` (not given) falls back to the method:
            replayable when it is in the policy's ``idempotent_methods``.

    Raises:
        ValueError: If ``number`` is below 1, ``kind`` is not a known kind, or ``kind`` is
            ``STATUS`` without a ``status``.
    """

    method: str
    number: int
    kind: FailureKind
    status: Optional[int] = None
    retry_after: Optional[str] = None
    replayable: Optional[bool] = None

    def __post_init__(self) -> None:
        # Accept the plain string values too ("read_timeout"), so callers and tests may log
        # and rebuild attempts without importing the enum.
        object.__setattr__(self, "kind", FailureKind(self.kind))
        if self.number < 1:
            raise ValueError(f"attempt number must be 1 or more, got {self.number}")
        if self.kind is FailureKind.STATUS and self.status is None:
            raise ValueError("an attempt of kind STATUS needs a status")


@dataclass(frozen=True)
class Decision:
    """The answer of :meth:`RetryPolicy.decide`.

    Attributes:
        retry: Whether to send the request again.
        wait: Seconds to sleep before the next try; ``0.0`` when not retrying.
        reason: A sentence for logs, e.g. ``"503 on GET, attempt 1 of 3, waiting 0.42 s"``.
    """

    retry: bool
    wait: float
    reason: str


def parse_retry_after(value: Optional[str], *, now: Optional[float] = None) -> Optional[float]:
    """Read a ``Retry-After`` header value as a number of seconds.

    RFC 9110 §10.2.3 allows either delta-seconds (``"120"``) or an HTTP-date
    (``"Wed, 21 Oct 2015 07:28:00 GMT"``). A date is turned into seconds from ``now``.
    Negative results (a date in the past, ``"-5"``) become ``0.0``.

    Args:
        value: The raw header value, or ``None`` when the header was absent.
        now: The current time as a POSIX timestamp; defaults to :func:`time.time`. Tests
            pass a fixed value.

    Returns:
        The delay in seconds (never negative), or ``None`` when the header is absent or
        unreadable, in which case the caller falls back to its own backoff.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if _DELTA_SECONDS.fullmatch(text):
        return max(0.0, float(text))
    try:
        # Imported here: email.utils costs more to import than the rest of this module, and
        # only an HTTP-date Retry-After needs it.
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        # Python 3.9 raises TypeError for an unparsable date, later versions ValueError.
        return None
    if when.tzinfo is None:
        # An HTTP-date is always in GMT (RFC 9110 §5.6.7); "-0000" yields a naive datetime.
        when = when.replace(tzinfo=timezone.utc)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def _upper_set(methods: Iterable[str]) -> FrozenSet[str]:
    return frozenset(m.upper() for m in methods)


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry a failed request, and how long to wait first.

    The policy is immutable; build a new one (``dataclasses.replace``) to change it.

    Attributes:
        total: Retries allowed after the first try; ``0`` disables retrying.
        backoff_initial: Wait before the first retry, in seconds; it doubles on each
            further retry.
        backoff_max: Upper bound of the exponential backoff, in seconds.
        retry_after_max: Longest ``Retry-After`` the policy will wait for, in seconds. A
            server asking for longer ends the retries (the caller sees the error at once
            instead of a silent multi-minute stall).
        jitter: Share of each backoff that is randomised, from ``0.0`` to ``1.0``. The
            wait is ``base * (1 - jitter) + base * jitter * r`` with ``r`` uniform in
            [0, 1). The default ``0.5`` is *equal jitter*: between half and all of the
            base, so a retry is never immediate yet many clients do not retry in step.
            ``1.0`` is *full jitter* (anywhere in [0, base)); ``0.0`` turns jitter off.
            Waits always stay within [0, ``backoff_max``].
        retry_statuses: Statuses worth retrying on an idempotent method. For other methods
            only 429 from this set is retried.
        idempotent_methods: Methods that may be replayed after an unknown outcome. POST is
            not in the default set; adding it is an explicit opt-in to possible duplicate
            sends (see the module docstring).
        respect_retry_after: Whether to honour a ``Retry-After`` header at all.

    Raises:
        ValueError: If a count or duration is negative or ``jitter`` is outside [0, 1].
    """

    total: int = 2
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    retry_after_max: float = 60.0
    jitter: float = 0.5
    retry_statuses: FrozenSet[int] = frozenset({429, 502, 503, 504})
    idempotent_methods: FrozenSet[str] = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})
    respect_retry_after: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.total, bool) or not isinstance(self.total, int):
            raise TypeError(f"total must be an int, got {type(self.total).__name__}")
        if self.total < 0:
            raise ValueError(f"total must be 0 or more, got {self.total}")
        for name in ("backoff_initial", "backoff_max", "retry_after_max"):
            number = float(getattr(self, name))
            if not (number >= 0.0 and math.isfinite(number)):
                raise ValueError(f"{name} must be a finite number of seconds >= 0, got {number}")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter must be between 0.0 and 1.0, got {self.jitter}")
        # Normalise so that callers may pass any iterable and any case.
        object.__setattr__(self, "retry_statuses", frozenset(int(s) for s in self.retry_statuses))
        object.__setattr__(self, "idempotent_methods", _upper_set(self.idempotent_methods))

    # ------------------------------------------------------------------ backoff

    def backoff(self, number: int) -> float:
        """Base wait (before jitter) after try ``number``.

        Args:
            number: The try that just failed, ``1`` for the first.

        Returns:
            ``backoff_initial * 2 ** (number - 1)``, capped at ``backoff_max``.
        """
        exponent = min(max(number - 1, 0), _MAX_EXPONENT)
        return float(min(self.backoff_max, self.backoff_initial * (2.0**exponent)))

    def _jittered(self, base: float, rng: Callable[[], float]) -> float:
        r = min(max(float(rng()), 0.0), 1.0)
        return min(self.backoff_max, base * (1.0 - self.jitter) + base * self.jitter * r)

    # ----------------------------------------------------------------- decision

    def _refusal(self, attempt: Attempt, method: str) -> Optional[str]:
        """Why this kind of failure is never retried for this method, or None if it may be."""
        kind = attempt.kind
        # The operation's own word wins: the method cannot tell a POST search from a send.
        idempotent = (
            method in self.idempotent_methods if attempt.replayable is None else attempt.replayable
        )
        if kind is FailureKind.STATUS:
            status = attempt.status
            if status not in self.retry_statuses:
                return f"{status} on {method} is not a retryable status"
            if not idempotent and status != 429:
                # The server may have done part or all of the work before failing (a 502 or
                # 504 from a gateway says nothing about the backend). No idempotency key
                # exists, so a replay could send and bill every message twice.
                return (
                    f"{status} on {method} is not retried: the request may have been "
                    "processed and the API has no idempotency key"
                )
            return None
        if kind in _NEVER_SENT or idempotent:
            return None
        # READ_TIMEOUT / DROPPED on a non-idempotent method: the bytes may have reached the
        # server and a batch may already be on its way. Replaying would text everyone twice
        # and charge twice, because the API offers no idempotency key to deduplicate on.
        return (
            f"{_KIND_TEXT[kind]} on {method} is not retried: the request may have been "
            "delivered and the API has no idempotency key"
        )

    def decide(
        self,
        attempt: Attempt,
        *,
        rng: Callable[[], float] = random.random,
        now: Optional[float] = None,
    ) -> Decision:
        """Decide whether to retry after a failed try.

        Args:
            attempt: What happened on the try that just failed.
            rng: Source of uniform numbers in [0, 1) for the jitter; tests inject a
                constant.
            now: Current POSIX time, used only to turn an HTTP-date ``Retry-After`` into
                seconds; defaults to :func:`time.time`.

        Returns:
            A :class:`Decision`; ``wait`` is ``0.0`` whenever ``retry`` is false.
        """
        method = attempt.method.upper()
        tries = self.total + 1
        what = (
            f"{attempt.status} on {method}"
            if attempt.kind is FailureKind.STATUS
            else f"{_KIND_TEXT[attempt.kind]} on {method}"
        )

        refusal = self._refusal(attempt, method)
        if refusal is not None:
            return Decision(False, 0.0, refusal)
        if attempt.number > self.total:
            return Decision(
                False, 0.0, f"{what}, attempt {attempt.number} of {tries}: no retries left"
            )

        wait = self._jittered(self.backoff(attempt.number), rng)
        suffix = ""
        # Retry-After only means something on a response (RFC 9110 §10.2.3: sent with 503,
        # and with 429 per RFC 6585 §4); timeouts and dropped connections carry none.
        if attempt.kind is FailureKind.STATUS and self.respect_retry_after:
            asked = parse_retry_after(attempt.retry_after, now=now)
            if asked is not None:
                if asked > self.retry_after_max:
                    return Decision(
                        False,
                        0.0,
                        f"{what}, attempt {attempt.number} of {tries}: server asked to wait "
                        f"{asked:.0f} s (Retry-After), more than the {self.retry_after_max:g} s "
                        "limit; not retrying",
                    )
                if asked >= wait:
                    wait = asked
                    suffix = " (Retry-After)"
        return Decision(
            True,
            wait,
            f"{what}, attempt {attempt.number} of {tries}, waiting {wait:.2f} s{suffix}",
        )

    # ------------------------------------------------------------- construction

    @classmethod
    def from_setting(cls, value: Union[int, RetryPolicy, Retry, None]) -> RetryPolicy:
        """Build a policy from what a user put in ``Configuration.retries``.

        Args:
            value: One of

                * ``None``: the default policy (2 retries).
                * an ``int`` ``n``: the default policy with ``total=n``; ``0`` disables
                  retries. ``True``/``False`` mean the default policy / no retries.
                * a :class:`RetryPolicy`: returned as is.
                * a ``urllib3.util.Retry``: translated field by field:

                  - ``total``: an int is used as is (negative, i.e. an exhausted Retry,
                    becomes 0); ``False`` means no retries; ``None`` takes the largest of
                    the ``connect``/``read``/``status``/``other`` counts, or the default 2
                    when none is set (an unbounded retry count is not offered).
                  - ``backoff_factor``: becomes ``backoff_initial`` when above 0 (urllib3 2
                    also waits ``backoff_factor`` before its first retry).
                  - ``backoff_max`` and ``retry_after_max``: used when changed from
                    urllib3's defaults (120 s and 6 h are far too long for an SDK call).
                  - ``status_forcelist``: becomes ``retry_statuses`` when not empty.
                  - ``allowed_methods``: becomes ``idempotent_methods`` when given. urllib3
                    reads ``None`` as "every method"; here it keeps the defaults, because
                    replaying a POST must be asked for by name. Listing ``"POST"`` is that
                    request: the user opts in to possible duplicate sends and charges.
                  - ``respect_retry_after_header``: becomes ``respect_retry_after``.

                  Redirect counts and ``backoff_jitter`` have no equivalent and are ignored.

        Returns:
            The policy to use.

        Raises:
            ValueError: If an int below 0 is given.
            TypeError: For any other type.
        """
        if value is None:
            return cls()
        if isinstance(value, RetryPolicy):
            return value
        if isinstance(value, bool):
            return cls() if value else cls(total=0)
        if isinstance(value, int):
            if value < 0:
                raise ValueError(f"retries must be 0 or more, got {value}")
            return cls(total=value)
        if isinstance(value, Retry):
            return cls._from_urllib3(value)
        raise TypeError(
            "retries must be None, an int, a RetryPolicy or a urllib3 Retry, "
            f"not {type(value).__name__}"
        )

    @classmethod
    def _from_urllib3(cls, retry: Retry) -> RetryPolicy:
        default = cls()
        total: int
        if retry.total is False:
            total = 0
        elif retry.total is None or retry.total is True:
            counts = [
                c
                for c in (retry.connect, retry.read, retry.status, getattr(retry, "other", None))
                if isinstance(c, int) and not isinstance(c, bool)
            ]
            total = max(counts) if counts else default.total
        else:
            total = int(retry.total)
        total = max(total, 0)

        backoff_initial = default.backoff_initial
        if retry.backoff_factor and retry.backoff_factor > 0:
            backoff_initial = float(retry.backoff_factor)

        backoff_max = default.backoff_max
        u_backoff_max = getattr(retry, "backoff_max", Retry.DEFAULT_BACKOFF_MAX)
        if u_backoff_max != Retry.DEFAULT_BACKOFF_MAX:
            backoff_max = float(u_backoff_max)

        retry_after_max = default.retry_after_max
        u_default_ra = getattr(Retry, "DEFAULT_RETRY_AFTER_MAX", None)
        u_ra = getattr(retry, "retry_after_max", u_default_ra)
        if u_ra is not None and u_ra != u_default_ra:
            retry_after_max = float(u_ra)

        retry_statuses = default.retry_statuses
        if retry.status_forcelist:
            retry_statuses = frozenset(int(s) for s in retry.status_forcelist)

        idempotent_methods = default.idempotent_methods
        if retry.allowed_methods is not None:
            idempotent_methods = _upper_set(retry.allowed_methods)

        return cls(
            total=total,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            retry_after_max=retry_after_max,
            jitter=default.jitter,
            retry_statuses=retry_statuses,
            idempotent_methods=idempotent_methods,
            respect_retry_after=bool(retry.respect_retry_after_header),
        )


def backoff_schedule(policy: RetryPolicy) -> List[float]:
    """The base waits of a policy, one per retry, without jitter.

    Handy for documentation and tests: the actual waits lie between
    ``base * (1 - policy.jitter)`` and ``base``.

    Args:
        policy: The policy to describe.

    Returns:
        ``policy.total`` numbers, e.g. ``[0.5, 1.0]`` for the default policy.
    """
    return [policy.backoff(n) for n in range(1, policy.total + 1)]
