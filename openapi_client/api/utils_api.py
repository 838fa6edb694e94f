"""The utility endpoints of The SMS Works API: test the token, look up an error code."""

from __future__ import annotations

from typing_extensions import Unpack

from .._operation import Operation
from ..models import ExtendedErrorModel, TestResponse
from ._base import ApiBase, PathId, RequestOptions, with_http_info, without_preload_content

__all__ = ["UtilsApi"]

_API = "UtilsApi"

TEST: Operation[None, TestResponse] = Operation(
    name="utils_test_get", api=_API, method="GET", path="/utils/test",
    status=200, result=TestResponse, replayable=True,
)  # fmt: skip
ERROR: Operation[None, ExtendedErrorModel] = Operation(
    name="utils_errors_errorcode_get", api=_API, method="GET", path="/utils/errors/{errorcode}",
    status=200, result=ExtendedErrorModel, replayable=True,
)  # fmt: skip
#: This class's operations, for the registry.
OPERATIONS = (
    TEST,
    ERROR,
)


class UtilsApi(ApiBase):
    """Utilities: check the token, and fetch sample error bodies.

    Errors and per-call options as for every API class (see ``ApiBase``).
    """

    # -- GET /utils/test ---------------------------------------------------------------------

    def utils_test_get(self, **options: Unpack[RequestOptions]) -> TestResponse:
        """Check that the token works.

        Returns:
            ``TestResponse``; ``message`` holds the account's customer ID.

        Raises:
            UnauthorizedException: 401, the token is missing, wrong or expired.
            ApiException: any other failure.
        """
        return self._info(TEST, options).data

    utils_test_get_with_http_info = with_http_info(utils_test_get, TEST)
    utils_test_get_without_preload_content = without_preload_content(utils_test_get, TEST)

    # -- GET /utils/errors/{errorcode} -------------------------------------------------------

    def utils_errors_errorcode_get(
        self, errorcode: PathId, **options: Unpack[RequestOptions]
    ) -> ExtendedErrorModel:
        """Fetch a sample of the error body the API sends for ``errorcode``.

        The answer is the error body itself, returned (not raised) as an ``ExtendedErrorModel``
        when the API answers it with a 2xx status. An answer outside 2xx raises as every call does.

        Args:
            errorcode: the API's numeric error code, e.g. ``1030``.

        Returns:
            ``ExtendedErrorModel`` with the code's ``errorCode``, ``status``, ``message`` and
            ``permanent``.

        Raises:
            ApiValueError: an empty or malformed ``errorcode`` (nothing was sent).
            ApiException: any failure.
        """
        return self._info(ERROR, options, errorcode=errorcode).data

    utils_errors_errorcode_get_with_http_info = with_http_info(utils_errors_errorcode_get, ERROR)
    utils_errors_errorcode_get_without_preload_content = without_preload_content(
        utils_errors_errorcode_get, ERROR
    )
