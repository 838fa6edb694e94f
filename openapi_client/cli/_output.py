"""What a command prints: no token ever, tables for people, JSON for scripts."""

from __future__ import annotations

import json
from typing import IO, Any, Dict, List, Optional, Sequence, Set, Tuple

from ._common import PROG


class Output:
    """Where everything printed goes, with the token scrubbed from every line."""

    def __init__(self, as_json: bool, stdout: IO[str], stderr: IO[str]) -> None:
        self.as_json = as_json
        self.stdout = stdout
        self.stderr = stderr
        self.secrets: Set[str] = set()

    def hide(self, secret: Optional[str]) -> None:
        """Never print ``secret``: its bare form is hidden, so any ``JWT ``-prefixed form is too."""
        from .._redact import remember

        if secret:
            words = secret.split()
            self.secrets.add(words[-1] if words else secret)
            # Known to the SDK too, so a cut made before printing redacts before cutting.
            remember(secret)

    def _clean(self, text: str) -> str:
        from .._redact import redact

        # A byte that was not UTF-8 in argv or a file name arrives as a lone surrogate, which
        # no stream can encode: show it escaped instead of failing while reporting it.
        return redact(text, self.secrets).encode("utf-8", "backslashreplace").decode("utf-8")

    def print(self, text: str = "") -> None:
        self.stdout.write(self._clean(text) + "\n")
        self.stdout.flush()

    def json(self, data: Any) -> None:
        self.print(json.dumps(data, ensure_ascii=False, default=str))

    def note(self, text: str) -> None:
        self.stderr.write(self._clean(text) + "\n")
        self.stderr.flush()

    def error(self, text: str) -> None:
        one_line = " ".join(text.split())
        self.note(f"{PROG}: error: {one_line}")


def table(rows: Sequence[Sequence[str]], header: Optional[Sequence[str]] = None) -> str:
    """Rows as left-aligned columns separated by two spaces."""
    everything = ([list(header)] if header else []) + [list(row) for row in rows]
    if not everything:
        return ""
    widths = [max(len(row[i]) for row in everything) for i in range(len(everything[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in everything]  # fmt: skip
    return "\n".join(lines)


def pairs(items: Sequence[Tuple[str, Any]]) -> str:
    """``name  value`` lines, a missing value shown empty."""
    return table([(name, "" if value is None else str(value)) for name, value in items])


def failure_text(reason: Any) -> str:
    """A record's ``failurereason`` as ``34 Handset error (temporary)``."""
    if reason is None:
        return ""
    code = getattr(reason, "code", None)
    details = getattr(reason, "details", None) or ""
    permanent = getattr(reason, "permanent", None)
    kind = " (permanent)" if permanent is True else " (temporary)" if permanent is False else ""
    return f"{'' if code is None else code} {details}".strip() + kind


def credits_text(message: Any) -> str:
    """The credits a record says it cost, or nothing."""
    # "credits" is not in the documented record, so it lives among the model's extra fields.
    value = (getattr(message, "model_extra", None) or {}).get("credits")
    return f"{value:g}" if isinstance(value, (int, float)) else ""


#: The answer to a send, as ``Label  value`` lines.
SENT_LABELS = (
    ("messageid", "Message"),
    ("status", "Status"),
    ("creditsUsed", "Credits used"),
    ("credits", "Credits left"),
    ("messageparts", "Parts"),
)
#: Columns of a table of message records (``batch get``, ``message get``, the searches).
RECORD_HEADER = ("MESSAGEID", "DESTINATION", "STATUS", "CREDITS", "FAILURE", "TAG", "MODIFIED")


def show_records(out: Output, messages: Sequence[Any]) -> None:
    """Message records as JSON, or as a table with a count per status."""
    if out.as_json:
        out.json([message.to_dict() for message in messages])
        return
    rows = [
        (
            message.messageid or "",
            message.destination or "",
            message.status or "",
            credits_text(message),
            failure_text(message.failurereason),
            message.tag or "",
            message.modified or "",
        )
        for message in messages
    ]
    if rows:
        out.print(table(rows, header=RECORD_HEADER))
    counts: Dict[str, int] = {}
    for message in messages:
        counts[message.status or "?"] = counts.get(message.status or "?", 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    out.print(f"{len(messages)} message(s)" + (f": {summary}" if summary else ""))


def show_fields(out: Output, data: Dict[str, Any], labels: Sequence[Tuple[str, str]]) -> None:
    """One answer as JSON (``data``), or as ``Label  value`` lines for the keys in ``labels``."""
    if out.as_json:
        out.json(data)
        return
    rows: List[Tuple[str, Any]] = [
        (label, _human(data[key])) for key, label in labels if data.get(key) is not None
    ]
    out.print(pairs(rows))


def _human(value: Any) -> Any:
    """A number as people write it (``1``, not ``1.0``); a mapping as ``key=value`` pairs."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{key}={item}" for key, item in value.items())
    return value
