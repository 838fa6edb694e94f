"""How many SMS parts a text needs, how it is split, and what a send may cost.

Everything here is local arithmetic: no network, no pydantic, standard library only, so it is
cheap enough to call on every keystroke of a compose box or on every chunk of a 5,000-recipient
batch.

The rules (3GPP TS 23.038 for the alphabet, the usual concatenated-SMS sizes for parts):

* **GSM-7.** A text made only of characters from the GSM 03.38 basic table and its extension
  table is sent in the 7-bit alphabet. A basic character takes one septet. An extension character
  (``^ { } \\ [ ~ ] | €`` and form feed) is sent as ESC plus a code, so it takes **two** septets.
  One SMS holds 160 septets. A longer text is split into parts of at most 153 septets (the other
  seven carry the concatenation header), and an ESC pair is never cut in half, so a text can need
  one part more than ``ceil(septets / 153)``.
* **UCS-2.** A single character outside those two tables (an emoji, a curly apostrophe pasted from
  a word processor, a backtick) switches the *whole* text to UTF-16. It is counted in UTF-16 code
  units, so a character outside the Basic Multilingual Plane (most emoji) counts as two. One SMS
  holds 70 units; a longer text is split into parts of at most 67 units, and a surrogate pair is
  never cut in half.

Sources and caveats:

* The tables below are 3GPP TS 23.038's default alphabet and extension table (they agree with the
  Unicode consortium's ``GSM0338.TXT`` except for position 0x09, see :data:`GSM7_BASIC`).
  National language shift tables are not used: SMS Works does not mention them.
* SMS Works documents "160 characters per credit, 153 per part" for GSM and "1 credit per 70
  characters" for Unicode. It says nothing about extension characters counting twice, nor about
  Unicode parts holding 67 units once a text is split. We use the standard sizes, which are what
  the network carries; where they differ from SMS Works' simpler wording they give the higher
  count, so an estimate errs on the side of more credits, not fewer.
* Credits are an **estimate**. UK numbers cost one credit per part; SMS Works says international
  numbers "typically" cost double, and some destinations cost a fraction such as 2.5. The
  ``creditsUsed`` the server reports (and your account balance) is the final answer.
"""

import math
import re
import unicodedata
from bisect import bisect_left
from types import MappingProxyType
from typing import (
    Any,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Literal,
    Mapping,
    NamedTuple,
    Protocol,
    Sequence,
    Tuple,
    Union,
)

from .exceptions import ApiTypeError, ApiValueError, PathItem

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "LOOKALIKES",
    "BatchMessageLike",
    "CreditEstimate",
    "Encoding",
    "Lookalike",
    "MessageEstimate",
    "MessageLike",
    "SegmentCount",
    "count_segments",
    "estimate_credits",
    "lookalikes",
    "split_parts",
    "to_gsm",
]

Encoding = Literal["GSM-7", "UCS-2"]

#: The GSM 03.38 default alphabet, indexed by septet value (``GSM7_BASIC[0x02] == "$"``).
#:
#: Position 0x1B is ESC, the switch to the extension table; it is *not* a character anyone can
#: send, so a text containing ``"\x1b"`` is counted as UCS-2.
#:
#: Position 0x09 is capital ``Ç`` (U+00C7) in 3GPP TS 23.038 and on handsets. The Unicode
#: consortium's GSM0338.TXT v2.0 maps it to small ``ç`` (U+00E7) instead, as a "correction", and
#: SMS Works does not say which of the two it accepts. We follow the standard: ``Ç`` is GSM, while
#: ``ç`` is treated as non-GSM. If the gateway does accept ``ç``, the worst outcome is that we
#: over-estimate a bill, never that we under-estimate one. :func:`to_gsm` offers ``ç`` -> ``Ç``.
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The GSM 03.38 extension table: form feed (0x0A), ``^`` (0x14), ``{`` (0x28), ``}`` (0x29),
#: ``\\`` (0x2F), ``[`` (0x3C), ``~`` (0x3D), ``]`` (0x3E), ``|`` (0x40) and ``€`` (0x65). Each is
#: sent as ESC plus its code, so each costs two septets.
GSM7_EXTENSION = "\x0c^{}\\[~]|€"

