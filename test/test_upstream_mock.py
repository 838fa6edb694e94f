"""Our client against Prism's dynamic mock of the UPSTREAM document (not our own openapi.yaml).

The upstream document types several fields loosely (``failurereason.code`` and ``errorCode`` as
``number``); a mock of it sends fractions there, and clients written from it may too. Every
answer must decode: a record is never lost to a fraction, nor a 402 to its ``errorCode``.
"""

from __future__ import annotations

from typing import Iterator

import pytest
from prism import DEFAULT_SEED, PrismServer, require_prism
from reference_files import require

import openapi_client as oc

pytestmark = pytest.mark.prism

CALLS = 40


@pytest.fixture(scope="module")
def upstream_mock() -> Iterator[PrismServer]:
    document = require("smsworks-openapi-1.9.0.yaml")
    with PrismServer(require_prism(), document, dynamic=True, seed=DEFAULT_SEED) as server:
        yield server


@pytest.fixture
def api(upstream_mock: PrismServer) -> Iterator[oc.BatchMessagesApi]:
    cfg = oc.Configuration(host=upstream_mock.url, api_key={"JWT": "token"}, retries=0)
    with oc.ApiClient(cfg) as client:
        yield oc.BatchMessagesApi(client)


def test_every_dynamic_batch_read_decodes(api: oc.BatchMessagesApi) -> None:
    codes = []
    for _ in range(CALLS):
        for record in api.batch_batchid_get("2586749"):
            if record.failurereason is not None and record.failurereason.code is not None:
                codes.append(record.failurereason.code)
    assert all(isinstance(code, (int, float)) and not isinstance(code, bool) for code in codes)


def test_dynamic_402_keeps_its_error_code(api: oc.BatchMessagesApi) -> None:
    batch = oc.BatchMessage(sender="Acme", destinations=["447700900001"], content="Hi")
    for _ in range(10):
        with pytest.raises(oc.InsufficientCreditsException) as caught:
            api.batch_send_post(batch, _headers={"Prefer": "code=402"})
        assert caught.value.status == 402
        assert caught.value.error_code is not None
        assert isinstance(caught.value.data, oc.ExtendedErrorModel)
