"""The asyncio client: its surface matches the sync one, its types are checked, and a
cancelled call is a first-class outcome.

What both clients must do alike (exact bytes, variants, faults, fuzzing, sandbox, contract) is
tested once for both in the shared matrices (see ``clients.py``); this file holds what is only
the async client's.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import subprocess
import sys
from typing import Any, Dict, List, Tuple

import pytest
from fault_server import Fault, FaultServer
from operation_examples import EXAMPLES

import openapi_client as oc
from openapi_client import aio
from openapi_client._registry import API_CLASSES, OPERATIONS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STUB = os.path.join(ROOT, "openapi_client", "aio", "api.pyi")
VARIANTS = ("", "_with_http_info", "_without_preload_content")
TOKEN = "aio-secret-token-5f1c"


def _stub_methods() -> Dict[Tuple[str, str], ast.AST]:
    with open(STUB, encoding="utf-8") as stub:
        tree = ast.parse(stub.read())
    found: Dict[Tuple[str, str], ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[(node.name, item.name)] = item
    return found


def _expected_result(sync_result: str, variant: str) -> str:
    if variant == "_with_http_info":
        return f"ApiResponse[{sync_result}]"
    if variant == "_without_preload_content":
        return "httpx.Response"
    return sync_result


# -- the surface: the same classes, methods, parameters and results as the sync client ------


@pytest.mark.parametrize("name", list(OPERATIONS))
@pytest.mark.parametrize("variant", VARIANTS)
def test_the_stub_declares_each_operation_as_the_sync_class_does(name: str, variant: str) -> None:
    op = OPERATIONS[name]
    stub = _stub_methods().get((op.api, name + variant))
    assert stub is not None, f"openapi_client/aio/api.pyi has no {op.api}.{name}{variant}"
    assert isinstance(stub, ast.AsyncFunctionDef), f"{name}{variant} must be `async def`"
    sync = inspect.signature(getattr(API_CLASSES[op.api], name))
    params: List[Tuple[str, Any, str]] = []
    args = stub.args
    for arg in args.posonlyargs + args.args:
        params.append((arg.arg, ast.unparse(arg.annotation) if arg.annotation else None, "pos"))
    if args.kwarg is not None:
        kwarg = args.kwarg
        params.append(
            (kwarg.arg, ast.unparse(kwarg.annotation) if kwarg.annotation else None, "**")
        )
    want = [
        (
            p.name,
            None if p.name == "self" else p.annotation,
            "**" if p.kind is p.VAR_KEYWORD else "pos",
        )
        for p in sync.parameters.values()
    ]
    assert params == want
    assert stub.returns is not None
    assert ast.unparse(stub.returns) == _expected_result(sync.return_annotation, variant)


#: Methods of an async class beyond its registry operations (awaited twins of sync ones).
EXTRAS = {("BatchMessagesApi", "batch_send_many"), ("BatchMessagesApi", "batch_any_many")}


def test_the_stub_declares_nothing_the_registry_does_not_have() -> None:
    declared = {key for key in _stub_methods() if key[1] != "__init__"}
    made = {(op.api, op.name + v) for op in OPERATIONS.values() for v in VARIANTS}
    assert declared == made | EXTRAS


@pytest.mark.parametrize(("api", "name"), sorted(EXTRAS))
def test_the_chunked_sends_take_the_sync_parameters(api: str, name: str) -> None:
    stub = _stub_methods()[(api, name)]
    assert isinstance(stub, ast.AsyncFunctionDef)
    sync = inspect.signature(getattr(API_CLASSES[api], name))
    args = stub.args
    declared = [
        (a.arg, ast.unparse(a.annotation) if a.annotation else None)
        for a in [*args.args, *args.kwonlyargs]
    ]
    if args.kwarg is not None and args.kwarg.annotation is not None:
        declared.append((args.kwarg.arg, ast.unparse(args.kwarg.annotation)))
    want = [(p.name, None if p.name == "self" else p.annotation) for p in sync.parameters.values()]
    assert declared == want
    defaults = [ast.unparse(d) for d in [*args.defaults, *args.kw_defaults] if d is not None]
    sync_defaults = [
        repr(p.default)
        for p in sync.parameters.values()
        if p.default is not inspect.Parameter.empty
    ]
    assert defaults == sync_defaults
    assert stub.returns is not None and ast.unparse(stub.returns) == sync.return_annotation
    method = getattr(getattr(aio, api), name)
    assert inspect.iscoroutinefunction(method)
    assert inspect.signature(method) == sync


@pytest.mark.parametrize("name", list(OPERATIONS))
@pytest.mark.parametrize("variant", VARIANTS)
def test_each_async_method_is_a_coroutine_with_the_sync_parameters(name: str, variant: str) -> None:
    op = OPERATIONS[name]
    method = getattr(getattr(aio, op.api), name + variant)
    assert inspect.iscoroutinefunction(method)
    sync = getattr(API_CLASSES[op.api], name)
    assert list(inspect.signature(method).parameters) == list(inspect.signature(sync).parameters)
    assert inspect.signature(method).return_annotation == _expected_result(
        inspect.signature(sync).return_annotation, variant
    )
    if variant == "":
        assert method.__doc__ == sync.__doc__


def test_everything_but_the_client_and_the_api_classes_is_the_sync_object() -> None:
    own = {"ApiClient", *API_CLASSES}
    assert set(aio.__all__) == set(oc.__all__)
    for name in aio.__all__:
        if name in own:
            assert getattr(aio, name) is not getattr(oc, name), name
        else:
            assert getattr(aio, name) is getattr(oc, name), name
    with pytest.raises(AttributeError):
        aio.NoSuchThing  # noqa: B018


def test_importing_the_sdk_or_aio_does_not_import_httpx() -> None:
    code = (
        "import sys, openapi_client, openapi_client.aio as aio\n"
        "aio.ApiClient, aio.BatchMessagesApi, aio.Configuration\n"
        "assert 'httpx' not in sys.modules, 'imported httpx'\n"
        "aio.ApiClient(aio.Configuration(host='https://x.test', api_key={'JWT': 't'}))\n"
        "assert 'httpx' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


TYPED_USE = """
import asyncio
import datetime
from typing import List

