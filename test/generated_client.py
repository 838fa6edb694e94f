"""openapi-generator's python client of the upstream document, as a test fixture.

The client (package ``smsworks_generated``, with the generator's own ``test/`` folder) is built by
``benchmarks.generated`` from ``shared/reference/smsworks-openapi-1.9.0.yaml`` into its cache,
once per document and generator version; every later run reuses it. Without the document, Java
or the ``openapi-generator-cli`` package the tests that need it skip with the reason, and fail
under ``CI=true``.
"""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Optional

import pytest
from reference_files import IN_CI, require

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `pytest` run without `python -m` does not add the checkout
    sys.path.insert(0, str(REPO))

from benchmarks import generated  # noqa: E402

UPSTREAM = "smsworks-openapi-1.9.0.yaml"
PACKAGE = generated.PACKAGE

_lock = threading.Lock()
_built: Optional[Path] = None


def _unavailable(reason: str) -> None:
    message = f"openapi-generator's client could not be built: {reason}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def client_dir() -> Path:
    """The folder holding ``smsworks_generated/`` and the generator's ``test/``."""
    global _built
    with _lock:
        if _built is None:
            path, reason = generated.ensure(require(UPSTREAM), with_tests=True)
            if path is None:
                _unavailable(reason)
            assert path is not None
            _built = path
        return _built


def load() -> ModuleType:
    """Import the generated package in this process (the same module on every call)."""
    folder = str(client_dir())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(PACKAGE)


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    """The generated client package, ``smsworks_generated``."""
    return load()
