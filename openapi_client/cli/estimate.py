"""``smsworks estimate``: encoding, parts and credits of a text, worked out offline."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from ._common import (
    EXIT_OK,
    PROG,
    UsageError,
    add_command,
    add_recipients,
    finish,
    number,
    recipients,
)
from ._output import Output, pairs, table

if TYPE_CHECKING:
    from ..sms import SegmentCount


def register(commands: Any) -> None:
    """Add ``estimate`` to the top-level ``commands``."""
    estimate = add_command(
        commands,
        "estimate",
        cmd_estimate,
        help="encoding, segments and credits of a text (offline)",
        description="Estimate locally, without sending: encoding, SMS parts, credits.",
    )
    estimate.add_argument("--content", required=True, help="the message text")
    add_recipients(estimate)
    estimate.add_argument(
        "--international-multiplier",
        type=number(above_zero=True),
        default=2.0,
        metavar="X",
        help="credits per part for non-UK numbers (default: 2)",
    )
    finish(estimate)


def _estimate(args: argparse.Namespace) -> Tuple[SegmentCount, Dict[str, Any]]:
    """The segment count of ``--content`` and everything ``--json`` prints."""
    from .. import sms
    from .._limits import MAX_CONTENT_LENGTH

    count = sms.count_segments(args.content)
    numbers = recipients(args)
    multiplier = args.international_multiplier
    credits: Optional[float] = None
    international = 0
    if numbers:
        estimate = sms.estimate_credits(
            {"content": args.content, "destinations": numbers},
            international_multiplier=multiplier,
        )
        credits = estimate.credits
        international = sum(1 for row in estimate.per_message if row.international)
    data: Dict[str, Any] = {
        "encoding": count.encoding,
        "characters": count.characters,
        "units": count.units,
        "segments": count.segments,
        "unsupported": list(count.unsupported),
        "lookalikes": [
            {"char": item.char, "replacement": item.replacement, "name": item.name}
            for item in sms.lookalikes(args.content)
        ],
        "recipients": len(numbers),
        "international": international,
        "credits_per_uk_recipient": float(count.segments),
        "credits_per_international_recipient": count.segments * multiplier,
        "credits": credits,
        "is_estimate": True,
        "sendable": len(args.content) <= MAX_CONTENT_LENGTH,
    }
    return count, data


def cmd_estimate(args: argparse.Namespace, out: Output) -> int:
    """``estimate``: what a text costs, and whether a send would take it."""
    from .._limits import MAX_CONTENT_LENGTH

    if not args.content:
        raise UsageError("--content must not be empty")
    count, data = _estimate(args)
    if not data["sendable"]:
        out.note(
            f"{PROG}: warning: a send would be refused: the text is {len(args.content):,} "
            f"characters and the API takes at most {MAX_CONTENT_LENGTH:,}"
        )
    if out.as_json:
        out.json(data)
        return EXIT_OK
    unit = "septets" if count.encoding == "GSM-7" else "UTF-16 units"
    rows: List[Tuple[str, Any]] = [
        ("Encoding", count.encoding),
        ("Characters", count.characters),
        ("Length", f"{count.units} {unit}"),
        ("Segments", count.segments),
        ("Unsupported", " ".join(_show_char(c) for c in count.unsupported) or "none"),
    ]
    if data["recipients"]:
        rows.append(("Recipients", f"{data['recipients']} ({data['international']} international)"))
        rows.append(("Credits", f"{data['credits']:g} (estimate)"))
    else:
        rows.append(("Credits", f"{count.segments:g} per UK recipient (estimate)"))
    if not data["sendable"]:
        rows.append(("Sendable", f"no: over {MAX_CONTENT_LENGTH:,} characters"))
    out.print(pairs(rows))
    _show_lookalikes(out, data["lookalikes"])
    return EXIT_OK


def _show_lookalikes(out: Output, found: List[Dict[str, Any]]) -> None:
    if not found:
        return
    out.print("")
    out.print("Replace these to stay in GSM-7 (see sms.to_gsm):")
    out.print(
        table(
            [(_show_char(item["char"]), repr(item["replacement"]), item["name"]) for item in found],
            header=("CHAR", "WITH", "NAME"),
        )
    )


def _show_char(char: str) -> str:
    return f"{char!r} U+{ord(char):04X}" if len(char) == 1 else repr(char)
