"""``smsworks sandbox``: serve a sandbox of the API on this machine until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import TYPE_CHECKING, Any, Dict

from ._common import (
    EXIT_API,
    EXIT_OK,
    EXIT_USAGE,
    SANDBOX_CREDITS,
    UsageError,
    add_command,
    finish,
    number,
    port,
)
from ._output import Output

if TYPE_CHECKING:
    from ..sandbox import Sandbox


def register(commands: Any) -> None:
    """Add ``sandbox`` to the top-level ``commands``."""
    sandbox = add_command(
        commands,
        "sandbox",
        cmd_sandbox,
        help="run a local sandbox of the API until interrupted",
        description="Serve a sandbox of the API on this machine until Ctrl+C/SIGTERM.",
    )
    sandbox.add_argument("--port", type=port, default=0, help="TCP port (default: any free one)")
    sandbox.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
    sandbox.add_argument(
        "--credits",
        type=number(above_zero=False),
        default=SANDBOX_CREDITS,
        help=f"opening balance (default: {SANDBOX_CREDITS:g})",
    )
    sandbox.add_argument(
        "--delivery-delay",
        type=number(above_zero=False),
        default=0.0,
        metavar="SECONDS",
        help="SENT -> outcome",
    )
    sandbox.add_argument(
        "--delivery-report-url", metavar="URL", help="account-wide delivery report URL"
    )
    sandbox.add_argument("--state-file", metavar="FILE", help="keep the account between runs")
    finish(sandbox)


def _create(args: argparse.Namespace) -> Sandbox:
    from ..sandbox import Sandbox, StateFileError

    try:
        return Sandbox(
            credits=args.credits,
            token=args.token,
            port=args.port,
            host=args.host,
            delivery_delay=args.delivery_delay,
            delivery_report_url=args.delivery_report_url,
            state_file=args.state_file,
        )
    except StateFileError as error:
        raise UsageError(f"--state-file: {error}") from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"--state-file {args.state_file}: {error.strerror or error}") from None


def _announce(sandbox: Sandbox, args: argparse.Namespace, out: Output) -> None:
    # The sandbox's own token is printed: it is a throwaway that only opens this sandbox.
    # A token the user chose with --token is not echoed back.
    if out.as_json:
        data = {"url": sandbox.url, "credits": sandbox.credits}
        if not args.token:
            data["token"] = sandbox.token
        out.json(data)
        return
    out.print(f"SMS Works sandbox on {sandbox.url} with {sandbox.credits:g} credits")
    out.print(f"  export SMSWORKS_BASE_URL={sandbox.url}")
    if args.token:
        out.print("  (token: the one given with --token)")
    else:
        out.print(f"  export SMSWORKS_TOKEN={sandbox.token}")
    out.print("Stop with Ctrl+C.")


def cmd_sandbox(args: argparse.Namespace, out: Output) -> int:
    """``sandbox``: serve until Ctrl+C or SIGTERM, then stop cleanly."""
    sandbox = _create(args)
    stop = threading.Event()
    previous: Dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        sandbox.start()
    except (OSError, ValueError) as error:
        _restore(previous)
        if isinstance(error, ValueError) or getattr(error, "filename", None):
            # The state file, not the address, is what could not be used.
            reason = getattr(error, "strerror", None) or error
            out.error(f"--state-file {args.state_file}: cannot be used: {reason}")
            return EXIT_USAGE
        out.error(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
        return EXIT_API
    try:
        _announce(sandbox, args, out)
        while not stop.wait(0.2):
            pass
    finally:
        _restore(previous)
        sandbox.stop()
    if not out.as_json:
        out.note("sandbox stopped")
    return EXIT_OK


def _restore(previous: Dict[signal.Signals, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)