_ESC = "\x1b"
_BASIC_CHARS: FrozenSet[str] = frozenset(GSM7_BASIC) - {_ESC}
_EXTENSION_CHARS: FrozenSet[str] = frozenset(GSM7_EXTENSION)
_GSM_CHARS: FrozenSet[str] = _BASIC_CHARS | _EXTENSION_CHARS
# The same sets restricted to ASCII, as bytes.translate deletion tables.
_ASCII_GSM = bytes(sorted(ord(c) for c in _GSM_CHARS if c.isascii()))
_ASCII_EXTENSION = bytes(sorted(ord(c) for c in _EXTENSION_CHARS if c.isascii()))

# One pass each, run only when the text holds at least one two-unit character.
_EXTENSION_RE = re.compile("[" + re.escape(GSM7_EXTENSION) + "]")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


class SegmentCount(NamedTuple):
    """How a text would travel as SMS.

    Attributes:
        encoding: ``"GSM-7"`` or ``"UCS-2"`` (UTF-16 on the wire).
        units: Septets for GSM-7 (extension characters count two), UTF-16 code units for UCS-2
            (characters outside the Basic Multilingual Plane count two).
        segments: Number of SMS parts.
        unsupported: The distinct characters that forced UCS-2, in order of first appearance;
            empty for GSM-7.
        characters: ``len(text)``, in Python characters (code points).
    """

    encoding: Encoding
    units: int
    segments: int
    unsupported: Tuple[str, ...]
    characters: int


def _require_str(text: object, path: Sequence[PathItem] = ("text",)) -> str:
    if not isinstance(text, str):
        raise ApiTypeError(f"must be a str, not {type(text).__name__}", path, [str])
    return text


def _require_content(text: object, path: Sequence[PathItem] = ("text",)) -> str:
    checked = _require_str(text, path)
    if not checked:
        raise ApiValueError("must not be empty: an SMS needs at least one character", path)
    return checked


class _Rules(NamedTuple):
    encoding: Encoding
    single: int  # units that fit in a message sent as one part
    multi: int  # units per part once the message is split
    wide: "re.Pattern[str]"  # the characters that take two units


_GSM7 = _Rules("GSM-7", 160, 153, _EXTENSION_RE)
_UCS2 = _Rules("UCS-2", 70, 67, _ASTRAL_RE)


def _analyse(text: str) -> Tuple[_Rules, int, Tuple[str, ...]]:
    """The rules that apply, the total units, and the characters that forced UCS-2."""
    if text.isascii():
        # The common case, done on bytes: each translate is one C pass with no hashing.
        raw = text.encode("ascii")
        if not raw.translate(None, _ASCII_GSM):
            return _GSM7, 2 * len(raw) - len(raw.translate(None, _ASCII_EXTENSION)), ()
    present = set(text)
    foreign = present - _GSM_CHARS
    if not foreign:
        # str.count runs in C; with at most ten extension characters this beats any Python loop.
        extra = sum(map(text.count, present & _EXTENSION_CHARS))
        return _GSM7, len(text) + extra, ()
    # Astral characters are one Python character but a surrogate pair on the wire. surrogatepass
    # keeps a stray lone surrogate countable (as one unit) instead of raising.
    units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    return _UCS2, units, tuple(sorted(foreign, key=text.index))


def _part_ends(text: str, units: int, rules: _Rules) -> List[int]:
    """End index of every part of a multi-part text.

    Each part is filled as far as it goes (the usual encoder behaviour). A two-unit character is
    never cut: it fits whole or moves whole to the next part.
    """
    n = len(text)
    limit = rules.multi
    if units == n:  # every character is one unit: plain slicing
        return [*range(limit, n, limit), n]
    doubles = [m.start() for m in rules.wide.finditer(text)]
    double_set = set(doubles)
    ends: List[int] = []
    start = 0
    while start < n:
        # Take `limit` characters, then give characters back from the end until the part fits.
        end = min(n, start + limit)
        width = end - start + bisect_left(doubles, end) - bisect_left(doubles, start)
        while width > limit:
            end -= 1
            width -= 2 if end in double_set else 1
        ends.append(end)
        start = end
    return ends


