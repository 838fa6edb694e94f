"""openapi-generator's own tests for every model and API class, run on our package.

The generator writes a ``test/`` folder whose model tests build example instances in
``make_instance``, but leaves those builders switched off: the body sits in a string and the calls
are commented out. ``switch_on`` enables them at test time (nothing here is committed from the
generator):

* the string quotes around the builder body are dropped, and so is its first line
  ``model = X()`` (it is never used, and for a model with required fields it fails on the
  generated client too);
* the commented ``inst_req_*`` lines are uncommented;
* the examples are JSON pasted into Python: ``true``/``false``/``null`` become Python's, and a
  builder that names ``<package>.models.x`` without importing it gets the import;
* ``smsworks_generated`` is replaced by the package under test.

Every file then runs with ``unittest`` against ``openapi_client`` and, as the control, against the
generated package itself. Where the outcome differs from "all pass", the difference is listed below
by name and asserted exactly (docs/Migrating.md, keys ``metadata-shape``,
``metadata-required`` and ``otp-required``), never skipped.
"""

from __future__ import annotations

import re
import unittest
from types import ModuleType
from typing import Dict, List, Tuple

import pytest
from generated_client import client_dir, gen  # noqa: F401  (gen is a fixture)

#: The generator's test files: every API class and every schema of the document. Listed by name
#: (not globbed) so that a file the generator stops writing fails here instead of vanishing.
FILES = [
    "test_batch_messages_api",
    "test_messages_api",
    "test_one_time_password_api",
    "test_credits_api",
    "test_utils_api",
    "test_batch_message",
    "test_batch_message_response",
    "test_cancelled_message_response",
    "test_credits_response",
    "test_deleted_message_response",
    "test_error_model",
    "test_extended_error_model",
    "test_message",
    "test_message_metadata",
    "test_message_response",
    "test_message_response_failurereason",
    "test_meta_data",
    "test_otp",
    "test_otp_response",
    "test_otp_verify",
    "test_otp_verify_response",
    "test_query",
    "test_query_metadata",
    "test_scheduled_batch_response",
    "test_scheduled_message",
    "test_scheduled_message_response",
    "test_scheduled_messages_response",
    "test_scheduled_messages_response_message",
    "test_send_message_response",
    "test_test_response",
]


#: (file, package) -> what goes wrong, as (test name or "import", exception type, text in it).
EXPECTED: Dict[Tuple[str, str], Tuple[str, str, str]] = {
    # Ours: metadata is a list of MetaData; upstream's object wrapper does not exist.
    ("test_message_metadata", "openapi_client"): (
        "import",
        "ModuleNotFoundError",
        "openapi_client.models.message_metadata",
    ),
    # Ours: a MetaData pair needs both its key and its value (upstream makes both optional).
    ("test_meta_data", "openapi_client"): (
        "testMetaData",
        "ValidationError",
        "key\n  Field required",
    ),
    # Ours: a search's metadata pair needs its key and value, as MetaData does.
    ("test_query_metadata", "openapi_client"): (
        "testQueryMetadata",
        "ValidationError",
        "key\n  Field required",
    ),
    # Ours: a passcode needs a sender and a number to go to (otp-required) ...
    ("test_otp", "openapi_client"): ("testOTP", "ValidationError", "sender\n  Field required"),
    # ... and a check needs the passcode.
    ("test_otp_verify", "openapi_client"): (
        "testOTPVerify",
        "ValidationError",
        "passcode\n  Field required",
    ),
    # The control: the generated client cannot build the document's own Query example either,
    # whose metadata is a list of pairs while the document declares an object.
    ("test_query", "smsworks_generated"): ("testQuery", "ValidationError", "metadata"),
    # The control: the generated client cannot build the document's own Message example, whose
    # metadata is a list while upstream declares an object (a defect of the document).
    ("test_message", "smsworks_generated"): ("testMessage", "ValidationError", "metadata"),
}

_BUILDER_START = "# uncomment below to create an instance"
_JSON_WORDS = {"true": "True", "false": "False", "null": "None"}


def switch_on(source: str, package: str) -> str:
    """The generator's test file with its example builders enabled, importing ``package``."""
    out: List[str] = []
    in_builder = False
    needs_models = False
    for line in source.splitlines():
        text = line.strip()
        if text.startswith(_BUILDER_START):
            in_builder = True
            continue
        if in_builder:
            if text == '"""' or re.fullmatch(r"model = \w+\(\)", text):
                continue
            if text.startswith("def "):
                in_builder = False
            else:
                line = re.sub(r"\b(true|false|null)\b", lambda m: _JSON_WORDS[m[1]], line)
                needs_models = needs_models or "smsworks_generated.models." in line
        line = re.sub(r"^(\s*)# (inst_req_\w+ = self\.make_instance\(.*\))$", r"\1\2", line)
        out.append(line.replace("smsworks_generated", package))
    if needs_models:
        out.insert(0, f"import {package}.models")
    return "\n".join(out) + "\n"


def run_file(name: str, package: str) -> Tuple[int, List[Tuple[str, str, str]]]:
    """Run one switched-on test file; returns (tests run, [(test, exception type, text)])."""
    source = (client_dir() / "test" / f"{name}.py").read_text(encoding="utf-8")
    namespace: Dict[str, object] = {"__name__": f"generated_suite_{name}"}
    try:
        exec(compile(switch_on(source, package), f"{name}.py", "exec"), namespace)
    except Exception as exc:
        return 0, [("import", type(exc).__name__, str(exc))]
    suite = unittest.TestSuite()
    for value in namespace.values():
        if isinstance(value, type) and issubclass(value, unittest.TestCase):
            suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(value))
    result = unittest.TestResult()
    suite.run(result)
    problems = []
    for case, text in result.errors + result.failures:
        heads = re.findall(r"^([A-Za-z_][\w.]*):", text, re.MULTILINE)
        kind = heads[-1].rsplit(".", 1)[-1] if heads else "?"
        problems.append((getattr(case, "_testMethodName", str(case)), kind, text))
    return result.testsRun, problems


def test_switch_on_enables_builders_and_calls() -> None:
    source = (client_dir() / "test" / "test_message_response.py").read_text(encoding="utf-8")
    enabled = switch_on(source, "openapi_client")
    assert "        inst_req_only = self.make_instance(include_optional=False)" in enabled
    assert '"permanent":False' in enabled and "smsworks_generated" not in enabled
    assert "return MessageResponse(" in enabled and '"""\n        model =' not in enabled


@pytest.mark.parametrize("package", ["openapi_client", "smsworks_generated"])
@pytest.mark.parametrize("name", FILES)
def test_generator_suite(gen: ModuleType, name: str, package: str) -> None:  # noqa: F811
    ran, problems = run_file(name, package)
    expected = EXPECTED.get((name, package))
    if expected is None:
        assert problems == [], "".join(p[2] for p in problems)
        assert ran >= 1
        return
    where, kind, text = expected
    assert [(p[0], p[1]) for p in problems] == [(where, kind)], problems
    assert text in problems[0][2]


def test_every_builder_was_exercised() -> None:
    # A test that builds nothing would pass whatever the models do: every model file must now
    # call its builder both ways.
    for name in FILES:
        if name.endswith("_api"):
            continue
        enabled = switch_on(
            (client_dir() / "test" / f"{name}.py").read_text(encoding="utf-8"), "openapi_client"
        )
        assert enabled.count("= self.make_instance(include_optional=") == 2, name
        assert "\n        if include_optional:" in enabled, name
