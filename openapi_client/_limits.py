"""The documented limits of The SMS Works API, in one place.

Both the client-side checks and the built-in sandbox read these, so the SDK and its
stand-in server can never disagree about what the real service accepts.
"""

from typing import Final

#: Messages (``/batch/any``) or recipients (``/batch/send``) in one request.
MAX_BATCH_SIZE: Final = 5000
#: Alphanumeric sender IDs: letters and digits, at most 11 characters.
MAX_SENDER_ALPHANUMERIC: Final = 11
#: Numeric sender IDs (a phone number or a Reply Number), at most 15 digits.
MAX_SENDER_NUMERIC: Final = 15
#: The same two sender rules as one regular expression (as documented in openapi.yaml).
SENDER_PATTERN: Final = r"^(?:[A-Za-z0-9]{1,11}|[0-9]{1,15})$"
#: Message text, in characters.
MAX_CONTENT_LENGTH: Final = 1280
#: ``tag`` length, in characters.
MAX_TAG_LENGTH: Final = 280
#: ``validity`` in minutes: how long the network keeps trying before EXPIRED.
MIN_VALIDITY: Final = 1
MAX_VALIDITY: Final = 2880
#: E.164 allows at most 15 digits; shorter than 7 is no routable mobile number.
MIN_DESTINATION_DIGITS: Final = 7
MAX_DESTINATION_DIGITS: Final = 15
#: A new account starts with this many free credits.
DEFAULT_CREDITS: Final = 50
#: Messages one search (``/messages``, ``/messages/inbox``, ``/messages/failed``) returns at
#: most; also what it returns when ``Query.limit`` is left out.
MAX_QUERY_RESULTS: Final = 1000
#: Digits of a generated one-time passcode when ``OTP.length`` is left out.
DEFAULT_OTP_LENGTH: Final = 6
#: The placeholder an ``OTP.template`` must hold; the API puts the passcode in its place.
OTP_PLACEHOLDER: Final = "{{passcode}}"
#: ``OTP.metadata``, encoded as JSON, in bytes.
MAX_OTP_METADATA_BYTES: Final = 1024
