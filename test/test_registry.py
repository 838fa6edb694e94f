"""The registry of operations drives everything that must cover them; these tests hold it whole.

A new operation declared in an API module fails here until it has an example call
(test/operation_examples.py), a sandbox route, a doc page section and a path in openapi.yaml,
and until its methods exist in the three variants with the generator's parameter names.
"""

from __future__ import annotations

import inspect
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest
import yaml
from operation_examples import EXAMPLES

import openapi_client as oc
import openapi_client.api
from openapi_client._operation import Operation, PreparedRequest
from openapi_client._registry import API_CLASSES, OPERATIONS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
VARIANTS = ("", "_with_http_info", "_without_preload_content")
OPTIONS = {"_request_timeout", "_request_auth", "_content_type", "_headers", "_host_index"}


def test_the_registry_holds_all_21_operations_of_the_five_api_classes() -> None:
    assert len(OPERATIONS) == 21
    assert {op.api for op in OPERATIONS.values()} == set(API_CLASSES)
    for name, op in OPERATIONS.items():
        assert isinstance(op, Operation) and op.name == name


def test_every_operation_has_an_example_and_no_example_is_left_over() -> None:
    assert sorted(set(OPERATIONS) - set(EXAMPLES)) == []
    assert sorted(set(EXAMPLES) - set(OPERATIONS)) == []


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_each_operation_has_its_three_methods_with_the_generators_parameters(name: str) -> None:
    op = OPERATIONS[name]
    cls = API_CLASSES[op.api]
    expected = [*op.path_params, *([op.body_name] if op.body_name else [])]
    for variant in VARIANTS:
        method = getattr(cls, name + variant)
        params = inspect.signature(method).parameters
        own = [p for p in params if p != "self" and params[p].kind is not params[p].VAR_KEYWORD]
        assert own == expected, f"{name}{variant}"
        assert any(p.kind is p.VAR_KEYWORD for p in params.values())
    assert set(EXAMPLES[name].kwargs) == set(expected)


def test_only_searches_reads_cancels_and_utils_are_replayable() -> None:
    texts_or_consumes = {
        "batch_send_post",
        "batch_any_post",
        "batch_schedule_post",
        "message_send_post",
        "send_flash_message",
        "message_schedule_post",
        "otp_send_post",
        "otp_verify_post",
    }
    assert {n for n, op in OPERATIONS.items() if not op.replayable} == texts_or_consumes
    # POST searches are replayable: the flag, not the method, says so.
    assert OPERATIONS["messages_post"].method == "POST" and OPERATIONS["messages_post"].replayable


def test_operations_are_immutable_and_keyword_only() -> None:
    op = OPERATIONS["batch_send_post"]
    with pytest.raises(AttributeError):
        op.replayable = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        Operation("x", "Api", "GET", "/x", 200, dict, True)  # type: ignore[misc]


def test_the_sandbox_routes_every_operation_of_the_registry() -> None:
    from openapi_client.sandbox import _server

    routes: Dict[str, Tuple[str, str]] = getattr(_server, "OPERATION_ROUTES", {})
    mine = {name: (op.method, op.path) for name, op in OPERATIONS.items()}
    assert {n: routes.get(n) for n in mine} == mine


def test_openapi_yaml_declares_every_operation_under_its_name() -> None:
    document: Dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    missing = []
    for name, op in OPERATIONS.items():
        declared = document["paths"].get(op.path, {}).get(op.method.lower(), {})
        if declared.get("operationId") != name:
            missing.append(f"{op.method} {op.path} ({name})")
    assert missing == []


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_each_operation_has_a_section_on_its_api_page(name: str) -> None:
    op = OPERATIONS[name]
    page = DOCS / f"{op.api}.md"
    assert page.exists(), f"docs/{op.api}.md is missing"
    text = page.read_text(encoding="utf-8")
    assert f"# **{name}**" in text, f"docs/{op.api}.md has no section for {name}"
    assert f"**{op.method}** {op.path}" in text, f"docs/{op.api}.md: no method table row"
    for variant in VARIANTS:
        assert _mentions(text, name + variant), f"docs/{op.api}.md does not name {name}{variant}"


@pytest.mark.parametrize("api", list(API_CLASSES))
def test_api_classes_are_exported_and_linked_from_the_readme(api: str) -> None:
    assert getattr(oc, api) is API_CLASSES[api]
    assert getattr(openapi_client.api, api) is API_CLASSES[api]
    assert api in oc.__all__ and api in openapi_client.api.__all__
    assert f"docs/{api}.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_no_type_ignore_in_the_api_modules() -> None:
    found = [
        f"{path.name}:{number}"
        for path in sorted((ROOT / "openapi_client" / "api").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line
    ]
    assert found == []


def test_every_module_imports_alone_in_reverse_order() -> None:
    """No import cycle: each module imports first in a fresh interpreter, last to first."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "openapi_client").rglob("*.py")
        if "aio" not in path.parts
    )
    script = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('openapi_client')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *reversed(modules)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(modules) > 40


def test_a_prepared_request_is_immutable_and_its_repr_shows_no_token(fake: Any) -> None:
    api, transport = fake((201, EXAMPLES["batch_send_post"].answer, {}), api_key={"JWT": "s3cr"})
    client = api.api_client
    op = OPERATIONS["batch_send_post"]
    request = client._prepare(op, None, EXAMPLES["batch_send_post"].argument, True, {})
    assert isinstance(request, PreparedRequest)
    assert request.headers["Authorization"] == "JWT s3cr"
    text = repr(request)
    assert "s3cr" not in text and "Authorization" in text and "/batch/send" in text
    with pytest.raises(AttributeError):
        request.url = "https://elsewhere.test"  # type: ignore[misc]
    assert transport.calls == []  # preparing sends nothing
    assert pickle.loads(pickle.dumps(request.replayable)) is False
