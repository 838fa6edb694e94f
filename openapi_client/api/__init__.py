"""API classes, one per group of endpoints."""

from .batch_messages_api import BatchMessagesApi

__all__ = ["BatchMessagesApi"]
