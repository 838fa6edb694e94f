"""Dates as The SMS Works writes them, and as we send them.

The API writes dates the way JavaScript's ``Date.prototype.toString()`` does::

    Wed Jul 19 2017 20:53:46 GMT+0100 (BST)

and listings echo ISO 8601 (``2021-10-28T13:10:00.000Z``). ``GMT+0100`` there means one hour
*ahead* of UTC. dateutil's generic parser reads ``GMT+0100`` with the POSIX TZ sign convention
(UTC-1), so the JavaScript form is parsed here by hand and dateutil only serves ISO 8601.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Optional

from .exceptions import ApiValueError

__all__ = ["format_schedule", "parse_api_datetime"]

_MONTHS = {
    name: index
    for index, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}

_JS_DATE = re.compile(
    r"""^\s*(?:[A-Za-z]{3},?\s+)?          # weekday, ignored
    (?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+(?P<year>\d{4})\s+
    (?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*
    (?:(?:GMT|UTC)\s*(?P<off>[+-]\d{2}:?\d{2})?|(?P<z>Z|GMT|UTC))?   # offset
    \s*(?:\([^)]*\))?\s*$                 # zone name in parentheses, ignored
    """,
    re.VERBOSE,
)


def parse_api_datetime(value: Optional[str]) -> Optional[datetime]:
    """Parse a date the API sent, into a timezone-aware ``datetime``.

    Returns ``None`` for ``None`` or an empty string (the API sends ``""`` for "no schedule") and
    for text that is not a date in either form: response fields stay readable as raw strings, so
    an odd value must not make a whole batch unreadable. A date without an offset is taken as UTC.
    """
    if not value or not value.strip():
        return None
    match = _JS_DATE.match(value)
    if match is not None:
        month = _MONTHS.get(match["mon"].title())
        if month is None:
            return None
        offset = timezone.utc
        if match["off"]:
            raw = match["off"].replace(":", "")
            minutes = int(raw[1:3]) * 60 + int(raw[3:5])
            offset = timezone(timedelta(minutes=minutes if raw[0] == "+" else -minutes))
        try:
            return datetime(
                int(match["year"]),
                month,
                int(match["day"]),
                int(match["h"]),
                int(match["m"]),
                int(match["s"] or 0),
                tzinfo=offset,
            )
        except ValueError:
            return None
    try:
        from dateutil.parser import isoparse  # only ISO dates need it; it is slow to import

        parsed = isoparse(value.strip())
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def format_schedule(value: datetime) -> str:
    """Render a ``schedule`` for the API: ISO 8601 with an explicit offset.

    A naive ``datetime`` is refused: "09:00" means a different moment in London and in Lagos, and
    guessing would send texts at the wrong hour.
    """
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ApiValueError(
            "a naive datetime is ambiguous; give it a timezone, "
            "e.g. datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)",
            ["schedule"],
        )
    return value.isoformat()
