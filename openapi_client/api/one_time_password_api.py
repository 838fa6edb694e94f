"""The one-time passcode endpoints of The SMS Works API: send a passcode, check it, read it.

Sending texts a person and checking uses the passcode up: neither is ever replayed after it
may have arrived. Reading a passcode's state is.
"""

from __future__ import annotations

from typing_extensions import Unpack

from .. import _validation
from .._operation import Operation
from ..models import OTP, OTPResponse, OTPVerify, OTPVerifyResponse
from ._base import (
    ApiBase,
    OTPIn,
    OTPVerifyIn,
    PathId,
    RequestOptions,
    with_http_info,
    without_preload_content,
)

__all__ = ["OneTimePasswordApi"]

_API = "OneTimePasswordApi"

SEND: Operation[OTP, OTPResponse] = Operation(
    name="otp_send_post", api=_API, method="POST", path="/otp/send",
    status=201, result=OTPResponse, replayable=False,
    body_name="otp", body_type=OTP, body_check=_validation.check_otp,
)  # fmt: skip
VERIFY: Operation[OTPVerify, OTPVerifyResponse] = Operation(
    name="otp_verify_post", api=_API, method="POST", path="/otp/verify",
    status=200, result=OTPVerifyResponse, replayable=False,
    body_name="passcode", body_type=OTPVerify, body_check=_validation.check_otp_verify,
)  # fmt: skip
STATUS: Operation[None, OTPVerifyResponse] = Operation(
    name="otp_messageid_get", api=_API, method="GET", path="/otp/{messageid}",
    status=200, result=OTPVerifyResponse, replayable=True,
)  # fmt: skip
#: This class's operations, for the registry.
OPERATIONS = (
    SEND,
    VERIFY,
    STATUS,
)


class OneTimePasswordApi(ApiBase):
    """Send one-time passcodes by text and check the ones users type in.

    Errors and per-call options as for every API class (see ``ApiBase``).
    """

    # -- POST /otp/send ----------------------------------------------------------------------

    def otp_send_post(self, otp: OTPIn, **options: Unpack[RequestOptions]) -> OTPResponse:
        """Text a one-time passcode to ``otp.destination``.

        Args:
            otp: the ``OTP`` (or a dict with its keys): sender, destination, and optionally the
                passcode's ``length``, its ``validity`` in seconds, a ``template`` holding
                ``{{passcode}}``, a ``passcode`` of your own and ``metadata``.

        Returns:
            ``OTPResponse`` with the ``messageid`` of the text that carried the passcode.

        Raises:
            LocalValidationError: a limit is broken (nothing was sent).
            InsufficientCreditsException: 402, too few credits.
            SendOutcomeUnknownError: the request may have gone out; it was not retried.
            ApiException: any other failure.
        """
        return self._info(SEND, options, otp).data

    otp_send_post_with_http_info = with_http_info(otp_send_post, SEND)
    otp_send_post_without_preload_content = without_preload_content(otp_send_post, SEND)

    # -- POST /otp/verify --------------------------------------------------------------------

    def otp_verify_post(
        self, passcode: OTPVerifyIn, **options: Unpack[RequestOptions]
    ) -> OTPVerifyResponse:
        """Check a passcode a user typed in.

        A check uses the passcode up, so it is never sent twice: a timeout or a 5xx raises
        ``SendOutcomeUnknownError``; ask ``otp_messageid_get`` where the passcode stands instead.

        Args:
            passcode: the ``OTPVerify`` (or ``{"passcode": "123456"}``).

        Returns:
            ``OTPVerifyResponse``: ``status`` ``VERIFIED`` for a good passcode in time.

        Raises:
            LocalValidationError: an empty passcode (nothing was sent).
            NotFoundException: 404, no such passcode.
            SendOutcomeUnknownError: the check may have been made; it was not retried.
            ApiException: any other failure.
        """
        return self._info(VERIFY, options, passcode).data

    otp_verify_post_with_http_info = with_http_info(otp_verify_post, VERIFY)
    otp_verify_post_without_preload_content = without_preload_content(otp_verify_post, VERIFY)

    # -- GET /otp/{messageid} ----------------------------------------------------------------

    def otp_messageid_get(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> OTPVerifyResponse:
        """Read where a passcode stands.

        Args:
            messageid: the id ``otp_send_post`` returned.

        Returns:
            ``OTPVerifyResponse``: status, validity, dates and the metadata it was sent with.

        Raises:
            ApiValueError: an empty or malformed ``messageid`` (nothing was sent).
            NotFoundException: 404, no such passcode.
            ApiException: any other failure.
        """
        return self._info(STATUS, options, messageid=messageid).data

    otp_messageid_get_with_http_info = with_http_info(otp_messageid_get, STATUS)
    otp_messageid_get_without_preload_content = without_preload_content(otp_messageid_get, STATUS)
