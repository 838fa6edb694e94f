"""The API client a command talks through: ``--sandbox`` or the configured API."""

from __future__ import annotations

import argparse
import importlib
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Dict, Iterator

from ._common import TRUE_WORDS, UsageError
from ._errors import in_cli_words
from ._output import Output

if TYPE_CHECKING:
    from ..api_client import ApiClient


@contextmanager
def api_client(args: argparse.Namespace, out: Output) -> Iterator[ApiClient]:
    """An ``ApiClient`` for the chosen target: a throwaway ``--sandbox`` or the configured API."""
    import openapi_client

    options: Dict[str, Any] = {"duplicate_destinations": args.duplicates}
    if allow_insecure_http(args):
        options["allow_insecure_http"] = True
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.sandbox:
        from ..sandbox import Sandbox

        with Sandbox(credits=args.sandbox_credits) as sandbox:
            out.hide(sandbox.token)
            out.note(f"using a throwaway in-process sandbox at {sandbox.url}")
            config = openapi_client.Configuration(
                host=sandbox.url, api_key={"JWT": sandbox.token}, **options
            )
            with openapi_client.ApiClient(config) as client:
                yield client
        return
    token = args.token or os.environ.get("SMSWORKS_TOKEN")
    if not token or not token.strip():
        raise UsageError("no token: pass --token or set SMSWORKS_TOKEN (or try --sandbox)")
    out.hide(token)
    out.hide(token.strip())
    host = args.base_url or os.environ.get("SMSWORKS_BASE_URL") or None
    if host is not None:
        _check_base_url(host, "--base-url" if args.base_url else "SMSWORKS_BASE_URL")
    try:
        config = openapi_client.Configuration(host=host, api_key={"JWT": token}, **options)
    except openapi_client.ApiValueError as error:
        raise UsageError(in_cli_words(error, args)) from None
    with openapi_client.ApiClient(config) as client:
        yield client


@contextmanager
def api(args: argparse.Namespace, out: Output, module: str, name: str) -> Iterator[Any]:
    """The API class ``name`` of ``openapi_client.api.<module>`` over :func:`api_client`.

    Imported when a command runs, so that ``--help`` loads neither pydantic nor urllib3.
    """
    with api_client(args, out) as client:
        yield getattr(importlib.import_module(f"openapi_client.api.{module}"), name)(client)


def _check_base_url(url: str, source: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as error:
        raise UsageError(f"{source}: {url!r} is not a URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{source}: {url!r} is not an http:// or https:// URL with a host")


def allow_insecure_http(args: argparse.Namespace) -> bool:
    """Whether ``--allow-insecure-http`` or ``SMSWORKS_ALLOW_INSECURE_HTTP`` says so."""
    if getattr(args, "allow_insecure_http", False):
        return True
    return os.environ.get("SMSWORKS_ALLOW_INSECURE_HTTP", "").strip().lower() in TRUE_WORDS
