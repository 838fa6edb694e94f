"""Field types shared by the models."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional, Union

from pydantic import BeforeValidator, PlainSerializer, Strict, StrictStr
from typing_extensions import Annotated

from .._dates import format_schedule

__all__ = ["Schedule"]


def _check_schedule(value: Any) -> Any:
    # Refuse naive datetimes with our own message rather than pydantic's generic one.
    if isinstance(value, datetime):
        format_schedule(value)
    return value


def _dump_schedule(value: Union[datetime, str]) -> str:
    return format_schedule(value) if isinstance(value, datetime) else value


#: ``schedule`` on a request: a timezone-aware ``datetime`` (sent as ISO 8601 with its offset) or a
#: string the API understands (ISO 8601, or JavaScript's ``Date.toString()`` form).
Schedule = Annotated[
    # Strict: a lax datetime would read an int as a Unix timestamp and send a 1970 date.
    Union[Annotated[datetime, Strict()], StrictStr],
    BeforeValidator(_check_schedule),
    PlainSerializer(_dump_schedule, return_type=str),
]

OptionalSchedule = Optional[Schedule]
