"""What every command shares: exit statuses, usage errors, option types, shared options."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import IO, Any, Callable, Dict, List, NoReturn, Sequence, Tuple

PROG = "smsworks"
EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: Opening balance of a sandbox the command starts (``sandbox``, ``--sandbox``): enough for
#: every example of the documentation, volume sends included. A real account (and
#: ``Sandbox()`` in code) starts with 50; ``--credits 50`` starts like one.
SANDBOX_CREDITS = 100_000.0
TRUE_WORDS = {"true", "yes", "y", "1", "on"}
FALSE_WORDS = {"false", "no", "n", "0", "off"}


class UsageError(Exception):
    """Bad usage or input, found before anything was sent (exit status 2)."""


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line (and where to find the full usage)."""

    def error(self, message: str) -> NoReturn:
        text = f"{self.prog}: error: {message} (see {self.prog} --help)"
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        self.exit(EXIT_USAGE, " ".join(text.split()) + "\n")


# -- option types ----------------------------------------------------------------------------


def positive_int(text: str) -> int:
    """A whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must not be negative")
    return value


def port(text: str) -> int:
    """A TCP port, 0 meaning any free one."""
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: a TCP port is 0..65535 (0: any free port)")
    return value


def number(*, above_zero: bool) -> Callable[[str], float]:
    """A finite number, at least 0 (or above 0): never nan, inf or a negative amount."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"{text!r}: must be a finite number")
        if value < 0 or (above_zero and value == 0):
            bound = "above 0" if above_zero else "0 or more"
            raise argparse.ArgumentTypeError(f"{text!r}: must be {bound}")
        return value

    return parse


def boolean(value: str, where: str) -> bool:
    """``true``, ``yes``, ``1``... or ``false``, ``no``, ``0``...; else a usage error."""
    lowered = value.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise UsageError(f"{where}: expected true or false, got {value!r}")


#: Options whose values are file names: any bytes the file system allows are fine there.
PATH_OPTIONS = {"file", "to_file", "state_file", "unsent_file"}
#: Positional arguments, named as the usage line names them.
POSITIONALS = {"batchid", "messageid", "passcode"}


def refuse_undecodable(args: argparse.Namespace) -> None:
    """Refuse an option value that held bytes that are not UTF-8 (lone surrogates in argv)."""
    for name, value in vars(args).items():
        if name in PATH_OPTIONS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                continue
            bad = next((ch for ch in item if "\udc80" <= ch <= "\udcff"), None)
            if bad is not None:
                label = name if name in POSITIONALS else "--" + name.replace("_", "-")
                raise UsageError(
                    f"{label}: byte 0x{ord(bad) - 0xDC00:02x} is not UTF-8 text; "
                    "give the value as UTF-8"
                )


def add_globals(parser: argparse.ArgumentParser, top: bool) -> None:
    """The options every command takes, before or after the command name."""
    # Below the top level, defaults are SUPPRESSed so a sub-command never overwrites a value
    # given before it (``smsworks --json batch get 1`` and ``smsworks batch get 1 --json``).
    default: Any = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("connection and output")
    group.add_argument(
        "--token",
        default=default,
        help="API token (default: $SMSWORKS_TOKEN); never printed",
    )
    group.add_argument(
        "--base-url",
        default=default,
        metavar="URL",
        help="API base URL (default: $SMSWORKS_BASE_URL, else the production API)",
    )
    group.add_argument(
        "--sandbox",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="run against a throwaway in-process sandbox instead of the API",
    )
    group.add_argument(
        "--sandbox-credits",
        type=number(above_zero=False),
        default=SANDBOX_CREDITS if top else argparse.SUPPRESS,
        metavar="N",
        help=f"opening balance of the --sandbox account (default: {SANDBOX_CREDITS:g})",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="print machine-readable JSON on stdout",
    )
    group.add_argument(
        "--timeout",
        type=number(above_zero=True),
        default=default,
        metavar="SECONDS",
        help="per-request timeout (default: the SDK's, 5 s connect / 60 s read)",
    )
    group.add_argument(
        "--duplicates",
        choices=("error", "drop", "allow"),
        default="error" if top else argparse.SUPPRESS,
        help="what to do with a repeated recipient (default: error)",
    )
    group.add_argument(
        "--allow-insecure-http",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="allow sending the token over plain http:// to a host that is not this machine "
        "(default: $SMSWORKS_ALLOW_INSECURE_HTTP=1, else refused)",
    )


def subcommands(parser: argparse.ArgumentParser, dest: str, metavar: str) -> Any:
    """A required set of sub-commands under ``parser``."""
    commands = parser.add_subparsers(dest=dest, metavar=metavar)
    commands.required = True
    return commands


