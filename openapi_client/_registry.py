"""Every operation of every API class, by the generator's method name.

Whatever must cover all operations reads this one mapping: the tests (exact requests, the three
variants, faults, response fuzzing, the contract against the OpenAPI document), the docs checks
and the sandbox's routes. An operation added to an API module's ``OPERATIONS`` is found here,
and every one of those checks then fails until it is covered.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Dict, Mapping

from ._operation import Operation
from .api import batch_messages_api, credits_api, messages_api, one_time_password_api, utils_api

__all__ = ["API_CLASSES", "OPERATIONS"]

_MODULES = (batch_messages_api, messages_api, one_time_password_api, credits_api, utils_api)

#: API class name -> the class.
API_CLASSES: Mapping[str, type] = MappingProxyType(
    {
        "BatchMessagesApi": batch_messages_api.BatchMessagesApi,
        "MessagesApi": messages_api.MessagesApi,
        "OneTimePasswordApi": one_time_password_api.OneTimePasswordApi,
        "CreditsApi": credits_api.CreditsApi,
        "UtilsApi": utils_api.UtilsApi,
    }
)


def _collect() -> Dict[str, Operation[Any, Any]]:
    found: Dict[str, Operation[Any, Any]] = {}
    for module in _MODULES:
        for op in module.OPERATIONS:
            if op.name in found:
                raise RuntimeError(f"two operations are called {op.name}")
            found[op.name] = op
    return found


#: Operation name (e.g. ``"batch_send_post"``) -> its declaration.
OPERATIONS: Mapping[str, Operation[Any, Any]] = MappingProxyType(_collect())
