"""What happens to a message after the sandbox accepts it.

Every destination delivers, except a handful of reserved numbers in Ofcom's drama range
(``447700900000``-``447700900999``, numbers that are never assigned to a real handset), which
stand for the other outcomes The SMS Works documents. The table is fixed so that a test can ask
for a failure by choosing the number, and get the same answer on every run.

The failure codes and texts are the sandbox's own: The SMS Works publishes no list of
``failurereason`` codes, and the only one seen in its examples is ``34 "Handset error"``.
"""

from __future__ import annotations

from typing import Dict, Mapping, NamedTuple, Optional

__all__ = ["OUTCOMES", "TEST_NUMBER_RANGE", "Outcome", "outcome_for"]


class Outcome(NamedTuple):
    """The fate of a message sent to one of the reserved test numbers.

    Attributes:
        status: the status the message ends in.
        code: ``failurereason.code``, or ``None`` when the message does not fail.
        details: ``failurereason.details``.
        permanent: ``failurereason.permanent``.
        when: ``"delay"`` (after the sandbox's ``delivery_delay``), ``"validity"`` (when the
            message's ``validity`` minutes have passed), ``"at-send"`` (at once, in the request
            that sends it) or ``"never"`` (the network never reports, the message stays SENT).
        charged: whether the message's credits stay spent once it reaches ``status``.
    """

    status: str
    code: Optional[int]
    details: Optional[str]
    permanent: Optional[bool]
    when: str
    charged: bool


#: Outcome of a destination that is not in :data:`OUTCOMES`: delivered after the delay.
DELIVERED = Outcome("DELIVERED", None, None, None, "delay", True)

#: The first and last number of the reserved range (inclusive). Numbers in the range that are not
#: in :data:`OUTCOMES` (``447700900001``, ``447700900002``, ...) deliver like any other.
TEST_NUMBER_RANGE = ("447700900000", "447700900999")

_HANDSET = Outcome("UNDELIVERABLE", 34, "Handset error", False, "delay", False)
_UNKNOWN = Outcome("UNDELIVERABLE", 1, "Unknown subscriber", True, "delay", False)
_EXPIRED = Outcome("EXPIRED", 27, "Validity period expired", False, "delay", False)
_EXPIRED_LATE = Outcome("EXPIRED", 27, "Validity period expired", False, "validity", False)
_REJECTED = Outcome("REJECTED", 99, "Rejected by the platform", True, "at-send", False)
_SILENT = Outcome("SENT", None, None, None, "never", True)

#: Reserved test numbers and what happens to a message sent to each.
OUTCOMES: Mapping[str, Outcome] = {
    "447700900900": _HANDSET,
    "447700900901": _UNKNOWN,
    "447700900910": _EXPIRED,
    "447700900911": _EXPIRED_LATE,
    "447700900920": _REJECTED,
    "447700900930": _SILENT,
}

_LOOKUP: Dict[str, Outcome] = dict(OUTCOMES)


def outcome_for(destination: str) -> Outcome:
    """The outcome of a message to ``destination`` (digits only)."""
    return _LOOKUP.get(destination, DELIVERED)
