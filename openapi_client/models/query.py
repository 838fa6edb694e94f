"""``Query``: the filters and paging of a message search."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr

from .. import _limits
from ._base import RequestModel
from ._types import OptionalTimestamp
from .query_metadata import QueryMetadata

__all__ = ["Query"]


class Query(RequestModel):
    """Search filters (all optional; only messages matching every given one are returned).

    ``from`` is a Python keyword, so that field is ``var_from`` here (its wire name stays
    ``from``). Limits are checked when the search is sent, as for messages.
    """

    status: Optional[StrictStr] = Field(
        default=None,
        description="SENT, DELIVERED, EXPIRED, UNDELIVERABLE, REJECTED or INCOMING (replies).",
    )
    credits: Optional[StrictFloat] = Field(
        default=None, description="Credits a message cost, e.g. 2 for a two-part text."
    )
    destination: Optional[StrictStr] = Field(
        default=None, description="Recipient's number in international form without '+'."
    )
    sender: Optional[StrictStr] = Field(
        default=None, description="Sender ID of sent messages, or the number a reply came from."
    )
    keyword: Optional[StrictStr] = Field(default=None, description="Keyword of replies.")
    var_from: OptionalTimestamp = Field(
        default=None, alias="from", description="Earliest time: an aware datetime or API date text."
    )
    to: OptionalTimestamp = Field(
        default=None, description="Latest time: an aware datetime or API date text."
    )
    limit: Optional[StrictInt] = Field(
        default=None,
        description="Most messages to return (at most 1000, the default).",
        json_schema_extra={"minimum": 1, "maximum": _limits.MAX_QUERY_RESULTS},
    )
    skip: Optional[StrictInt] = Field(
        default=None,
        description="Matches to pass over first; with ``limit``, pages through results.",
        json_schema_extra={"minimum": 0},
    )
    unread: Optional[StrictBool] = Field(
        default=None, description="With status INCOMING: only unread (true) or read (false)."
    )
    metadata: Optional[List[QueryMetadata]] = Field(
        default=None, description="Key/value pairs the messages were sent with."
    )
