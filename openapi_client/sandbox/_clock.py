"""Time in the sandbox: dates written as the API writes them, schedules read as it reads them.

The sandbox keeps its own date code rather than sharing the client's: an emulator that parses
with the client's parser would agree with every bug in it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Optional

__all__ = ["format_js_date", "parse_schedule"]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {name: number for number, name in enumerate(_MONTHS, 1)}

# ISO 8601 as JavaScript's Date accepts it, with a mandatory "Z" or offset.
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}:?\d{2})"
)
# Date.prototype.toString(): "Wed Jul 19 2017 20:53:46 GMT+0100 (BST)".
_JS = re.compile(
    r"(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})"
    r" GMT([+-]\d{4})(?: \([^()]*\))?"
)


def _last_sunday(year: int, month: int) -> datetime:
    """01:00 UTC on the last Sunday of ``month`` (when UK clocks change)."""
    first_of_next = datetime(year + month // 12, month % 12 + 1, 1, 1, tzinfo=timezone.utc)
    last_day = first_of_next - timedelta(days=1)
    return last_day - timedelta(days=(last_day.weekday() - 6) % 7)


def _uk_offset(moment: datetime) -> int:
    """Hours the UK is ahead of UTC at ``moment``: 1 in British Summer Time, else 0."""
    start = _last_sunday(moment.year, 3)
    end = _last_sunday(moment.year, 10)
    return 1 if start <= moment < end else 0


def format_js_date(epoch: float) -> str:
    """``epoch`` seconds as the API writes dates: JavaScript's ``Date.toString()`` in UK time.

    The service runs in the UK, so its dates carry ``GMT+0100 (BST)`` in summer and
    ``GMT+0000 (GMT)`` in winter, which is exactly what makes a client's offset handling visible.
    """
    utc = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    hours = _uk_offset(utc)
    local = utc + timedelta(hours=hours)
    zone = "GMT+0100 (BST)" if hours else "GMT+0000 (GMT)"
    return (
        f"{_DAYS[local.weekday()]} {_MONTHS[local.month - 1]} {local.day:02d} {local.year} "
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} {zone}"
    )


def _offset(text: str) -> timezone:
    if text == "Z":
        return timezone.utc
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:])
    if minutes >= 24 * 60:
        raise ValueError("offset out of range")
    return timezone(timedelta(minutes=-minutes if text[0] == "-" else minutes))


def parse_schedule(text: str) -> Optional[float]:
    """Read a ``schedule`` value into epoch seconds, or ``None`` when it is not a date we accept.

    Accepted: ISO 8601 with ``Z`` or an offset (``2026-12-01T09:00:00+00:00``,
    ``2021-10-28T13:10:00.000Z``) and the JavaScript ``Date.toString()`` form the API's own
    examples use (``Wed Jul 19 2017 20:53:46 GMT+0100 (BST)``, where ``GMT+0100`` is one hour
    *ahead* of UTC). A time without an offset is refused: it names a different moment in every
    time zone.
    """
    text = text.strip()
    try:
        iso = _ISO.fullmatch(text)
        if iso is not None:
            year, month, day, hour, minute, second, fraction, zone = iso.groups()
            moment = datetime(
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second or 0),
                int((fraction or "0")[:6].ljust(6, "0")),
                tzinfo=_offset(zone),
            )
            return moment.timestamp()
        js = _JS.fullmatch(text)
        if js is not None:
            month_name, day, year, hour, minute, second, zone = js.groups()
            number = _MONTH_NUMBER.get(month_name)
            if number is None:
                return None
            moment = datetime(
                int(year),
                number,
                int(day),
                int(hour),
                int(minute),
                int(second),
                tzinfo=_offset(zone),
            )
            return moment.timestamp()
    except ValueError:  # day 31 of a 30-day month, hour 25, ...
        return None
    return None