def _segments(text: str, units: int, rules: _Rules) -> int:
    if units <= rules.single:
        return 1
    if units == len(text):
        return -(-units // rules.multi)
    return len(_part_ends(text, units, rules))


def count_segments(text: str) -> SegmentCount:
    """Count the SMS parts a text needs, and say which encoding it forces.

    Args:
        text: The message content. The API accepts at most 1,280 characters; longer texts are
            still counted here (refusing them is the request validator's job).

    Returns:
        A :class:`SegmentCount`.

    Raises:
        ApiValueError: ``text`` is empty (the API refuses empty content). A ``ValueError``.
        ApiTypeError: ``text`` is not a ``str``. A ``TypeError``.

    Example:
        >>> count_segments("Your code is 1234")
        SegmentCount(encoding='GSM-7', units=17, segments=1, unsupported=(), characters=17)
    """
    _require_content(text)
    rules, units, culprits = _analyse(text)
    return SegmentCount(rules.encoding, units, _segments(text, units, rules), culprits, len(text))


def split_parts(text: str) -> List[str]:
    """Cut a text into the parts it would be sent as.

    The parts joined give back ``text`` exactly, and ``len(split_parts(t))`` is always
    ``count_segments(t).segments``. An extension character (two septets) or an astral character
    (a surrogate pair) is never split: if it does not fit at the end of a part it starts the next.

    Raises:
        ApiValueError: ``text`` is empty.
        ApiTypeError: ``text`` is not a ``str``.
    """
    _require_content(text)
    rules, units, _ = _analyse(text)
    if units <= rules.single:
        return [text]
    parts: List[str] = []
    start = 0
    for end in _part_ends(text, units, rules):
        parts.append(text[start:end])
        start = end
    return parts


# ---------------------------------------------------------------------------------------------
# Credits


class MessageLike(Protocol):
    """Anything shaped like :class:`openapi_client.Message` (only these two fields are read)."""

    @property
    def destination(self) -> Any: ...

    @property
    def content(self) -> Any: ...


class BatchMessageLike(Protocol):
    """Anything shaped like :class:`openapi_client.BatchMessage` (only these fields are read)."""

    @property
    def destinations(self) -> Any: ...

    @property
    def content(self) -> Any: ...


class MessageEstimate(NamedTuple):
    """The estimated cost of one message to one destination.

    Attributes:
        destination: The destination as given.
        encoding: ``"GSM-7"`` or ``"UCS-2"``.
        segments: SMS parts.
        credits: ``segments`` times 1 for a UK number, times the international multiplier
            otherwise.
        international: Whether the destination was priced as non-UK.
    """

    destination: str
    encoding: Encoding
    segments: int
    credits: float
    international: bool


class CreditEstimate(NamedTuple):
    """An ESTIMATE of what a send will cost, made locally before sending.

    It is not a quote: SMS Works prices international destinations per country (often double,
    sometimes a fraction such as 2.5), may apply its AI Optimiser, and may count parts differently
    from the GSM standard used here. The ``creditsUsed`` the server returns and your account
    balance are the final answer. ``is_estimate`` is always ``True`` so code that logs or stores
    the figure carries that caveat with it.

    Attributes:
        per_message: One row per destination, in request order.
        messages: Number of messages (destinations).
        segments: Total SMS parts.
        credits: Total estimated credits.
        is_estimate: Always ``True``.
    """

    per_message: Tuple[MessageEstimate, ...]
    messages: int
    segments: int
    credits: float
    is_estimate: Literal[True] = True


def _get(obj: Any, name: str) -> Any:
    if type(obj) is dict or isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _has(obj: Any, name: str) -> bool:
    if isinstance(obj, Mapping):
        return name in obj
    return hasattr(obj, name)


def _content_count(content: Any, path: Sequence[PathItem]) -> SegmentCount:
    if content is None:
        raise ApiValueError("is required", path)
    return count_segments(_require_content(content, path))


def _destination(value: Any, path: Sequence[PathItem]) -> str:
    if value is None:
        raise ApiValueError("is required", path)
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a phone number that arrived as a JSON number
    raise ApiTypeError(f"must be a str, not {type(value).__name__}", path, [str])


def estimate_credits(
    batch: Union[
        BatchMessageLike,
        MessageLike,
        Mapping[str, Any],
        Iterable[Union[MessageLike, Mapping[str, Any]]],
    ],
    *,
    international_multiplier: float = 2.0,
    uk_prefix: str = "44",
) -> CreditEstimate:
    """Estimate the credits a send will use, before sending it.

    This is an ESTIMATE (see :class:`CreditEstimate`): the server's ``creditsUsed`` is the final
    answer.

    Args:
        batch: What you would send: a ``BatchMessage`` (or anything with ``content`` and
            ``destinations``, including a dict) for ``/batch/send``; or a list of ``Message``
            objects (anything with ``content`` and ``destination``, including dicts) for
            ``/batch/any``. A single ``Message`` is accepted too.
        international_multiplier: Credits per part for a destination that does not start with
            ``uk_prefix``. SMS Works says "typically double"; pass your own rate if you know it.
        uk_prefix: Destinations starting with this (after any spaces and a leading ``+``) are
            priced at one credit per part.

    Returns:
        A :class:`CreditEstimate` with one row per destination and the totals.

    Raises:
        ApiValueError: Content is missing or empty, a destination is missing, the multiplier
            is negative or not finite, ``uk_prefix`` is empty, or a dict has neither
            ``destinations`` nor ``destination``. The message names the field, for example
            ``messages[3].content: must not be empty: ...``.
        ApiTypeError: Content, a destination, the multiplier or ``uk_prefix`` has the wrong
            type, or ``batch`` is none of the accepted forms.

    Example:
        >>> batch = {"content": "Hi", "destinations": ["447700900001", "33612345678"]}
        >>> estimate_credits(batch).credits
        3.0
    """
    multiplier = international_multiplier
    if isinstance(multiplier, bool) or not isinstance(multiplier, (int, float)):
        raise ApiTypeError(
            f"must be a number, not {type(multiplier).__name__}",
            ["international_multiplier"],
            [float],
        )
    if not math.isfinite(multiplier) or multiplier < 0:
        raise ApiValueError(
            f"must be a finite number >= 0, got {multiplier}", ["international_multiplier"]
        )
    if not isinstance(uk_prefix, str):
        raise ApiTypeError(f"must be a str, not {type(uk_prefix).__name__}", ["uk_prefix"], [str])
    if not uk_prefix:
        raise ApiValueError("must not be empty; the UK's is '44'", ["uk_prefix"])

    if _has(batch, "destinations"):
        rows = _batch_rows(batch, float(multiplier), uk_prefix)
    elif _has(batch, "destination"):
        rows = _message_rows([batch], float(multiplier), uk_prefix)
    elif isinstance(batch, Mapping):
        raise ApiValueError(
            "a dict needs 'destinations' (a BatchMessage) or 'destination' (a Message)", ["batch"]
        )
    elif isinstance(batch, (str, bytes)) or not isinstance(batch, Iterable):
        raise ApiTypeError(
            "must be a BatchMessage, a Message, a list of Messages, or their dicts; "
            f"got {type(batch).__name__}",
            ["batch"],
        )
    else:
        rows = _message_rows(batch, float(multiplier), uk_prefix)
    return CreditEstimate(
        tuple(rows),
        len(rows),
        sum(row.segments for row in rows),
        math.fsum(row.credits for row in rows),
    )


def _batch_rows(batch: Any, multiplier: float, uk_prefix: str) -> List[MessageEstimate]:
    """Rows for ``/batch/send``: one content shared by every destination."""
    destinations = _get(batch, "destinations")
    if destinations is None:
        raise ApiValueError("is required", ["batch", "destinations"])
    if isinstance(destinations, (str, bytes)) or not isinstance(destinations, Iterable):
        raise ApiTypeError("must be a list of phone numbers", ["batch", "destinations"])
    # Count the content once, however many recipients share it (up to 5,000 per request).
    count = _content_count(_get(batch, "content"), ["batch", "content"])
    encoding, segments = count.encoding, count.segments
    uk_credits, intl_credits = float(segments), segments * multiplier
    rows: List[MessageEstimate] = []
    append = rows.append
    for i, value in enumerate(destinations):
        dest = value if type(value) is str else _destination(value, ["batch", "destinations", i])
        intl = not dest.strip().removeprefix("+").startswith(uk_prefix)
        append(
            MessageEstimate(dest, encoding, segments, intl_credits if intl else uk_credits, intl)
        )
    return rows


def _message_rows(
    messages: Iterable[Any], multiplier: float, uk_prefix: str
) -> List[MessageEstimate]:
    """Rows for ``/batch/any``: every message has its own content and destination."""
    # Such lists are often one text to many people: count each distinct text once.
    counts: Dict[str, SegmentCount] = {}
    rows: List[MessageEstimate] = []
    for i, message in enumerate(messages):
        content = _get(message, "content")
        count = counts.get(content) if type(content) is str else None
        if count is None:
            count = counts[content] = _content_count(content, ["messages", i, "content"])
        dest = _destination(_get(message, "destination"), ["messages", i, "destination"])
        intl = not dest.strip().removeprefix("+").startswith(uk_prefix)
        credits = count.segments * multiplier if intl else float(count.segments)
        rows.append(MessageEstimate(dest, count.encoding, count.segments, credits, intl))
    return rows


# ---------------------------------------------------------------------------------------------
# Look-alikes


class Lookalike(NamedTuple):
    """A character that forces UCS-2 although a GSM character looks (nearly) the same.

    Attributes:
        char: The character found.
        replacement: What :func:`to_gsm` puts in its place (may be empty or several characters).
        name: Its Unicode name, e.g. ``"RIGHT SINGLE QUOTATION MARK"``.
        positions: Indexes of every occurrence in the text (Python string indexes).
    """

    char: str
    replacement: str
    name: str
    positions: Tuple[int, ...]


# Typography that word processors, phones and web forms substitute for plain characters. Each one
# alone turns a 160-character SMS into a 70-character one, which is the most common way a send
# costs two or three times what was expected. Only characters with a GSM stand-in that reads the
# same are listed: accented letters outside the table are real spelling, not look-alikes.
_LOOKALIKE_PAIRS: Tuple[Tuple[str, str], ...] = (
    # apostrophes and single quotes
    ("\u2018", "'"),  # LEFT SINGLE QUOTATION MARK
    ("\u2019", "'"),  # RIGHT SINGLE QUOTATION MARK (the "smart" apostrophe)
    ("\u201a", "'"),  # SINGLE LOW-9 QUOTATION MARK
    ("\u201b", "'"),  # SINGLE HIGH-REVERSED-9 QUOTATION MARK
    ("\u2032", "'"),  # PRIME
    ("\u02bc", "'"),  # MODIFIER LETTER APOSTROPHE
    ("\u00b4", "'"),  # ACUTE ACCENT
    ("`", "'"),  # GRAVE ACCENT: in no GSM table at all
    # double quotes
    ("\u201c", '"'),  # LEFT DOUBLE QUOTATION MARK
    ("\u201d", '"'),  # RIGHT DOUBLE QUOTATION MARK
    ("\u201e", '"'),  # DOUBLE LOW-9 QUOTATION MARK
    ("\u201f", '"'),  # DOUBLE HIGH-REVERSED-9 QUOTATION MARK
    ("\u2033", '"'),  # DOUBLE PRIME
    ("\u00ab", '"'),  # LEFT-POINTING DOUBLE ANGLE QUOTATION MARK
    ("\u00bb", '"'),  # RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK
    # hyphens, dashes, minus
    ("\u2010", "-"),  # HYPHEN
    ("\u2011", "-"),  # NON-BREAKING HYPHEN
    ("\u2012", "-"),  # FIGURE DASH
    ("\u2013", "-"),  # EN DASH
    ("\u2014", "-"),  # EM DASH
    ("\u2015", "-"),  # HORIZONTAL BAR
    ("\u2212", "-"),  # MINUS SIGN
    ("\u2022", "-"),  # BULLET (list items pasted from documents)
    # spaces
    ("\t", " "),  # CHARACTER TABULATION: not in the GSM table
    ("\u00a0", " "),  # NO-BREAK SPACE
    ("\u2000", " "),  # EN QUAD
    ("\u2001", " "),  # EM QUAD
    ("\u2002", " "),  # EN SPACE
    ("\u2003", " "),  # EM SPACE
    ("\u2004", " "),  # THREE-PER-EM SPACE
    ("\u2005", " "),  # FOUR-PER-EM SPACE
    ("\u2006", " "),  # SIX-PER-EM SPACE
    ("\u2007", " "),  # FIGURE SPACE
    ("\u2008", " "),  # PUNCTUATION SPACE
    ("\u2009", " "),  # THIN SPACE
    ("\u200a", " "),  # HAIR SPACE
    ("\u202f", " "),  # NARROW NO-BREAK SPACE
    ("\u205f", " "),  # MEDIUM MATHEMATICAL SPACE
    ("\u3000", " "),  # IDEOGRAPHIC SPACE
    # invisible characters: removed
    ("\u00ad", ""),  # SOFT HYPHEN
    ("\u200b", ""),  # ZERO WIDTH SPACE
    ("\u2060", ""),  # WORD JOINER
    ("\ufeff", ""),  # ZERO WIDTH NO-BREAK SPACE (a byte order mark pasted mid-text)
    # line breaks
    ("\u2028", "\n"),  # LINE SEPARATOR
    ("\u2029", "\n"),  # PARAGRAPH SEPARATOR
    # other punctuation
    ("\u2026", "..."),  # HORIZONTAL ELLIPSIS
    ("\u2044", "/"),  # FRACTION SLASH
    ("\u2215", "/"),  # DIVISION SLASH
    # 0x09: the standard's capital C cedilla stands in for the small one (see GSM7_BASIC)
    ("\u00e7", "\u00c7"),  # LATIN SMALL LETTER C WITH CEDILLA
)

#: Every look-alike :func:`to_gsm` replaces, mapped to its replacement. Read-only.
LOOKALIKES: Mapping[str, str] = MappingProxyType(dict(_LOOKALIKE_PAIRS))
_LOOKALIKE_SET: FrozenSet[str] = frozenset(LOOKALIKES)
# Control characters have no Unicode name (only an alias); the tab is the one in the table.
_LOOKALIKE_NAMES: Mapping[str, str] = {
    char: unicodedata.name(char, "CHARACTER TABULATION") for char in LOOKALIKES
}
_TO_GSM_TABLE: Dict[int, str] = {ord(char): repl for char, repl in _LOOKALIKE_PAIRS}


def lookalikes(text: str) -> List[Lookalike]:
    """Find characters that force UCS-2 although a GSM character would read the same.

    Args:
        text: The message content (may be empty).

    Returns:
        One :class:`Lookalike` per distinct character found, in order of first appearance, each
        with every position it occurs at. Empty when there are none.

    Raises:
        ApiTypeError: ``text`` is not a ``str``.
    """
    _require_str(text)
    found = _LOOKALIKE_SET.intersection(text)
    result: List[Lookalike] = []
    for char in sorted(found, key=text.index):
        positions: List[int] = []
        at = text.find(char)
        while at != -1:
            positions.append(at)
            at = text.find(char, at + 1)
        result.append(Lookalike(char, LOOKALIKES[char], _LOOKALIKE_NAMES[char], tuple(positions)))
    return result


def to_gsm(text: str) -> str:
    """Replace every look-alike (see :data:`LOOKALIKES`) with its GSM stand-in.

    Opt-in: nothing in the SDK calls it for you, because it changes what the recipient reads
    (``…`` becomes ``...``, ``ç`` becomes ``Ç``, a tab becomes a space). Characters that are not
    look-alikes (emoji, other scripts) are left alone, so a text that still has one of those stays
    UCS-2; :func:`count_segments` on the result tells you.

    Raises:
        ApiTypeError: ``text`` is not a ``str``.
    """
    _require_str(text)
    if _LOOKALIKE_SET.isdisjoint(text):
        return text
    return text.translate(_TO_GSM_TABLE)
