"""API classes, one per group of endpoints."""

from .batch_messages_api import BatchMessagesApi
from .credits_api import CreditsApi
from .messages_api import MessagesApi
from .one_time_password_api import OneTimePasswordApi
from .utils_api import UtilsApi

__all__ = ["BatchMessagesApi", "CreditsApi", "MessagesApi", "OneTimePasswordApi", "UtilsApi"]
