"""``QueryMetadata``: one key/value pair a search looks for."""

from __future__ import annotations

from .meta_data import MetaData

__all__ = ["QueryMetadata"]


class QueryMetadata(MetaData):
    """A pair that was stored with messages (``Message.metadata``); the fields of ``MetaData``.

    The upstream document describes ``Query.metadata`` as one object with a ``schema`` property;
    the API takes a list of these pairs.
    """