import httpx

from openapi_client import aio as openapi_client
from openapi_client.aio import Message, MetaData, Query


async def main(client: openapi_client.ApiClient) -> None:
{body}


asyncio.run(main(openapi_client.ApiClient()))
"""


def _typed_use() -> str:
    lines = []
    for name, op in OPERATIONS.items():
        api = f"openapi_client.{op.api}(client)"
        args = ", ".join(f"{key}={value!r}" for key, value in EXAMPLES[name].kwargs.items())
        sync = inspect.signature(getattr(API_CLASSES[op.api], name)).return_annotation
        for variant in VARIANTS:
            result = _expected_result(sync, variant).replace(
                "ApiResponse", "openapi_client.ApiResponse"
            )
            result = result.replace("[", "[openapi_client.").replace(
                "openapi_client.List[", "List["
            )
            if variant == "" and not result.startswith("List"):
                result = f"openapi_client.{result}"
            lines.append(f"    r_{name}{variant}: {result} = await {api}.{name}{variant}({args})")
    return TYPED_USE.format(body="\n".join(lines))


@pytest.mark.timeout(180)
def test_every_method_type_checks_when_awaited(tmp_path: Any) -> None:
    source = _typed_use()
    script = tmp_path / "use_aio.py"
    script.write_text(source)
    wrong = tmp_path / "wrong_aio.py"
    # Not awaited, a result is a coroutine: a checker that sees no types would accept this.
    wrong.write_text(
        "from openapi_client import aio\n"
        "async def f(api: aio.CreditsApi) -> None:\n"
        "    x: aio.CreditsResponse = api.credits_balance_get()\n"
    )
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent"]
    good = subprocess.run(
        [*mypy, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=170, check=False
    )
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run(
        [*mypy, str(wrong)], cwd=ROOT, capture_output=True, text=True, timeout=170, check=False
    )
    assert bad.returncode == 1 and "Coroutine" in bad.stdout, bad.stdout + bad.stderr


# -- the client ----------------------------------------------------------------------------


def _config(url: str, **extra: Any) -> oc.Configuration:
    return oc.Configuration(host=url, api_key={"JWT": TOKEN}, **extra)


async def _until(server: FaultServer, count: int) -> None:
    """Wait (bounded) until the server has seen ``count`` requests."""
    for _ in range(500):
        if server.request_count >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the server saw {server.request_count} requests, not {count}")


OK_SENT = Fault("ok", status=201, body={"messageid": "7", "status": "SENT", "credits": 1})
MESSAGE = EXAMPLES["message_send_post"].kwargs["sms_message"]


@pytest.mark.timeout(30)
def test_a_task_cancelled_in_flight_gets_its_cancelled_error_and_the_client_stays_usable() -> None:
    with FaultServer(OK_SENT, script=[Fault("no_headers", hold=10.0)]) as server:

        async def main() -> Any:
            async with aio.ApiClient(_config(server.url)) as client:
                api = aio.MessagesApi(client)
                task = asyncio.ensure_future(api.message_send_post(MESSAGE))
                await _until(server, 1)
                task.cancel()
                with pytest.raises(asyncio.CancelledError) as caught:
                    await task
                assert type(caught.value) is asyncio.CancelledError
                assert task.cancelled()
                return await api.message_send_post(MESSAGE)

        sent = asyncio.run(main())
        assert sent.messageid == "7"
        assert server.request_count == 2  # the cancelled send was not sent again


async def timed_out(api: Any) -> None:
    async with asyncio.timeout(0.3):  # type: ignore[attr-defined,unused-ignore]
        await api.message_send_post(MESSAGE)


async def waited_for(api: Any) -> None:
    await asyncio.wait_for(api.message_send_post(MESSAGE), 0.3)


@pytest.mark.timeout(30)
@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
@pytest.mark.parametrize("how", ["asyncio.timeout", "asyncio.wait_for"])
def test_a_call_timed_out_by_the_caller_raises_the_callers_timeout(how: str) -> None:
    with FaultServer(OK_SENT, script=[Fault("no_headers", hold=10.0)]) as server:

        async def main() -> Any:
            async with aio.ApiClient(_config(server.url)) as client:
                api = aio.MessagesApi(client)
                with pytest.raises(TimeoutError) as caught:
                    await (timed_out if how == "asyncio.timeout" else waited_for)(api)
                # The caller's own timeout, not a request failure of ours.
                assert not isinstance(caught.value, oc.OpenApiException)
                assert isinstance(
                    caught.value.__cause__ or caught.value.__context__, asyncio.CancelledError
                )
                return await api.message_send_post(MESSAGE)

        assert asyncio.run(main()).status == "SENT"
        assert server.request_count == 2


async def in_a_group(*calls: Any) -> None:
    async with asyncio.TaskGroup() as group:  # type: ignore[attr-defined,unused-ignore]
        for coroutine in calls:
            group.create_task(coroutine)


@pytest.mark.timeout(30)
@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup is new in Python 3.11")
def test_a_task_group_cancels_a_call_when_a_sibling_fails() -> None:
    with FaultServer(OK_SENT, script=[Fault("no_headers", hold=10.0)]) as server:

        async def fail_soon() -> None:
            await _until(server, 1)
            raise LookupError("sibling failed")

        async def main() -> Any:
            async with aio.ApiClient(_config(server.url)) as client:
                api = aio.MessagesApi(client)
                with pytest.raises(BaseException) as caught:
                    await in_a_group(api.message_send_post(MESSAGE), fail_soon())
                assert type(caught.value).__name__ == "ExceptionGroup"
                assert [type(e) for e in caught.value.exceptions] == [LookupError]  # type: ignore[attr-defined]
                return await api.message_send_post(MESSAGE)

        assert asyncio.run(main()).status == "SENT"
        assert server.request_count == 2


@pytest.mark.timeout(30)
def test_many_calls_share_one_client_concurrently() -> None:
    records = [{"messageid": "1", "status": "DELIVERED"}]
    with FaultServer(Fault("ok", body=records)) as server:

        async def main() -> List[Any]:
            async with aio.ApiClient(_config(server.url, connection_pool_maxsize=4)) as client:
                api = aio.MessagesApi(client)
                return await asyncio.gather(*(api.messages_post({}) for _ in range(20)))

        results = asyncio.run(main())
        assert [r[0].messageid for r in results] == ["1"] * 20
        assert server.request_count == 20


def test_no_token_is_refused_before_anything_is_sent_and_bad_input_names_the_field() -> None:
    with FaultServer(OK_SENT) as server:

        async def main() -> None:
            cfg = oc.Configuration(host=server.url)
            async with aio.ApiClient(cfg) as client:
                with pytest.raises(oc.MissingTokenError):
                    await aio.MessagesApi(client).message_send_post(MESSAGE)
            async with aio.ApiClient(_config(server.url)) as client:
                with pytest.raises(oc.ApiValueError) as caught:
                    await aio.MessagesApi(client).message_send_post({**MESSAGE, "destination": ""})
                assert "destination" in str(caught.value)

        asyncio.run(main())
        assert server.request_count == 0


def test_errors_and_reprs_never_show_the_token() -> None:
    with FaultServer("503") as server:

        async def main() -> BaseException:
            async with aio.ApiClient(_config(server.url, retries=0)) as client:
                assert TOKEN not in repr(client)
                try:
                    await aio.MessagesApi(client).message_send_post(MESSAGE)
                except oc.SendOutcomeUnknownError as exc:
                    return exc
            raise AssertionError("no error")

        exc = asyncio.run(main())
        assert TOKEN not in str(exc) and TOKEN not in repr(exc)
        assert server.request_count == 1


def test_close_and_aclose_release_connections_and_keep_the_client_usable() -> None:
    with FaultServer(Fault("ok", body={"credits": 5})) as server:

        async def main() -> List[float]:
            client = aio.ApiClient(_config(server.url))
            api = aio.CreditsApi(client)
            seen = [(await api.credits_balance_get()).credits]
            await client.close()
            seen.append((await api.credits_balance_get()).credits)
            await client.aclose()
            return seen

        assert asyncio.run(main()) == [5, 5]


def test_the_default_client_is_per_class() -> None:
    try:
        aio.ApiClient.set_default(None)
        first = aio.ApiClient.get_default()
        assert isinstance(first, aio.ApiClient)
        assert aio.ApiClient.get_default() is first
        assert aio.CreditsApi().api_client is first
        assert oc.ApiClient._default is not first
    finally:
        aio.ApiClient.set_default(None)


def test_call_api_sends_a_param_serialize_result() -> None:
    with FaultServer(Fault("ok", body={"credits": 3})) as server:

        async def main() -> Any:
            async with aio.ApiClient(_config(server.url)) as client:
                method, url, headers, body, post = client.param_serialize("GET", "/credits/balance")
                answer = await client.call_api(method, url, headers, body, post)
                return client.response_deserialize(answer, {"200": oc.CreditsResponse}).data

        assert asyncio.run(main()).credits == 3
