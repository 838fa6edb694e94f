"""The ``smsworks`` command as a person uses it: resume hints, counts, errors in CLI words,
bad option values, start-up cost. Every check runs the command as a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Union

import pytest

from openapi_client.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "cli-as-used-token-NEVER-SHOWN-93af"
UK = "447700900001"
UK2 = "447700900002"


class Run:
    def __init__(self, completed: subprocess.CompletedProcess[str]) -> None:
        self.code = completed.returncode
        self.out = completed.stdout
        self.err = completed.stderr

    def json(self) -> object:
        return json.loads(self.out)

    def __repr__(self) -> str:
        return f"<exit {self.code}\nstdout: {self.out}\nstderr: {self.err}>"


def _env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMSWORKS_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONWARNINGS"] = "error"
    env.update(extra)
    return env


def smsworks(
    *args: Union[str, bytes], env: Optional[Dict[str, str]] = None, cwd: Optional[Path] = None
) -> Run:
    completed = subprocess.run(
        [sys.executable, "-m", "openapi_client", *args],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=90,
        env=env if env is not None else _env(),
        cwd=cwd,
        check=False,
    )
    run = Run(completed)
    assert TOKEN not in run.out + run.err, run
    assert "Traceback" not in run.err, run
    return run


def one_error_line(run: Run) -> str:
    """The single line a refused command prints (exit 2), with nothing else on stderr."""
    lines = [line for line in run.err.splitlines() if "error:" in line]
    assert len(lines) == 1, run
    others = [
        line
        for line in run.err.splitlines()
        if line.strip() and line not in lines and not line.startswith("using a throwaway")
    ]
    assert not others, run
    return lines[0]


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    with Sandbox(credits=1_000_000, token=TOKEN) as running:
        yield running


@pytest.fixture
def flags(server: Sandbox) -> List[str]:
    return ["--base-url", server.url, "--token", TOKEN]


def _numbers(path: Path, count: int) -> Path:
    path.write_text("".join(f"4477{n:08d}\n" for n in range(count)), encoding="utf-8")
    return path


# -- resume hints target the place the failed run sent to ----------------------------------------


def test_a_failed_sandbox_run_prints_no_command_that_would_text_real_people(
    tmp_path: Path,
) -> None:
    numbers = _numbers(tmp_path / "many.txt", 5_003)
    # The environment a real user may have: a real token exported.
    run = smsworks("--sandbox", "--sandbox-credits", "5001", "batch", "send", "--sender", "Acme",
                   "--content", "Hi", "--to-file", str(numbers),
                   env=_env(SMSWORKS_TOKEN=TOKEN), cwd=tmp_path)  # fmt: skip
    assert run.code == 1, run
    assert "not sent: 3 recipients" in run.err
    hint = next(line for line in run.err.splitlines() if line.startswith("to send the rest:"))
    assert "smsworks batch send" not in hint and "smsworks --" not in hint, hint
    assert "--sandbox" in hint and "gone" in hint, hint
    assert (tmp_path / "smsworks-unsent.txt").read_text(encoding="utf-8").split() == [
        "447700005000",
        "447700005001",
        "447700005002",
    ]


@pytest.mark.parametrize("given", ["option", "environment"])
def test_the_resume_command_names_the_same_base_url(tmp_path: Path, given: str) -> None:
    numbers = _numbers(tmp_path / "many.txt", 5_002)
    with Sandbox(credits=5_001, token=TOKEN) as small:
        url = small.url
        words = ["batch", "send", "--sender", "Acme", "--content", "Hi", "--to-file", str(numbers)]
        if given == "option":
            run = smsworks("--base-url", url, "--token", TOKEN, *words, cwd=tmp_path)
        else:
            run = smsworks(*words, env=_env(SMSWORKS_BASE_URL=url, SMSWORKS_TOKEN=TOKEN),
                           cwd=tmp_path)  # fmt: skip
        assert run.code == 1, run
        hint = next(line for line in run.err.splitlines() if line.startswith("to send the rest:"))
        assert hint.startswith(f"to send the rest: smsworks --base-url {url} batch send"), hint
        assert "--token" not in hint and "--sandbox" not in hint

        # The command as printed (the token from the environment) sends the rest there, once.
        small.credits = 10
        command = hint[len("to send the rest: smsworks ") :].split()
        again = smsworks(*command, env=_env(SMSWORKS_TOKEN=TOKEN), cwd=tmp_path)
        assert again.code == 0, again
        assert len(small.sent_messages) == 5_002


# -- counts under --duplicates drop ---------------------------------------------------------------


def test_duplicates_drop_counts_what_is_sent(server: Sandbox, flags: List[str]) -> None:
    human = smsworks(*flags, "--duplicates", "drop", "batch", "send", "--sender", "Acme",
                     "--content", "Hi", "--to", UK, "--to", UK)  # fmt: skip
    assert human.code == 0, human
    fields = dict(line.split(None, 1) for line in human.out.splitlines())
    assert fields["Recipients"] == "1"
    assert server.batches[fields["Batch"]]["messages"] == 1

    machine = smsworks(*flags, "--json", "--duplicates", "drop", "batch", "send", "--sender",
                       "Acme", "--content", "Hi", "--to", f"{UK},{UK2},{UK}")  # fmt: skip
    assert machine.code == 0, machine
    data = machine.json()
    assert isinstance(data, dict)
    assert data["recipients"] == 2
    assert server.batches[data["batchid"]]["messages"] == 2


def test_duplicates_drop_counts_messages_of_batch_any(
    server: Sandbox, flags: List[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text(f"to,content\n{UK},Hi\n{UK},Hi\n{UK2},Hi\n", encoding="utf-8")
    run = smsworks(*flags, "--json", "--duplicates", "drop", "batch", "any", str(sheet),
                   "--sender", "Acme")  # fmt: skip
    assert run.code == 0, run
    data = run.json()
    assert isinstance(data, dict)
    assert data["recipients"] == 2
    assert server.batches[data["batchid"]]["messages"] == 2


# -- errors in the words of the command line ------------------------------------------------------


def test_a_repeated_number_names_the_option_not_the_sdk(server: Sandbox, flags: List[str]) -> None:
    before = len(server.batches)
    run = smsworks(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi",
                   "--to", UK, "--to", UK)  # fmt: skip
    assert run.code == 2, run
    line = one_error_line(run)
    assert "--duplicates drop" in line
    assert "--to recipient 2 '447700900001'" in line and "(recipients 1, 2)" in line, line
    assert "Configuration" not in line and "duplicate_destinations" not in line
    assert len(server.batches) == before


def test_a_bad_number_names_the_option_and_the_number(server: Sandbox, flags: List[str]) -> None:
    run = smsworks(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi",
                   "--to", UK, "--to", "12345")  # fmt: skip
    assert run.code == 2, run
    line = one_error_line(run)
    assert "--to recipient 2 '12345'" in line, line
    assert "sms_message" not in line and "destinations[" not in line
    sender = smsworks(*flags, "batch", "send", "--sender", "Acme Ltd", "--content", "Hi",
                      "--to", UK)  # fmt: skip
    assert "smsworks: error: --sender:" in one_error_line(sender)


@pytest.mark.slow  # the allowed calls are retried until they give up: a few seconds
def test_plain_http_names_the_flag_and_the_flag_lets_it_through() -> None:
    # 192.0.2.1 is TEST-NET-1: never a real host, so nothing can be sent there.
    words = ["--base-url", "http://192.0.2.1/v1", "--token", TOKEN, "--timeout", "0.3"]
    refused = smsworks(*words, "batch", "get", "1")
    assert refused.code == 2, refused
    line = one_error_line(refused)
    assert "--allow-insecure-http" in line and "SMSWORKS_ALLOW_INSECURE_HTTP=1" in line
    assert "Configuration" not in line

    for allowed in (
        smsworks(*words, "--allow-insecure-http", "batch", "get", "1"),
        smsworks(*words, "batch", "get", "1", env=_env(SMSWORKS_ALLOW_INSECURE_HTTP="1")),
    ):
        # Past the check: the call is attempted, and fails to connect.
        assert allowed.code == 1, allowed
        assert "could not reach the API" in allowed.err or "timed out" in allowed.err, allowed
        assert "insecure" not in allowed.err


# -- bad option values: one line, exit 2 ----------------------------------------------------------

BAD_OPTIONS = [
    ["sandbox", "--port", "99999"],
    ["sandbox", "--port", "-1"],
    ["sandbox", "--port", "http"],
    ["sandbox", "--port", "1" * 5000],
    ["sandbox", "--credits", "nan"],
    ["sandbox", "--credits", "-5"],
    ["sandbox", "--credits", "1e400"],
    ["sandbox", "--delivery-delay", "inf"],
    ["sandbox", "--delivery-delay", "soon"],
    ["--sandbox", "--sandbox-credits", "nan", "batch", "get", "1"],
    ["--sandbox", "--timeout", "0", "batch", "get", "1"],
    ["--sandbox", "--timeout", "-1", "batch", "get", "1"],
    ["--sandbox", "--timeout", "inf", "batch", "get", "1"],
    ["--sandbox", "--duplicates", "some", "batch", "get", "1"],
    ["estimate", "--content", "Hi", "--international-multiplier", "0"],
    ["estimate", "--content", "Hi", "--international-multiplier", "nan"],
    [
        "--sandbox",
        "batch",
        "send",
        "--sender",
        "Acme",
        "--content",
        "Hi",
        "--to",
        UK,
        "--validity",
        "x",
    ],
    [
        "--sandbox",
        "batch",
        "send",
        "--sender",
        "Acme",
        "--content",
        "Hi",
        "--to",
        UK,
        "--validity",
        "9" * 5000,
    ],
    [
        "--sandbox",
        "batch",
        "send",
        "--sender",
        "Acme",
        "--content",
        "Hi",
        "--to",
        UK,
        "--validity",
        "99999",
    ],
    [
        "--sandbox",
        "batch",
        "send",
        "--sender",
        "Acme",
        "--content",
        "Hi",
        "--to",
        UK,
        "--ttl",
        "0",
    ],
    [
        "--sandbox",
        "batch",
        "schedule",
        "--at",
        "99999-01-01T00:00Z",
        "--sender",
        "Acme",
        "--content",
        "Hi",
        "--to",
        UK,
    ],
    [
        "--sandbox",
        "batch",
        "schedule",
        "--at",
        "tomorrow",
        "--sender",
        "Acme",
        "--content",
        "Hi",
        "--to",
        UK,
    ],
    [
        "--sandbox",
        "batch",
        "send",
        "--sender",
        "Acme",
        "--content",
        "Hi",
        "--to-file",
        "/nonexistent/numbers.txt",
    ],
    ["--sandbox", "batch", "any", "/"],
    ["--sandbox", "batch", "get", ""],
    ["--base-url", "http://[", "--token", TOKEN, "batch", "get", "1"],
    ["--base-url", "https://example.com:99999", "--token", TOKEN, "batch", "get", "1"],
    ["--base-url", "ftp://example.com", "--token", TOKEN, "batch", "get", "1"],
    ["--base-url", "example.com", "--token", TOKEN, "batch", "get", "1"],
    ["sandbox", "--state-file", "/"],
]


@pytest.mark.parametrize("words", BAD_OPTIONS, ids=lambda words: " ".join(words)[:60])
def test_every_bad_option_value_is_one_line_and_exit_2(words: List[str]) -> None:
    run = smsworks(*words)
    assert run.code == 2, run
    assert one_error_line(run).startswith("smsworks"), run
    assert run.out == "", run


def test_a_state_file_that_is_not_a_sandbox_state_is_one_line(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("not json", encoding="utf-8")
    run = smsworks("sandbox", "--state-file", str(state))
    assert run.code == 2, run
    assert "--state-file" in one_error_line(run)


@pytest.mark.parametrize("option", ["--content", "--sender", "--tag", "--to"])
def test_a_byte_that_is_not_utf8_is_one_line_and_exit_2(option: str) -> None:
    words: Dict[str, Union[str, bytes]] = {
        "--content": "Hi",
        "--sender": "Acme",
        "--tag": "t",
        "--to": UK,
    }
    words[option] = b"caf\xff"
    argv: List[Union[str, bytes]] = ["--sandbox", "batch", "send"]
    for name, value in words.items():
        argv += [name, value]
    run = smsworks(*argv)
    assert run.code == 2, run
    line = one_error_line(run)
    assert option in line and "0xff" in line and "UTF-8" in line, line


# -- files, estimates, help -----------------------------------------------------------------------


def test_csv_header_problems_are_reported_at_line_1(flags: List[str], tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text(f"to,content,colour\n{UK},Hi,red\n", encoding="utf-8")
    run = smsworks(*flags, "batch", "any", str(sheet), "--sender", "Acme")
    assert run.code == 2, run
    line = one_error_line(run)
    assert "m.csv line 1: unknown column(s) colour" in line, line

    sheet.write_text(f"number,content\n{UK},Hi\n", encoding="utf-8")
    missing = one_error_line(smsworks(*flags, "batch", "any", str(sheet), "--sender", "Acme"))
    assert "line 1" in missing and "'to'" in missing and "'content'" in missing, missing


def test_estimate_says_a_text_over_1280_characters_would_be_refused() -> None:
    human = smsworks("estimate", "--content", "a" * 2000)
    assert human.code == 0, human
    assert "would be refused" in human.err and "1,280" in human.err, human
    assert "Sendable" in human.out
    machine = smsworks("--json", "estimate", "--content", "a" * 2000)
    data = machine.json()
    assert isinstance(data, dict)
    assert data["sendable"] is False
    fine = smsworks("--json", "estimate", "--content", "a" * 1280)
    assert "refused" not in fine.err
    data = fine.json()
    assert isinstance(data, dict)
    assert data["sendable"] is True


@pytest.mark.parametrize("action", ["get", "cancel"])
def test_batch_get_and_cancel_explain_batchid(action: str) -> None:
    run = smsworks("batch", action, "--help")
    assert run.code == 0, run
    described = [line for line in run.out.splitlines() if re.match(r"^  batchid\s+\S", line)]
    assert len(described) == 1, run.out


def test_help_loads_neither_pydantic_nor_urllib3() -> None:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "openapi_client", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("usage: smsworks")
    imported = {line.split("|")[-1].strip().split(".")[0] for line in completed.stderr.splitlines()}
    assert "openapi_client" in imported  # the import log is really there
    assert "pydantic" not in imported
    assert "urllib3" not in imported


# -- several chunks at once ----------------------------------------------------------------------


def test_in_flight_sends_every_chunk_once(tmp_path: Path) -> None:
    numbers = _numbers(tmp_path / "many.txt", 12_001)
    with Sandbox(credits=20_000, token=TOKEN) as sandbox:
        run = smsworks("--base-url", sandbox.url, "--token", TOKEN, "--json", "batch", "send",
                       "--sender", "Acme", "--content", "Hi", "--to-file", str(numbers),
                       "--in-flight", "3", cwd=tmp_path)  # fmt: skip
        assert run.code == 0, run
        sent = sorted(message["destination"] for message in sandbox.sent_messages)
    assert len(sent) == 12_001 and len(set(sent)) == 12_001


@pytest.mark.parametrize("value", ["0", "33", "-1", "many"])
def test_a_bad_in_flight_is_one_line_and_exit_2(value: str) -> None:
    run = smsworks("--sandbox", "batch", "send", "--sender", "Acme", "--content", "Hi",
                   "--to", "447700900001", "--in-flight", value)  # fmt: skip
    assert run.code == 2, run
    assert "--in-flight" in one_error_line(run)
