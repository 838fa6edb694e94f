"""Test doubles shared by the unit tests: a scripted transport and a stand-in raw response."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from openapi_client.rest import RESTResponse


class FakeTransport:
    """Records every request and answers from a script: unit tests run without sockets.

    ``answers`` is a list of ``(status, body, headers[, reason])`` tuples or exceptions,
    consumed in order; the last one repeats.
    """

    def __init__(self, *answers: Any) -> None:
        self.answers: List[Any] = list(answers) or [(200, b"{}", {})]
        self.calls: List[Dict[str, Any]] = []
        self.cleared = 0

    def request(
        self,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[bytes] = None,
        post_params: Any = None,
        _request_timeout: Any = None,
        *,
        preload_content: bool = True,
    ) -> RESTResponse:
        self.calls.append(
            {
                "method": method,
                "url": url,
                "headers": dict(headers or {}),
                "body": body,
                "timeout": _request_timeout,
                "preload": preload_content,
            }
        )
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        status, data, resp_headers = answer[:3]
        reason = answer[3] if len(answer) > 3 else "Reason"
        if isinstance(data, str):
            data = data.encode()
        return RESTResponse(
            RawResponse(status, data, resp_headers),
            data=data if preload_content else None,
            status=status,
            reason=reason,
            headers=resp_headers,
        )

    def clear(self) -> None:
        self.cleared += 1


class RawResponse:
    """Stands in for ``urllib3.HTTPResponse`` in ``*_without_preload_content`` unit tests."""

    def __init__(self, status: int, data: bytes, headers: Mapping[str, str]) -> None:
        self.status = status
        self.data = data
        self.headers = headers
        self.drained = 0
        self.released = False

    def drain_conn(self) -> None:
        self.drained += 1

    def release_conn(self) -> None:
        self.released = True

    async def aclose(self) -> None:
        """What the async send loop calls on an answer it does not keep (``httpx.Response``)."""
        self.drained += 1
        self.released = True


class AsyncFakeTransport:
    """``FakeTransport`` behind the async transport's contract: the same script and record."""

    def __init__(self, fake: FakeTransport) -> None:
        self.fake = fake

    async def request(self, *args: Any, **kwargs: Any) -> RESTResponse:
        return self.fake.request(*args, **kwargs)

    async def clear(self) -> None:
        self.fake.clear()
