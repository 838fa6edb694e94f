"""The sandbox's state file: nothing it acknowledged is lost when it is killed, ids never go back.

Each test runs ``smsworks sandbox --state-file`` as a real subprocess, drives it over HTTP from a
few threads, kills it with SIGKILL at a random moment and starts it again on the same file.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from openapi_client.sandbox import Sandbox, StateFileError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is a POSIX signal")

TOKEN = "state-test-token"
START = 100_000.0
UK = "447700900001"
REFUNDED = "447700900900"  # UNDELIVERABLE at once with delivery_delay 0: refunded
ABROAD = "33612345678"  # two credits per part
FAR = "2099-01-01T00:00:00Z"

# What each kind of request sends, and what the batch costs once it has settled.
SEND = {"sender": "Acme", "destinations": [UK, REFUNDED, ABROAD], "content": "Hi"}
ANY = [
    {"sender": "Acme", "destination": UK, "content": "One"},
    {"sender": "Shop", "destination": ABROAD, "content": "Two", "tag": "t"},
]
SCHEDULE = {"sender": "Acme", "destinations": [UK], "content": "Later", "schedule": FAR}
COST = {("send", "SENT"): 3.0, ("any", "SENT"): 3.0, ("schedule", "SCHEDULED"): 1.0}
COST[("schedule", "CANCELLED")] = 0.0
SIZE = {"send": 3, "any": 2, "schedule": 1}


class Server:
    """``smsworks sandbox`` in its own process."""

    def __init__(self, state: Path) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        command = [sys.executable, "-m", "openapi_client", "--json", "sandbox"]
        command += ["--state-file", str(state), "--token", TOKEN, "--credits", f"{START:g}"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
        )
        self.url = self._read_url()
        self.port = int(self.url.split(":")[2].split("/")[0])

    def _read_url(self) -> str:
        found: List[str] = []
        reader = threading.Thread(
            target=lambda: found.append(self.process.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(20)
        if not found or not found[0]:
            self.process.kill()
            _, err = self.process.communicate(timeout=10)
            raise AssertionError(f"the sandbox did not start: {err}")
        return str(json.loads(found[0])["url"])

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def call(self, method: str, path: str, body: Any = None) -> Tuple[int, Any]:
        connection = self.connection()
        try:
            return _call(connection, method, path, body)
        finally:
            connection.close()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=20)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.communicate(timeout=20)
        assert self.process.returncode == 0


def _call(
    connection: http.client.HTTPConnection, method: str, path: str, body: Any = None
) -> Tuple[int, Any]:
    headers = {"Authorization": f"JWT {TOKEN}", "Content-Type": "application/json"}
    data = None if body is None else json.dumps(body).encode()
    connection.request(method, "/v1" + path, body=data, headers=headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


class Load:
    """Threads that send, schedule and cancel until the server dies, noting every 2xx."""

    def __init__(self, server: Server, seed: int) -> None:
        self.server = server
        self.random = random.Random(seed)
        self.acknowledged: Dict[str, str] = {}  # batchid -> kind
        self.cancelled: List[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(4)]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        for thread in self.threads:
            thread.join(30)
        assert not any(thread.is_alive() for thread in self.threads)

    def _work(self) -> None:
        connection = self.server.connection()
        scheduled: List[str] = []
        try:
            while True:
                with self.lock:
                    choice = self.random.random()
                if choice < 0.2 and scheduled:
                    batchid = scheduled.pop()
                    status, _ = _call(connection, "DELETE", f"/batches/schedule/{batchid}")
                    assert status == 200
                    with self.lock:
                        self.cancelled.append(batchid)
                    continue
                kind, path, body = (
                    ("send", "/batch/send", SEND)
                    if choice < 0.5
                    else ("any", "/batch/any", ANY)
                    if choice < 0.8
                    else ("schedule", "/batch/schedule", SCHEDULE)
                )
                status, answer = _call(connection, "POST", path, body)
                assert status == 201, answer
                with self.lock:
                    self.acknowledged[str(answer["batchid"])] = kind
                if kind == "schedule":
                    scheduled.append(str(answer["batchid"]))
        except (OSError, http.client.HTTPException):
            return  # the server was killed
        finally:
            connection.close()


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "sandbox.db"


def _stored(state: Path) -> Tuple[float, Dict[str, Dict[str, Any]]]:
    """Balance and batches in the file, read in this process without serving anything."""
    sandbox = Sandbox(state_file=state)
    try:
        return sandbox.credits, sandbox.batches
    finally:
        sandbox.stop()  # closes the file


def test_a_killed_sandbox_keeps_every_acknowledged_batch(state: Path) -> None:
    acknowledged: Dict[str, str] = {}
    cancelled: List[str] = []
    highest_before = 0
    for trial in range(3):
        server = Server(state)
        with Load(server, seed=trial) as load:
            deadline = time.monotonic() + 20
            while not load.acknowledged and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(random.uniform(0.0, 1.0))  # then kill at a random moment
            server.kill()
        assert load.acknowledged, "nothing was sent before the kill"
        # Ids handed out after a restart are above every id that existed before it.
        assert min(int(batchid) for batchid in load.acknowledged) > highest_before
        acknowledged.update(load.acknowledged)
        cancelled.extend(load.cancelled)
        balance, batches = _stored(state)
        highest_before = max(int(batchid) for batchid in batches)

    server = Server(state)
    try:
        for batchid, kind in acknowledged.items():
            status, records = server.call("GET", f"/batch/{batchid}")
            assert status == 200
            assert len(records) == SIZE[kind]
        status, answer = server.call("POST", "/batch/send", SEND)
        assert status == 201
        newest = int(answer["batchid"])
        status, balance_answer = server.call("GET", "/credits/balance")
    finally:
        server.stop()

    balance, batches = _stored(state)
    assert balance_answer["credits"] == balance
    for batchid, kind in acknowledged.items():
        assert batches[batchid]["kind"] == kind
        assert batches[batchid]["messages"] == SIZE[kind]
    for batchid in cancelled:
        assert batches[batchid]["status"] == "CANCELLED"
    # At most one unanswered request per client thread and kill was committed without its 201.
    assert len(batches) - len(acknowledged) - 1 <= 3 * 4
    assert newest > max(int(batchid) for batchid in batches if int(batchid) != newest)
    # Credits: the opening balance less what every stored batch costs, refunds included.
    charged = 0.0
    for info in batches.values():
        cost = COST[(info["kind"], info["status"])]
        assert info["credits"] == cost
        charged += cost
    assert balance == START - charged
    # No temporary or journal files left once the sandbox stopped cleanly.
    assert sorted(path.name for path in state.parent.iterdir()) == [state.name]


def test_an_old_json_state_file_is_refused_in_one_line(state: Path) -> None:
    old = state.with_suffix(".json")
    old.write_text('{"version": 1, "credits": 5, "batches": []}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "openapi_client", "sandbox", "--state-file", str(old)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "JSON state file" in lines[0]
    assert str(old) in lines[0]
    assert old.read_text(encoding="utf-8").startswith('{"version": 1')  # left untouched


def test_the_state_file_is_written_before_the_answer(state: Path) -> None:
    # Read the file from a second connection while the sandbox is still running: what it
    # acknowledged is already there, not only at stop().
    with Sandbox(credits=10, token=TOKEN, state_file=state) as running:
        host, port = running.url.split("//")[1].split("/")[0].split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            status, answer = _call(connection, "POST", "/batch/send", SEND)
        finally:
            connection.close()
        assert status == 201
        balance, batches = _stored(state)
        assert list(batches) == [answer["batchid"]]
        assert balance == 10 - 3


def test_ids_never_repeat_across_restarts(state: Path) -> None:
    seen: List[int] = []
    for _ in range(2):
        with Sandbox(credits=100, token=TOKEN, state_file=state) as running:
            host, port = running.url.split("//")[1].split("/")[0].split(":")
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            try:
                for _ in range(2):
                    status, answer = _call(connection, "POST", "/batch/send", SEND)
                    assert status == 201
                    seen.append(int(answer["batchid"]))
            finally:
                connection.close()
    assert seen == sorted(seen)
    assert len(set(seen)) == 4


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01 not a database")
    with pytest.raises(StateFileError, match="not SQLite"):
        Sandbox(state_file=junk)


def test_another_programs_sqlite_database_is_left_alone(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    db.close()
    with pytest.raises(ValueError, match="holds other tables and no sandbox account"):
        Sandbox(state_file=other)
    with sqlite3.connect(other) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
    db.close()
    assert tables == ["notes"]
