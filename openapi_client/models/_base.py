"""The one base every model shares: (de)serialisation helpers and the two policies.

Requests are written strictly (``RequestModel``): wrong types and unknown fields are refused, so a
typo never reaches the API. Responses are read leniently (``ResponseModel``): numbers where the
document promises strings are accepted and turned into strings, and fields we do not know are kept
(``model_extra``) instead of dropped, because the live API sends more than its document says.
"""

from __future__ import annotations

import pprint
from typing import Any, Dict, Optional, Union

from pydantic import BaseModel, ConfigDict
from typing_extensions import Self

__all__ = ["ApiModel", "RequestModel", "ResponseModel"]


class ApiModel(BaseModel):
    """Shared helpers, named as in openapi-generator's clients."""

    # defer_build: a model's validator is built on first use, not at import, so a program
    # that sends batches never pays for the models it does not touch.
    model_config = ConfigDict(populate_by_name=True, validate_assignment=True, defer_build=True)

    def to_dict(self) -> Dict[str, Any]:
        """The model as a dict keyed by wire names; unset optional fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")

    def to_json(self) -> str:
        """The model as the JSON the API sends or expects."""
        return self.model_dump_json(by_alias=True, exclude_none=True)

    def to_str(self) -> str:
        """A readable multi-line rendering (for logs and the REPL)."""
        return pprint.pformat(self.model_dump(by_alias=True, exclude_none=True))

    @classmethod
    def from_dict(cls, obj: Optional[Union[Dict[str, Any], Self]]) -> Optional[Self]:
        """Build the model from a dict keyed by wire (or Python) names; ``None`` gives ``None``."""
        if obj is None:
            return None
        if isinstance(obj, cls):
            return obj
        return cls.model_validate(obj)

    @classmethod
    def from_json(cls, json_str: Union[str, bytes]) -> Optional[Self]:
        """Build the model from a JSON document; the JSON ``null`` gives ``None``."""
        text = json_str.strip()
        if text in ("null", b"null"):
            return None
        return cls.model_validate_json(json_str)


class RequestModel(ApiModel):
    """A body we send: strict field types (see ``_types``), no unknown fields."""

    model_config = ConfigDict(extra="forbid")


class ResponseModel(ApiModel):
    """A body we receive: lenient types, unknown fields kept."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)
