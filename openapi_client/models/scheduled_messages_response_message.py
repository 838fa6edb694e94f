"""``ScheduledMessagesResponseMessage``: the ``message`` of a scheduled-job listing entry."""

from __future__ import annotations

from .scheduled_message import ScheduledMessage

__all__ = ["ScheduledMessagesResponseMessage"]


class ScheduledMessagesResponseMessage(ScheduledMessage):
    """The text of a listed scheduled job; the fields of ``ScheduledMessage``.

    The upstream document wraps ``ScheduledMessage`` in a ``schema`` property here, which the
    API's answers do not have: the fields sit directly in ``message``.
    """
