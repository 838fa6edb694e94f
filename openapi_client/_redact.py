"""Keeping the token out of every text the SDK produces.

The token reaches two kinds of places. Objects on the request path (the headers dict, the
frames an error tracker records with their local variables) hold the ``Authorization`` value
as ``SecretHeader``, a ``str`` whose ``repr`` hides it. Texts the SDK writes (exception
messages and bodies, log lines, the CLI's output) go through ``redact``, which replaces every
token this process has sent, bare or ``JWT``-prefixed: a server that echoes the request's
headers in its error body cannot put the token into ``str(exc)``.
"""

from __future__ import annotations

import threading
from typing import Dict, Iterable, Optional

__all__ = ["MASK", "SecretHeader", "cut", "redact", "remember", "secret_header"]

MASK = "***"
#: Shorter strings are not treated as secrets: replacing them would garble ordinary text.
_MIN_LENGTH = 4
#: Tokens remembered; the oldest is forgotten beyond this (a process rarely uses more than one).
_KEEP = 256

_known: Dict[str, None] = {}
_lock = threading.Lock()


class SecretHeader(str):
    """The ``Authorization`` value: sent as written, shown as ``'JWT ***'`` by ``repr``.

    ``http.client`` encodes it like any ``str``; error trackers that record local variables
    (``traceback.TracebackException(capture_locals=True)``) call ``repr`` and see no token.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"'JWT {MASK}'"


def remember(token: Optional[str]) -> None:
    """Redact ``token`` (bare, and without any ``JWT ``/``Bearer `` prefix) from now on."""
    if not token:
        return
    words = token.split()
    # The bare token only: hiding it hides every prefixed form too, and leaves "JWT ***" readable.
    forms = set(words[1:] if len(words) > 1 else words)
    with _lock:
        for form in forms:
            if len(form) >= _MIN_LENGTH:
                _known.pop(form, None)  # the newest last: the oldest is forgotten first
                _known[form] = None
        while len(_known) > _KEEP:
            del _known[next(iter(_known))]


def secret_header(value: str) -> SecretHeader:
    """``value`` (``JWT <token>``) as a ``SecretHeader``, its token remembered for ``redact``."""
    remember(value)
    return SecretHeader(value)


def _secrets(extra: Iterable[str] = ()) -> list[str]:
    with _lock:
        found = [*_known, *(s for s in extra if len(s) >= _MIN_LENGTH)]
    return sorted(found, key=len, reverse=True)


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every known token (and those in ``extra``) replaced by ``***``."""
    if not text:
        return text
    for secret in _secrets(extra):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def cut(text: str, limit: int, extra: Iterable[str] = ()) -> str:
    """``text`` redacted, then cut to ``limit`` characters, with no fragment of a token left.

    Redacting first means a cut cannot split a token it would then fail to recognise; a text
    that held only the start of a token (an echo that was itself cut) loses that start too.
    """
    text = redact(text, extra)
    if len(text) <= limit:
        return text
    text = text[:limit]
    for secret in _secrets(extra):
        for size in range(min(len(secret), len(text)), _MIN_LENGTH - 1, -1):
            if text.endswith(secret[:size]):
                return text[:-size] + MASK
    return text
