"""Decoding and encoding with pydantic: one ``TypeAdapter`` per type, and errors that name fields.

Adapters are built once per type for the life of the process (building one costs far more than
using it). Everything here is pure: bytes or values in, values or our exceptions out.
"""

from __future__ import annotations

import gc
from typing import Any, Callable, Dict, List, Optional, Union

from pydantic import BaseModel, FailFast, TypeAdapter, ValidationError
from typing_extensions import Annotated, get_args, get_origin

from . import models as _models
from .exceptions import ApiTypeError, ApiValueError

__all__ = [
    "adapter_for",
    "decode_json",
    "resolve_type",
    "type_name",
    "undecodable",
    "unencodable_text",
    "validation_error",
]

_adapters: Dict[Any, TypeAdapter[Any]] = {}

#: Bodies from this size up are decoded with the cyclic garbage collector paused (see below).
GC_PAUSE_BYTES = 256 * 1024


def adapter_for(tp: Any) -> TypeAdapter[Any]:
    """The ``TypeAdapter`` of ``tp``, built once per type for the life of the process.

    Lists stop at their first bad item: without that, a huge array of wrong things (a hostile or
    broken server's 50 MB of ``[0,0,...]``) makes pydantic record one error per item, and the
    report alone can take more memory than the machine has.
    """
    found = _adapters.get(tp)
    if found is None:
        target: Any = tp
        origin: Any = get_origin(tp)
        if origin is list:
            target = Annotated[tp, FailFast()]
        elif origin is Annotated and _is_list(get_args(tp)[0]):
            # A list with validators of its own (say, one that also takes a lone object).
            target = Annotated[(get_args(tp)[0], FailFast(), *tp.__metadata__)]
        found = _adapters[tp] = TypeAdapter(target)
    return found


def _is_list(tp: Any) -> bool:
    origin: Any = get_origin(tp)
    return origin is list


def decode_json(raw: bytes, tp: Any) -> Any:
    """Decode ``raw`` into ``tp``; raises pydantic's ``ValidationError`` when it does not fit."""
    if len(raw) < GC_PAUSE_BYTES:
        return adapter_for(tp).validate_json(raw)
    return _without_gc(adapter_for(tp).validate_json, raw)


def _without_gc(decode: Callable[[bytes], Any], raw: bytes) -> Any:
    """Run ``decode(raw)`` with the cyclic garbage collector paused.

    Decoding 5,000 records creates some 20,000 tracked objects, none of them garbage; the
    collections that allocation triggers walk the young objects again and again and cost about a
    quarter of the decode. The records hold no reference cycles, so pausing loses nothing, and
    the collector is switched back on at once, unless it was already off when we started.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return decode(raw)
    finally:
        if was_enabled:
            gc.enable()


def validation_error(exc: ValidationError, root: str) -> Exception:
    """Turn pydantic's report into our ``ApiTypeError``/``ApiValueError`` naming the field."""
    first = exc.errors(include_url=False)[0]
    path: List[Union[str, int]] = [root] if root else []
    path.extend(first["loc"])
    message = first["msg"]
    count = exc.error_count()
    if count > 1:
        message += f" (and {count - 1} more error{'s' if count > 2 else ''})"
    kind = first["type"]
    if kind.endswith("_type") or kind in ("model_type", "dict_type", "list_type"):
        return ApiTypeError(message, path)
    return ApiValueError(message, path)


def undecodable(exc: ValidationError, tp: Any) -> str:
    """Why a body could not be decoded into ``tp``, in one line."""
    first = exc.errors(include_url=False)[0]
    if first["type"] in ("json_invalid", "string_unicode"):
        return f"the body is not valid JSON ({first['msg']})"
    where = ".".join(str(p) for p in first["loc"]) or "body"
    return f"the body does not fit {type_name(tp)}: {where}: {first['msg']}"


def unencodable_text(value: Any, path: List[Union[str, int]]) -> Optional[List[Union[str, int]]]:
    """The path of the first text in ``value`` that cannot be encoded as UTF-8, if any."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        for name, info in fields.items():
            found = unencodable_text(getattr(value, name), [*path, info.alias or name])
            if found is not None:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = unencodable_text(item, [*path, index])
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = unencodable_text(key, [*path, "(key)"]) or unencodable_text(
                item, [*path, str(key)]
            )
            if found is not None:
                return found
    return None


def type_name(tp: Any) -> str:
    """A type as people write it: ``MessageResponse``, ``List[MessageResponse]``."""
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def resolve_type(tp: Any) -> Any:
    """Accept a type, or openapi-generator's name of one (``"List[MessageResponse]"``)."""
    if not isinstance(tp, str):
        return tp
    name = tp.strip()
    if name.startswith("List[") and name.endswith("]"):
        return List[resolve_type(name[5:-1])]  # type: ignore[misc]
    simple = {"str": str, "int": int, "float": float, "bool": bool, "object": Any, "dict": dict}
    if name in simple:
        return simple[name]
    model = getattr(_models, name, None)
    if model is None:
        raise ApiValueError(f"unknown response type {tp!r}")
    return model
