"""Field types shared by the models."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional, Union

from pydantic import (
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
    Strict,
    StrictBool,
    StrictInt,
    StrictStr,
)
from pydantic_core import CoreSchema, core_schema
from typing_extensions import Annotated

from .. import _limits
from .._dates import format_schedule

__all__ = [
    "AiOptimiser",
    "Content",
    "DeliveryReportUrl",
    "Destination",
    "Id",
    "Number",
    "NumberText",
    "OptionalSchedule",
    "OptionalTimestamp",
    "Schedule",
    "Sender",
    "Tag",
    "Ttl",
    "Validity",
]


class _TextOrInteger:
    """Core schema of an id: JSON text, or a JSON integer turned into its digits.

    Without it the lenient response models would also turn ``NaN``, ``Infinity``, ``1e400`` or
    ``2.5`` into text (``'NaN'``, ``'inf'``): none of them is an id, and the first three are not
    even JSON. The check runs inside pydantic, so decoding thousands of records costs no more.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.chain_schema(
            [
                core_schema.union_schema(
                    [core_schema.str_schema(strict=True), core_schema.int_schema(strict=True)],
                    custom_error_type="id_type",
                    custom_error_message="not an id: expected text or a whole number",
                ),
                core_schema.str_schema(coerce_numbers_to_str=True),
            ]
        )


#: An id in an answer (batch, message, record): text or an integer, kept as text.
Id = Annotated[str, _TextOrInteger()]


def _number_text(value: Union[str, int, float]) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


class _TextOrNumber:
    """Core schema of a recipient's number in an answer: JSON text or any finite JSON number.

    The upstream document types ``destination`` as ``number``, so a server (or a mock built from
    that document) may send a fraction; it is kept as the text of that number. ``NaN``,
    ``Infinity`` and ``1e400`` are still refused: they are not JSON, and not a number anyone has.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(
            _number_text,
            core_schema.union_schema(
                [
                    core_schema.str_schema(strict=True),
                    core_schema.int_schema(strict=True),
                    core_schema.float_schema(strict=True, allow_inf_nan=False),
                ],
                custom_error_type="number_type",
                custom_error_message="not a number: expected text or a finite number",
            ),
        )


#: A recipient's number in an answer: text or a finite number, kept as text.
NumberText = Annotated[str, _TextOrNumber()]


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

# The fields Message and BatchMessage share, each declared once with its documented limit. The
# limits are JSON-schema annotations, not validators: they are enforced when a message is sent
# (``_validation``), so that ``client_side_validation=False`` can switch them off.

Sender = Annotated[
    StrictStr,
    Field(
        description="Sender ID: up to 11 letters/digits, or a number of up to 15 digits.",
        json_schema_extra={
            "maxLength": _limits.MAX_SENDER_NUMERIC,
            "pattern": _limits.SENDER_PATTERN,
        },
    ),
]
Content = Annotated[
    StrictStr,
    Field(
        description="Message text.",
        json_schema_extra={"minLength": 1, "maxLength": _limits.MAX_CONTENT_LENGTH},
    ),
]
DeliveryReportUrl = Annotated[
    Optional[StrictStr],
    Field(description="URL the delivery reports are POSTed to (else the account's default)."),
]
Tag = Annotated[
    Optional[StrictStr],
    Field(
        description="Label for reports and filtering.",
        json_schema_extra={"maxLength": _limits.MAX_TAG_LENGTH},
    ),
]
Ttl = Annotated[
    Optional[StrictInt],
    Field(
        description="Minutes before the delivery report is deleted; unset keeps it.",
        json_schema_extra={"minimum": 1},
    ),
]
Validity = Annotated[
    Optional[StrictInt],
    Field(
        description="Minutes the network keeps trying before the message expires (default 2880).",
        json_schema_extra={"minimum": _limits.MIN_VALIDITY, "maximum": _limits.MAX_VALIDITY},
    ),
]
AiOptimiser = Annotated[
    Optional[StrictBool],
    Field(description="Use the AI Optimiser near a credit boundary (account default)."),
]


# Fields of the single-message, search and one-time-password models.

Destination = Annotated[
    StrictStr,
    Field(description="Recipient's number in international form without '+', e.g. '447700900123'."),
]


def _check_aware(value: Any) -> Any:
    # The rule of ``schedule`` (a naive time means different moments in different places),
    # worded without naming that field, since pydantic adds the right one.
    if isinstance(value, datetime) and value.utcoffset() is None:
        raise ValueError(
            "a naive datetime is ambiguous; give it a timezone, "
            "e.g. datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)"
        )
    return value


#: A point in time on a request other than ``schedule`` (the bounds of a search): written the
#: same way, an aware ``datetime`` sent as ISO 8601 with its offset, or a string sent as given.
OptionalTimestamp = Optional[
    Annotated[
        Union[Annotated[datetime, Strict()], StrictStr],
        BeforeValidator(_check_aware),
        PlainSerializer(_dump_schedule, return_type=str),
    ]
]


def _integral(value: Any) -> Any:
    # 34.0 is the number 34: give callers the int they would get from an integer field.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: A response field the upstream document types as ``number`` but the API fills with whole
#: numbers (error and failure codes): integral values decode to ``int``, fractions to ``float``,
#: so a server (or a mock) sending ``34.5`` is read rather than refused.
Number = Annotated[Union[int, float], BeforeValidator(_integral)]
