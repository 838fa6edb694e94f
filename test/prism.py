"""Run the Prism mock server (``@stoplight/prism-cli``) on ``openapi.yaml`` for contract tests.

Prism answers every request from the document alone, and first checks the request against it:
a wrong path, a missing ``Authorization`` header or a body that breaks the schema gets a 4xx
(``422`` with an ``sl-violations`` header that says what was wrong). That is what makes it useful
here: the SDK's requests are checked by a tool that knows nothing about the SDK.

Where the binary comes from, in order: the ``PRISM_BIN`` environment variable, the pinned copy in
``./node_modules/.bin/prism`` (``npm ci`` installs it from ``package-lock.json``), then ``PATH``.
When none is found the tests that need it are skipped, except under CI (``CI=true``), where a
missing Prism is a failure: a green run must not hide that the contract was never checked.

Test modules import the fixtures they use::

    from prism import prism_dynamic, prism_static

Both are session-scoped: one static and one ``--dynamic`` server for the whole run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Iterator, List, Optional

import pytest

__all__ = [
    "OPENAPI_DOCUMENT",
    "PrismError",
    "PrismServer",
    "find_prism",
    "prism_dynamic",
    "prism_server",
    "prism_static",
    "require_prism",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
OPENAPI_DOCUMENT = REPO_ROOT / "openapi.yaml"

#: Seconds to wait for Prism to listen. It is usually up in about a second, but node can take
#: much longer on a busy two-core machine.
START_TIMEOUT = 60.0
#: Seconds to wait for Prism to exit after SIGTERM before it is killed.
STOP_TIMEOUT = 10.0
#: Dynamic answers are random; a fixed seed makes a failing run repeatable. Set PRISM_SEED to
#: another value to explore, or to an empty string for a fresh seed on every run.
DEFAULT_SEED = "smsworks"

_LISTENING = re.compile(r"Prism is listening on (http://\S+)")


class PrismError(RuntimeError):
    """Prism could not be started or did not come up in time."""


def find_prism() -> Optional[str]:
    """Return the path of the Prism executable, or None when there is none."""
    configured = os.environ.get("PRISM_BIN")
    if configured:
        return configured if os.access(configured, os.X_OK) else shutil.which(configured)
    local = REPO_ROOT / "node_modules" / ".bin" / "prism"
    if os.access(local, os.X_OK):
        return str(local)
    return shutil.which("prism")


def require_prism() -> str:
    """Return the Prism executable, or skip the test (fail it under CI) when it is missing."""
    binary = find_prism()
    if binary is not None:
        return binary
    configured = os.environ.get("PRISM_BIN")
    if configured:
        reason = f"PRISM_BIN={configured!r} is not an executable Prism"
    else:
        reason = (
            "Prism is not installed: run `npm ci --no-audit --no-fund` in the repository root "
            "(it installs the version pinned in package-lock.json) or set PRISM_BIN"
        )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


class PrismServer:
    """One ``prism mock`` process on 127.0.0.1, on a port the OS picks.

    Use as a context manager or call :meth:`start` / :meth:`stop`. Prism's log goes to a
    temporary file (a pipe nobody reads would fill up and stall it); :meth:`log_tail` shows the
    end of it for failure messages.
    """

    def __init__(
        self,
        binary: str,
        document: Path = OPENAPI_DOCUMENT,
        *,
        dynamic: bool = False,
        seed: Optional[str] = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.binary = binary
        self.document = document
        self.dynamic = dynamic
        self.seed = seed
        self.start_timeout = start_timeout
        self.url = ""
        self.startup_seconds = 0.0
        self._process: Optional[subprocess.Popen[bytes]] = None
        self._log: Optional[IO[bytes]] = None

    @property
    def mode(self) -> str:
        return "dynamic" if self.dynamic else "static"

    def command(self) -> List[str]:
        # Port 0: the OS picks a free port and Prism prints the address it got, so there is no
        # window in which another process could take a port we chose in advance.
        argv = [self.binary, "mock", "-h", "127.0.0.1", "-p", "0"]
        if self.dynamic:
            argv.append("--dynamic")
            if self.seed:
                argv += ["--seed", self.seed]
        argv.append(str(self.document))
        return argv

    def start(self) -> PrismServer:
        if self._process is not None:
            raise PrismError("this Prism server is already running")
        # Closed by stop(); it has to outlive this method.
        self._log = tempfile.TemporaryFile(prefix="prism-", suffix=".log")  # noqa: SIM115
        began = time.monotonic()
        self._process = subprocess.Popen(
            self.command(),
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own process group, so that stop() also ends anything Prism started.
            start_new_session=True,
        )
        try:
            self.url = self._wait_until_listening(began + self.start_timeout)
            self._wait_until_answering(began + self.start_timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def _wait_until_listening(self, deadline: float) -> str:
        assert self._process is not None
        while time.monotonic() < deadline:
            match = _LISTENING.search(self.log_text())
            if match:
                return match.group(1).rstrip("/")
            if self._process.poll() is not None:
                raise PrismError(
                    f"Prism exited with status {self._process.returncode} before listening:\n"
                    f"{self.log_tail()}"
                )
            time.sleep(0.1)
        raise PrismError(
            f"Prism did not start within {self.start_timeout:.0f} s:\n{self.log_tail()}"
        )

    def _wait_until_answering(self, deadline: float) -> None:
        # Any HTTP answer will do; "/" is not in the document, so Prism says 404.
        while True:
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2.0):
                    return
            except urllib.error.HTTPError:
                return
            except OSError as exc:
                if time.monotonic() >= deadline:
                    raise PrismError(f"Prism at {self.url} does not answer: {exc}") from exc
                time.sleep(0.1)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            self._signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._signal_group(process, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT)
        elif process is not None:
            # Prism is gone; take down anything it left in its group.
            self._signal_group(process, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    @staticmethod
    def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signum)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> Optional[int]:
        return None if self._process is None else self._process.pid

    def log_text(self) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def __enter__(self) -> PrismServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"PrismServer({self.mode}, url={self.url or None!r})"


@contextlib.contextmanager
def prism_server(*, dynamic: bool = False) -> Iterator[PrismServer]:
    """Run Prism on ``openapi.yaml`` for the ``with`` block; skip or fail when it is missing."""
    binary = require_prism()
    seed = os.environ.get("PRISM_SEED", DEFAULT_SEED) if dynamic else None
    with PrismServer(binary, dynamic=dynamic, seed=seed) as server:
        yield server


@pytest.fixture(scope="session")
def prism_static() -> Iterator[PrismServer]:
    """Prism answering with the document's examples."""
    with prism_server(dynamic=False) as server:
        yield server


@pytest.fixture(scope="session")
def prism_dynamic() -> Iterator[PrismServer]:
    """Prism answering with random data that fits the document's schemas."""
    with prism_server(dynamic=True) as server:
        yield server