def add_command(
    commands: Any, name: str, handler: Callable[..., int], **texts: Any
) -> argparse.ArgumentParser:
    """A sub-command that runs ``handler(args, out)``; its own options are added by the caller.

    The global options are added last (:func:`finish`), so ``--help`` lists them after the
    command's own.
    """
    parser: argparse.ArgumentParser = commands.add_parser(name, **texts)
    parser.set_defaults(handler=handler)
    return parser


def finish(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Let ``parser`` take the global options too (after its own, in ``--help``)."""
    add_globals(parser, top=False)
    return parser


# -- recipients ------------------------------------------------------------------------------


def add_recipients(parser: argparse.ArgumentParser) -> None:
    """``--to`` (repeatable, commas allowed) and ``--to-file``."""
    parser.add_argument(
        "--to",
        action="append",
        metavar="NUMBER",
        help="recipient, international form (447700900001); repeat or separate with commas",
    )
    parser.add_argument(
        "--to-file",
        action="append",
        metavar="FILE",
        help="file of recipients, one per line ('-' for stdin)",
    )


def open_text(path: str) -> IO[str]:
    """``path`` opened as UTF-8 text (a BOM skipped), or stdin for ``-``."""
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None


def split_numbers(values: Sequence[str]) -> List[str]:
    """Numbers from values that may each hold several, separated by commas."""
    numbers: List[str] = []
    for value in values:
        numbers.extend(part.strip() for part in value.split(",") if part.strip())
    return numbers


def read_numbers(path: str) -> List[str]:
    """One number per line (commas also separate); blank lines and ``#`` comments skipped."""
    handle = open_text(path)
    try:
        lines = [line.split("#", 1)[0] for line in handle]
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text: {error}") from None
    finally:
        if handle is not sys.stdin:
            handle.close()
    return split_numbers(lines)


def recipients(args: argparse.Namespace) -> List[str]:
    """Every number of ``--to`` and ``--to-file``, in order."""
    numbers = split_numbers(args.to or [])
    for path in args.to_file or []:
        numbers.extend(read_numbers(path))
    return numbers


# -- dates -----------------------------------------------------------------------------------


def parse_when(value: str, option: str = "--at") -> datetime:
    """``--at``: ISO 8601 with an offset (or ``Z``), or the API's own date form."""
    from dateutil.parser import isoparse

    from .._dates import parse_api_datetime

    text = value.strip()
    try:
        moment = isoparse(text)
    except (ValueError, OverflowError):
        parsed = parse_api_datetime(text) if "GMT" in text else None
        if parsed is None:
            raise UsageError(
                f"{option} {value!r} is not a date; use ISO 8601 with an offset, "
                "e.g. 2026-12-01T09:00:00+00:00"
            ) from None
        return parsed
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UsageError(
            f"{option} {value!r} has no UTC offset, so it names a different moment in every time "
            "zone; add one, e.g. 2026-12-01T09:00:00+00:00 or ...Z"
        )
    return moment


# -- message options -------------------------------------------------------------------------


def add_at(parser: argparse.ArgumentParser) -> None:
    """``--at``: when a scheduled send goes out."""
    parser.add_argument(
        "--at", required=True, metavar="WHEN", help="ISO 8601 with offset: 2026-12-01T09:00:00Z"
    )


def add_validity_ttl(parser: argparse.ArgumentParser) -> None:
    """``--validity`` and ``--ttl``, in minutes."""
    parser.add_argument(
        "--validity", type=positive_int, metavar="MINUTES", help="1..2880 (default 2880)"
    )
    parser.add_argument(
        "--ttl", type=positive_int, metavar="MINUTES", help="minutes to keep delivery reports"
    )


def add_message_extras(parser: argparse.ArgumentParser) -> None:
    """``--tag`` and ``--delivery-report-url``."""
    parser.add_argument("--tag", help="label for reports (up to 280 characters)")
    parser.add_argument(
        "--delivery-report-url", metavar="URL", help="where delivery reports are POSTed"
    )


def message_fields(args: argparse.Namespace) -> Dict[str, Any]:
    """The optional message fields the options gave."""
    fields: Dict[str, Any] = {}
    for name, value in (
        ("tag", args.tag),
        ("deliveryreporturl", args.delivery_report_url),
        ("validity", args.validity),
        ("ttl", args.ttl),
    ):
        if value is not None:
            fields[name] = value
    return fields


# -- key=value pairs -------------------------------------------------------------------------


def key_value(text: str) -> Tuple[str, str]:
    """``--metadata KEY=VALUE``: a non-blank key and any value (``=`` may appear in it)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: give KEY=VALUE, e.g. customer=1234")
    return key.strip(), value


def add_metadata(parser: argparse.ArgumentParser, what: str) -> None:
    """``--metadata KEY=VALUE``, repeatable."""
    parser.add_argument(
        "--metadata",
        action="append",
        type=key_value,
        metavar="KEY=VALUE",
        help=f"{what}; repeat for several pairs",
    )
