"""Messages from a CSV or JSON-lines file (``batch any``), each with the line it came from."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ._common import UsageError, boolean, open_text

#: Columns (CSV) or keys (JSON lines) of ``batch any`` that map to a ``Message`` field.
MESSAGE_FIELDS = (
    "destination",
    "content",
    "sender",
    "tag",
    "deliveryreporturl",
    "schedule",
    "validity",
    "ttl",
    "ai",
    "responseemail",
    "metadata",
)
_INT_FIELDS = ("validity", "ttl")
_METADATA_PREFIX = "metadata."


def _csv_value(name: str, value: str, where: str) -> Any:
    """A CSV cell (text) as the type its field takes."""
    if name in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            raise UsageError(f"{where}: {name} must be a whole number") from None
    if name == "ai":
        return boolean(value, f"{where}: ai")
    if name == "responseemail":
        return [part.strip() for part in value.split(";") if part.strip()]
    if name == "metadata":
        raise UsageError(f"{where}: in CSV, give metadata as 'metadata.<key>' columns")
    return value


def _json_value(name: str, value: Any) -> Any:
    """A JSON-lines value as its field takes it: metadata may be an object, a number a number."""
    if name == "metadata" and isinstance(value, dict):
        return [{"key": str(k), "value": str(v)} for k, v in value.items()]
    if name == "destination" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def message_from_fields(
    fields: Dict[str, Any], where: str, defaults: Dict[str, Any], from_csv: bool
) -> Dict[str, Any]:
    """A ``Message`` dict from one CSV row or JSON line; ``metadata.*`` columns become metadata."""
    message: Dict[str, Any] = {}
    metadata: List[Dict[str, str]] = []
    unknown: List[str] = []
    for raw_key, raw_value in fields.items():
        key = (raw_key or "").strip()
        name = key.lower()
        value = raw_value.strip() if from_csv and isinstance(raw_value, str) else raw_value
        if value is None or (from_csv and value == ""):
            continue
        name = "destination" if name == "to" else name
        if name.startswith(_METADATA_PREFIX) and len(key) > len(_METADATA_PREFIX):
            metadata.append({"key": key[len(_METADATA_PREFIX) :], "value": str(value)})
        elif not known_column(name):
            unknown.append(key or "(empty)")
        else:
            message[name] = _csv_value(name, value, where) if from_csv else _json_value(name, value)
    if unknown:
        raise UsageError(unknown_columns(where, unknown))
    if metadata:
        message["metadata"] = list(message.get("metadata") or []) + metadata
    return _complete(message, where, defaults)


def _complete(message: Dict[str, Any], where: str, defaults: Dict[str, Any]) -> Dict[str, Any]:
    """``message`` with the command's defaults filled in, or a usage error for what is missing."""
    for name, value in defaults.items():
        if value is not None and name not in message:
            message[name] = value
    for name in ("destination", "content", "sender"):
        if name not in message:
            hint = " (add a sender column or pass --sender)" if name == "sender" else ""
            raise UsageError(f"{where}: no {name}{hint}")
    return message


def known_column(name: str) -> bool:
    """Whether a CSV column (or JSON key) names a message field."""
    name = name.strip().lower()
    return (
        name in MESSAGE_FIELDS
        or name == "to"
        or (name.startswith(_METADATA_PREFIX) and len(name) > len(_METADATA_PREFIX))
    )


def unknown_columns(where: str, unknown: Sequence[str]) -> str:
    """The error for columns no field has, with the ones that are known."""
    return (
        f"{where}: unknown column(s) {', '.join(unknown)}; known: to (or destination), "
        f"{', '.join(MESSAGE_FIELDS[1:])} and metadata.<key>"
    )


def _detect_format(path: str, text: str, forced: Optional[str]) -> str:
    if forced:
        return forced
    lowered = path.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lowered.endswith(".csv"):
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def _read_text(path: str) -> str:
    handle = open_text(path)
    try:
        return handle.read()
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text: {error}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    finally:
        if handle is not sys.stdin:
            handle.close()


Read = Tuple[List[Dict[str, Any]], List[int]]


def _from_json_lines(text: str, name: str, defaults: Dict[str, Any]) -> Read:
    messages: List[Dict[str, Any]] = []
    lines: List[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{name} line {number}"
        try:
            item = json.loads(line)
        except ValueError as error:
            raise UsageError(f"{where}: not JSON: {error}") from None
        if not isinstance(item, dict):
            raise UsageError(f"{where}: each line must be a JSON object")
        messages.append(message_from_fields(item, where, defaults, from_csv=False))
        lines.append(number)
    return messages, lines


def _check_header(name: str, fieldnames: Optional[Sequence[Optional[str]]]) -> None:
    if not fieldnames:
        raise UsageError(f"{name}: empty file; the first line must name the columns")
    columns = {(field or "").strip().lower() for field in fieldnames}
    if not {"destination", "to"} & columns or "content" not in columns:
        raise UsageError(
            f"{name} line 1: the first line must name the columns, with at least "
            "'destination' (or 'to') and 'content'"
        )
    # A misspelt column is a mistake of line 1, whatever row would meet it first.
    unknown = [(f or "").strip() or "(empty)" for f in fieldnames if not known_column(f or "")]
    if unknown:
        raise UsageError(unknown_columns(f"{name} line 1", unknown))


def _from_csv(text: str, name: str, defaults: Dict[str, Any]) -> Read:
    messages: List[Dict[str, Any]] = []
    lines: List[int] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _check_header(name, reader.fieldnames)
    for row in reader:
        if None in row:
            raise UsageError(f"{name} line {reader.line_num}: more cells than columns")
        if not any((value or "").strip() for value in row.values()):
            continue
        where = f"{name} line {reader.line_num}"
        messages.append(message_from_fields(dict(row), where, defaults, from_csv=True))
        lines.append(reader.line_num)
    return messages, lines


def read_messages(path: str, forced: Optional[str], defaults: Dict[str, Any]) -> Read:
    """Messages from a CSV or JSON-lines file, with the line each came from."""
    text = _read_text(path)
    name = "stdin" if path == "-" else os.path.basename(path)
    if _detect_format(path, text, forced) == "jsonl":
        messages, lines = _from_json_lines(text, name, defaults)
    else:
        messages, lines = _from_csv(text, name, defaults)
    if not messages:
        raise UsageError(f"{name}: no messages")
    return messages, lines


def locate(error: Exception, lines: List[int], path: str) -> str:
    """Add the file line to an SDK error that names ``messages[i]``."""
    where = getattr(error, "path_to_item", None) or []
    index = next((part for part in where if isinstance(part, int)), None)
    if index is not None and 0 <= index < len(lines):
        name = "stdin" if path == "-" else os.path.basename(path)
        return f"{name} line {lines[index]}: {error}"
    return str(error)
