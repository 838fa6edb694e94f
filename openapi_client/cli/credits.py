"""``smsworks credits``: the account's balance (``CreditsApi``)."""

from __future__ import annotations

import argparse
from typing import Any

from ._client import api
from ._common import EXIT_OK, add_command, finish
from ._output import Output


def register(commands: Any) -> None:
    """Add ``credits`` to the top-level ``commands``."""
    credits = add_command(
        commands,
        "credits",
        cmd_credits,
        help="the account's credit balance",
        description="Show the credits left on the account (may be negative on an overdraft).",
    )
    finish(credits)


def cmd_credits(args: argparse.Namespace, out: Output) -> int:
    """``credits``: the balance, as ``Credits  47`` or ``{"credits": 47.0}``."""
    with api(args, out, "credits_api", "CreditsApi") as credits:
        balance = credits.credits_balance_get()
    if out.as_json:
        out.json({"credits": balance.credits})
    else:
        out.print(f"Credits  {balance.credits:g}")
    return EXIT_OK
