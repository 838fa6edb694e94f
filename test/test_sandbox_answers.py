"""Every kind of answer the sandbox gives is one both OpenAPI documents allow.

Each answer is checked against the response the document declares for that operation and status
(or its ``default``): the status must be declared, the Content-Type must be the declared media
type and the body must validate against the declared schema, ``$ref``s resolved. Our own
``openapi.yaml`` is checked strictly; upstream's 1.9.0 document (``shared/reference``) with its
own types, allowing only the defects its README lists, by name.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import pytest
import yaml
from openapi_schema_validator import OAS30Validator
from reference_files import require

from openapi_client.sandbox import Sandbox
from openapi_client.sandbox._server import OPERATION_ROUTES

REPO = Path(__file__).resolve().parent.parent
UK = "447700900001"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
FAR = "2099-01-01T00:00:00Z"

# Upstream's defects (its README, "Known defects") that a sandbox answer meets, by number:
#   6. 401 is not declared anywhere: a 401 is checked against the operation's `default`.
UPSTREAM_UNDECLARED_STATUSES = {401: "defect 6: 401 is not declared upstream"}
# Where upstream contradicts itself or the API, by path template, and why the sandbox differs:
#   SMSWORKS-FACTS §9.10: GET /messages/schedule is declared as one object, described as a list.
UPSTREAM_LIST_FOR_OBJECT = {"/messages/schedule": "FACTS 9.10: declared an object, said a list"}
#   Statuses upstream leaves to `default` although the operation gives them: 402 on the sends
#   that do not declare it, and the 200 of /utils/errors/{errorcode}, whose only response is
#   `default` (the sample error is the answer, not a failure).
UPSTREAM_DEFAULT_STATUSES = {
    ("POST", "/message/schedule"): {402},
    ("POST", "/otp/send"): {402},
    ("GET", "/utils/errors/{errorcode}"): {200},
}


class Answer:
    def __init__(self, status: int, headers: http.client.HTTPMessage, raw: bytes) -> None:
        self.status = status
        self.headers = headers
        self.raw = raw
        self.body: Any = json.loads(raw) if raw else None


class Client:
    def __init__(self, sandbox: Sandbox) -> None:
        parts = urlsplit(sandbox.url)
        assert parts.hostname is not None and parts.port is not None
        self.host, self.port = parts.hostname, parts.port
        self.token = sandbox.token
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: Optional[bytes] = None,
        auth: Optional[str] = "default",
    ) -> Answer:
        headers = {"Content-Type": "application/json"}
        if auth == "default":
            headers["Authorization"] = f"JWT {self.token}"
        elif auth is not None:
            headers["Authorization"] = auth
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        self.connection.request(method, "/v1" + path, body=data, headers=headers)
        response = self.connection.getresponse()
        return Answer(response.status, response.headers, response.read())


class Document:
    """One OpenAPI document: find the declared response of an answer and validate against it."""

    def __init__(self, path: Path) -> None:
        self.data: Dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.templates = [
            (template, re.compile(re.sub(r"\{[^}]+\}", "[^/]+", template)))
            for template in self.data["paths"]
        ]

    def template(self, path: str) -> str:
        matches = [template for template, pattern in self.templates if pattern.fullmatch(path)]
        # A literal path wins over a template (/batch/send over /batch/{batchid}).
        matches.sort(key=lambda template: template.count("{"))
        assert matches, f"{path} is not in the document"
        return matches[0]

    def methods(self, template: str) -> List[str]:
        return sorted(m.upper() for m in self.data["paths"][template] if m in METHODS)

    def _deref(self, node: Dict[str, Any]) -> Dict[str, Any]:
        while "$ref" in node:
            target: Any = self.data
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def response(self, method: str, path: str, status: int) -> Dict[str, Any]:
        operation = self.data["paths"][self.template(path)][method.lower()]
        responses = operation["responses"]
        declared = responses.get(str(status), responses.get("default"))
        assert declared is not None, f"{method} {path}: {status} is not declared"
        return self._deref(declared)

    def check(self, method: str, path: str, answer: Answer, lists: bool = False) -> None:
        """``lists``: an answer that is a list is checked item by item against the schema
        (for an operation ``UPSTREAM_LIST_FOR_OBJECT`` names)."""
        response = self.response(method, path, answer.status)
        content = response["content"]
        given = answer.headers.get("Content-Type", "").replace(" ", "").lower()
        media = {key.replace(" ", "").lower(): key for key in content}
        assert given in media, f"{given} is not declared for {method} {path} {answer.status}"
        schema = content[media[given]]["schema"]
        if lists and isinstance(answer.body, list):
            schema = {"type": "array", "items": schema}
        rooted = {"allOf": [schema], "components": self.data["components"]}
        errors = sorted(OAS30Validator(rooted).iter_errors(answer.body), key=str)
        assert not errors, f"{method} {path} {answer.status}: {errors[0].message}"


@pytest.fixture(scope="module")
def ours() -> Document:
    return Document(REPO / "openapi.yaml")


@pytest.fixture(scope="module")
def upstream() -> Document:
    return Document(require("smsworks-openapi-1.9.0.yaml"))


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(credits=100, delivery_delay=0) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Client]:
    api = Client(sandbox)
    yield api
    api.connection.close()


def _every_answer(sandbox: Sandbox, client: Client) -> List[Tuple[str, str, Answer]]:
    """One of every kind of answer the sandbox gives for the documented operations."""
    answers: List[Tuple[str, str, Answer]] = []

    def call(method: str, path: str, body: Any = None, **options: Any) -> Answer:
        answer = client.call(method, path, body, **options)
        answers.append((method, path, answer))
        return answer

    minimal = {"sender": "Acme", "destinations": [UK], "content": "Hi"}
    full = dict(
        minimal,
        destinations=[UK, "447700900900", "447700900920", "447700900930", "33612345678"],
        tag="t1",
        deliveryreporturl="http://127.0.0.1:9/hook",
        validity=30,
        ttl=10,
        ai=False,
    )
    sent = [call("POST", "/batch/send", body).body["batchid"] for body in (minimal, full)]
    one = {"sender": "Acme", "destination": UK, "content": "Hi"}
    rich = dict(
        one,
        tag="t",
        metadata=[{"key": "k", "value": "v"}],
        responseemail=["a@example.com"],
        deliveryreporturl="http://127.0.0.1:9/other",
    )
    sent += [call("POST", "/batch/any", body).body["batchid"] for body in ([one], [one, rich])]
    scheduled = [
        call("POST", "/batch/schedule", dict(body, schedule=FAR)).body["batchid"]
        for body in (minimal, full)
    ]
    cancelled = call("DELETE", f"/batches/schedule/{scheduled[1]}")
    assert cancelled.status == 200
    for batchid in [*sent, *scheduled]:
        assert call("GET", f"/batch/{batchid}").status == 200
    assert call("GET", "/credits/balance").status == 200
    assert call("GET", "/utils/test").status == 200

    # Single messages: send, flash, schedule, read, delete, cancel; to a failure number too.
    singles = [
        call("POST", path, body).body["messageid"]
        for path, body in (
            ("/message/send", one),
            ("/message/send", dict(rich, destination="447700900900")),
            ("/message/send", dict(one, destination="447700900920")),
            ("/message/flash", dict(one, tag="flash")),
        )
    ]
    waiting = [
        call("POST", "/message/schedule", dict(one, schedule=FAR)).body[0]["messageid"]
        for _ in range(2)
    ]
    assert call("DELETE", f"/messages/schedule/{waiting[1]}").status == 200
    for messageid in [*singles, *waiting]:
        assert call("GET", f"/messages/{messageid}").status == 200
    assert call("GET", "/messages/schedule").status == 200
    assert call("DELETE", f"/messages/{singles[0]}").status == 200
    # Replies, searches with filters, the inbox, failures.
    reply = sandbox.receive("447700900123", "Stop texting me")
    assert call("GET", f"/messages/{reply['messageid']}").status == 200
    sandbox.receive("447700900124", "yes please")
    for path in ("/messages", "/messages/inbox", "/messages/failed"):
        assert call("POST", path, {}).status == 200
        assert call("POST", path, {"limit": 1, "skip": 1}).status == 200
    assert call("POST", "/messages", {"status": "INCOMING", "unread": True}).status == 200
    assert call("POST", "/messages", {"metadata": [{"key": "k", "value": "v"}]}).status == 200
    assert call("POST", "/messages", {"from": FAR, "keyword": "STOP", "credits": 1}).status == 200
    # One-time passcodes: send, look up, verify right, again, wrong, expired.
    otps = [
        call("POST", "/otp/send", body).body["messageid"]
        for body in (
            {"sender": "Acme", "destination": UK},
            {
                "sender": "Acme",
                "destination": "447700900002",
                "length": 8,
                "validity": 60,
                "template": "Code {{passcode}}",
                "metadata": {"user": 7},
            },
        )
    ]
    assert call("GET", f"/otp/{otps[0]}").status == 200
    code = sandbox.last_otp(UK)
    assert call("POST", "/otp/verify", {"passcode": code}).status == 200
    assert call("POST", "/otp/verify", {"passcode": code}).status == 400
    assert call("POST", "/otp/verify", {"passcode": "not-a-code"}).status == 404
    sandbox.advance(61)
    assert call("POST", "/otp/verify", {"passcode": sandbox.last_otp("447700900002")}).status == 200
    assert call("GET", f"/otp/{otps[1]}").status == 200
    assert call("GET", "/utils/errors/1030").status == 200

    # 400 and 404 on the new operations.
    assert call("POST", "/message/send", dict(one, destination="07700900001")).status == 400
    assert call("POST", "/message/schedule", one).status == 400
    assert call("POST", "/messages", {"limit": 0}).status == 400
    assert call("POST", "/messages/inbox", {"nonsense": 1}).status == 400
    assert (
        call("POST", "/otp/send", {"sender": "Acme", "destination": UK, "length": 99}).status == 400
    )
    assert call("POST", "/otp/verify", {}).status == 400
    assert call("DELETE", f"/messages/{waiting[0]}").status == 400
    assert call("DELETE", f"/messages/schedule/{waiting[1]}").status == 400
    assert call("DELETE", f"/messages/schedule/{singles[1]}").status == 400
    for method, path in (
        ("GET", "/messages/999"),
        ("DELETE", "/messages/999"),
        ("DELETE", "/messages/schedule/999"),
        ("GET", "/otp/999"),
        ("GET", "/utils/errors/999"),
    ):
        assert call(method, path).status == 404

    # 400: cancel twice, cancel a sent batch; bad bodies on every send.
    assert call("DELETE", f"/batches/schedule/{scheduled[1]}").status == 400
    assert call("DELETE", f"/batches/schedule/{sent[0]}").status == 400
    bad_bodies: List[Any] = [
        {"destinations": [UK], "content": "Hi"},
        dict(minimal, destinations=["07700900001"]),
        dict(minimal, destinations=["00447700900001"]),
        dict(minimal, content="x" * 1281),
        [],
    ]
    for path in ("/batch/send", "/batch/schedule"):
        for body in bad_bodies:
            assert call("POST", path, dict(body, schedule=FAR) if body else body).status == 400
        assert call("POST", path, raw=b"{not json").status == 400
    for body in ([dict(one, destination="07700900001")], [], minimal):
        assert call("POST", "/batch/any", body).status == 400
    # 404: unknown batches.
    assert call("GET", "/batch/999").status == 404
    assert call("DELETE", "/batches/schedule/999").status == 404
    # 402 on every send.
    sandbox.credits = 0
    assert call("POST", "/batch/send", minimal).status == 402
    assert call("POST", "/batch/any", [one]).status == 402
    assert call("POST", "/batch/schedule", dict(minimal, schedule=FAR)).status == 402
    assert call("POST", "/message/send", one).status == 402
    assert call("POST", "/message/flash", one).status == 402
    assert call("POST", "/message/schedule", dict(one, schedule=FAR)).status == 402
    assert call("POST", "/otp/send", {"sender": "Acme", "destination": UK}).status == 402
    # 401 on every operation, without a token and with a wrong one.
    for auth in (None, "JWT wrong", f"Bearer {sandbox.token}"):
        for method, path in (
            ("POST", "/batch/send"),
            ("POST", "/batch/any"),
            ("POST", "/batch/schedule"),
            ("GET", f"/batch/{sent[0]}"),
            ("DELETE", f"/batches/schedule/{scheduled[0]}"),
            ("GET", "/credits/balance"),
            ("GET", "/utils/test"),
            ("POST", "/message/send"),
            ("POST", "/message/flash"),
            ("POST", "/message/schedule"),
            ("POST", "/messages"),
            ("POST", "/messages/inbox"),
            ("POST", "/messages/failed"),
            ("GET", "/messages/schedule"),
            ("GET", f"/messages/{singles[1]}"),
            ("DELETE", f"/messages/{singles[1]}"),
            ("DELETE", f"/messages/schedule/{waiting[0]}"),
            ("POST", "/otp/send"),
            ("POST", "/otp/verify"),
            ("GET", f"/otp/{otps[0]}"),
            ("GET", "/utils/errors/1030"),
        ):
            body = [one] if path == "/batch/any" else minimal
            assert call(method, path, body if method == "POST" else None, auth=auth).status == 401
    return answers


def test_every_answer_is_declared_by_our_document(
    sandbox: Sandbox, client: Client, ours: Document
) -> None:
    answers = _every_answer(sandbox, client)
    assert len(answers) > 150
    templates = {(method, ours.template(path)) for method, path, _ in answers}
    assert templates == {(method, template) for method, template in OPERATION_ROUTES.values()}, (
        "every operation is called"
    )
    for method, path, answer in answers:
        ours.check(method, path, answer)


def test_every_answer_is_allowed_by_the_upstream_document(
    sandbox: Sandbox, client: Client, upstream: Document
) -> None:
    for method, path, answer in _every_answer(sandbox, client):
        template = upstream.template(path)
        declared = upstream.data["paths"][template][method.lower()]["responses"]
        if str(answer.status) not in declared:
            # Only the README's defects may send an answer to `default`, plus the statuses
            # upstream leaves to `default` for every error (400, 404 on cancel).
            assert "default" in declared
            assert (
                answer.status in (400, 404)
                or answer.status in UPSTREAM_UNDECLARED_STATUSES
                or answer.status in UPSTREAM_DEFAULT_STATUSES.get((method, template), set())
            ), (method, path, answer.status)
        upstream.check(method, path, answer, lists=template in UPSTREAM_LIST_FOR_OBJECT)


def test_records_carry_every_field_upstream_requires(
    sandbox: Sandbox, client: Client, upstream: Document
) -> None:
    required = upstream.data["components"]["schemas"]["MessageResponse"]["required"]
    no_tag = client.call(
        "POST", "/batch/send", {"sender": "A", "destinations": [UK], "content": "x"}
    )
    records = client.call("GET", f"/batch/{no_tag.body['batchid']}").body
    assert set(required) <= set(records[0])
    assert records[0]["tag"] == ""
    assert records[0]["schedule"] == ""
    assert isinstance(records[0]["destination"], int)
    for name in ("id", "messageid", "batchid", "identifier", "customerid"):
        assert isinstance(records[0][name], str)


@pytest.mark.parametrize("destination", ["07700900001", "00447700900001", "0033612345678", "0" * 9])
def test_a_leading_zero_is_refused_never_turned_into_another_number(
    sandbox: Sandbox, client: Client, destination: str
) -> None:
    body = {"sender": "Acme", "destinations": [destination], "content": "Hi"}
    answer = client.call("POST", "/batch/send", body)
    assert answer.status == 400
    assert answer.body["errorCode"] == 1011
    assert "destinations[0]" in answer.body["message"]
    any_answer = client.call("POST", "/batch/any", [{**body, "destination": destination}])
    assert any_answer.status == 400
    assert "[0].destination" in any_answer.body["message"]
    assert sandbox.batches == {}
    assert sandbox.credits == 100


@pytest.mark.parametrize(
    "path",
    [
        "/batch/send",
        "/batch/any",
        "/batch/schedule",
        "/batch/123",
        "/batches/schedule/123",
        "/credits/balance",
        "/utils/test",
        "/message/send",
        "/message/flash",
        "/message/schedule",
        "/messages",
        "/messages/inbox",
        "/messages/failed",
        "/messages/schedule",
        "/messages/123",
        "/messages/schedule/123",
        "/otp/send",
        "/otp/verify",
        "/otp/123",
        "/utils/errors/1030",
    ],
)
def test_a_method_a_path_does_not_serve_is_405_with_that_paths_allow(
    client: Client, ours: Document, path: str
) -> None:
    served = ours.methods(ours.template(path))
    for method in sorted({m.upper() for m in METHODS} - set(served)):
        answer = client.call(method, path)
        assert answer.status == 405, (method, path)
        assert sorted(answer.headers["Allow"].split(", ")) == served
        assert answer.headers["Content-Type"] == "application/json;charset=UTF-8"
        if method == "HEAD":
            assert answer.raw == b""
        else:
            assert answer.body["errorCode"] == 1054
            assert answer.body["status"] == "METHOD_NOT_ALLOWED"


def test_an_unknown_method_and_an_unknown_path_are_json(client: Client) -> None:
    for method in ("BREW", "get"):  # methods are case-sensitive: "get" is not GET
        answer = client.call(method, "/credits/balance")
        assert answer.status == 405
        assert answer.headers["Allow"] == "GET"
        assert answer.body["errorCode"] == 1054
    for method, path in (("GET", "/nothing/here"), ("TRACE", "/nothing"), ("GET", "/")):
        answer = client.call(method, path)
        assert answer.status == 404
        assert answer.headers["Content-Type"] == "application/json;charset=UTF-8"
        assert answer.body["errorCode"] == 1053


def test_server_header_has_no_trailing_space(sandbox: Sandbox) -> None:
    parts = urlsplit(sandbox.url)
    assert parts.hostname is not None and parts.port is not None
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"OPTIONS /v1/utils/test HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    assert head[0] == "HTTP/1.1 405 Method Not Allowed"
    server = [line for line in head if line.lower().startswith("server:")]
    assert server == ["Server: smsworks-sandbox"]
    assert all(line == line.rstrip() for line in head)
