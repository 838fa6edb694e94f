"""The ``smsworks`` command: the SMS Works API from a shell.

::

    smsworks batch send --sender Acme --content "Hi" --to 447700900001 --to 447700900002
    smsworks batch any messages.csv --sender Acme
    smsworks batch schedule --at 2026-12-01T09:00:00+00:00 --sender Acme --content "Hi" --to ...
    smsworks batch get 3000001
    smsworks batch cancel 3000002
    smsworks message send --sender Acme --content "Hi" --to 447700900001
    smsworks message search --status DELIVERED --limit 10
    smsworks otp send --sender Acme --to 447700900001
    smsworks otp verify 123456
    smsworks credits
    smsworks estimate --content "Hi there" --to 447700900001
    smsworks sandbox --port 8025

Every command talks to the API through the SDK's public surface (``ApiClient``, the API
classes, the models and the exception tree). Exit status: 0 on success, 1 when the API (or the
network) failed, 2 for bad usage or input (nothing was sent), 130 on Ctrl+C. The token is read
from ``--token`` or ``SMSWORKS_TOKEN`` and never written to any output.

Each API group is a module with a ``register(commands)`` function that adds its sub-commands;
a command imports the SDK only when it runs, so ``--help`` answers without pydantic or urllib3.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import Optional, Sequence

from . import batch, credits, estimate, messages, otp, sandbox
from ._common import (
    EXIT_API,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    SANDBOX_CREDITS,
    Parser,
    UsageError,
    add_globals,
    refuse_undecodable,
    subcommands,
)
from ._errors import describe_api_error, in_cli_words
from ._output import Output

__all__ = ["SANDBOX_CREDITS", "Output", "UsageError", "build_parser", "main"]

#: The command groups, in the order ``--help`` lists them.
GROUPS = (batch, messages, otp, credits, estimate, sandbox)


def build_parser() -> argparse.ArgumentParser:
    """The ``smsworks`` argument parser."""
    from .. import __version__

    parser = Parser(
        prog=PROG,
        description="Send, schedule, read back and cancel SMS messages with The SMS Works.",
        epilog="Exit status: 0 ok, 1 API or network failure, 2 bad usage or input.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_globals(parser, top=True)
    commands = subcommands(parser, "command", "COMMAND")
    for group in GROUPS:
        group.register(commands)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run ``smsworks`` with ``argv`` (default: the process arguments); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    out = Output(args.json, sys.stdout, sys.stderr)
    out.hide(args.token)
    out.hide(os.environ.get("SMSWORKS_TOKEN"))
    try:
        refuse_undecodable(args)
    except UsageError as error:
        out.error(str(error))
        return EXIT_USAGE
    return _run(args, out)


def _run(args: argparse.Namespace, out: Output) -> int:
    """Run the chosen command; every failure becomes one line on stderr and an exit status."""
    from pydantic import ValidationError

    import openapi_client

    try:
        result: int = args.handler(args, out)
        return result
    except UsageError as error:
        out.error(str(error))
        return EXIT_USAGE
    except (openapi_client.ApiValueError, openapi_client.ApiTypeError) as error:
        out.error(in_cli_words(error, args))
        return EXIT_USAGE
    except ValidationError as error:  # a value argparse let through but a model refused
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()
        )
        out.error(problems)
        return EXIT_USAGE
    except openapi_client.ApiException as error:
        out.error(describe_api_error(error))
        return EXIT_API
    except KeyboardInterrupt:
        out.error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `smsworks batch get 1 | head`: the reader has gone
        # Point stdout at nothing so the interpreter's final flush does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
