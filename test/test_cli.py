"""The ``smsworks`` command, run as a subprocess against sandboxes, in human and JSON modes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import urllib3
from test_cli_as_used import TOKEN, _env, smsworks
from test_cli_as_used import Run as Result

from openapi_client import cli
from openapi_client.cli import _common as cli_common
from openapi_client.cli import _files as cli_files
from openapi_client.sandbox import Sandbox

UK = "447700900001"
UK2 = "447700900002"


def assert_one_error_line(result: Result, *words: str) -> None:
    lines = [line for line in result.err.splitlines() if line.startswith("smsworks: error:")]
    assert len(lines) == 1, result
    for word in words:
        assert word in lines[0], result


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    with Sandbox(credits=1_000_000, token=TOKEN) as running:
        yield running


@pytest.fixture
def flags(server: Sandbox) -> List[str]:
    """``--base-url/--token`` for the shared sandbox."""
    return ["--base-url", server.url, "--token", TOKEN]


@pytest.fixture
def env(server: Sandbox) -> Dict[str, str]:
    """An environment pointing at the shared sandbox through SMSWORKS_*."""
    return _env(SMSWORKS_BASE_URL=server.url, SMSWORKS_TOKEN=TOKEN)


# -- help and usage ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["batch"],
        ["batch", "send"],
        ["batch", "any"],
        ["batch", "schedule"],
        ["batch", "get"],
        ["batch", "cancel"],
        ["estimate"],
        ["sandbox"],
    ],
)
def test_help_everywhere(words: List[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([*words, "--help"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: smsworks")
    assert "--json" in shown


def test_help_as_a_subprocess() -> None:
    result = smsworks("batch", "send", "--help")
    assert result.code == 0
    assert result.out.startswith("usage: smsworks batch send")
    assert "--to-file" in result.out


def test_version() -> None:
    import openapi_client

    result = smsworks("--version")
    assert result.code == 0
    assert openapi_client.__version__ in result.out


def test_usage_errors_exit_2() -> None:
    result = smsworks("batch", "send", "--content", "Hi", "--to", UK)
    assert result.code == 2
    assert "--sender" in result.err
    assert smsworks("nonsense").code == 2


def test_no_token_is_a_usage_error() -> None:
    result = smsworks("batch", "get", "1")
    assert result.code == 2
    assert_one_error_line(result, "no token", "SMSWORKS_TOKEN")


# -- batch send ----------------------------------------------------------------------------------


def test_batch_send_human(server: Sandbox, flags: List[str]) -> None:
    result = smsworks(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi",
                      "--to", UK, "--to", f"{UK2},447700900003")  # fmt: skip
    assert result.code == 0, result
    fields = dict(line.split(None, 1) for line in result.out.splitlines())
    assert fields["Status"] == "SCHEDULED"
    assert fields["Recipients"] == "3"
    batch = server.batches[fields["Batch"]]
    assert batch["messages"] == 3
    assert batch["kind"] == "send"


def test_batch_send_json_with_environment(server: Sandbox, env: Dict[str, str]) -> None:
    result = smsworks("batch", "send", "--json", "--sender", "Acme", "--content", "Hi",
                      "--to", UK, "--tag", "cli", "--validity", "60", env=env)  # fmt: skip
    assert result.code == 0, result
    data = result.json()
    assert data == {"batchid": data["batchid"], "status": "SCHEDULED", "recipients": 1}
    record = server.messages(data["batchid"])[0]
    assert record["tag"] == "cli"
    assert record["destination"] == int(UK)


def test_batch_send_from_a_file(server: Sandbox, flags: List[str], tmp_path: Path) -> None:
    numbers = tmp_path / "numbers.txt"
    numbers.write_text(f"# customers\n{UK}\n\n{UK2}, 447700900003\n", encoding="utf-8")
    result = smsworks(*flags, "--json", "batch", "send", "--sender", "Acme",
                      "--content", "Hi", "--to-file", str(numbers))  # fmt: skip
    assert result.code == 0, result
    batchid = result.json()["batchid"]
    assert [m["destination"] for m in server.messages(batchid)] == [
        int(UK),
        int(UK2),
        447700900003,
    ]


def test_batch_send_in_sandbox_mode() -> None:
    human = smsworks("--sandbox", "batch", "send", "--sender", "Acme", "--content", "Hi",
                     "--to", UK)  # fmt: skip
    assert human.code == 0, human
    assert "SCHEDULED" in human.out
    assert "sandbox" in human.err
    machine = smsworks("batch", "send", "--sandbox", "--json", "--sender", "Acme",
                       "--content", "Hi", "--to", UK)  # fmt: skip
    assert machine.code == 0
    assert machine.json()["batchid"].isdigit()


def test_refused_input_is_exit_2_and_sends_nothing(server: Sandbox, flags: List[str]) -> None:
    before = len(server.batches)
    result = smsworks(*flags, "batch", "send", "--sender", "Acme Ltd", "--content", "Hi",
                      "--to", UK)  # fmt: skip
    assert result.code == 2
    assert_one_error_line(result, "sender")
    assert len(server.batches) == before


def test_402_is_one_line_and_exit_1() -> None:
    result = smsworks("--sandbox", "--sandbox-credits", "1", "batch", "send", "--sender", "Acme",
                      "--content", "Hi", "--to", UK, "--to", UK2)  # fmt: skip
    assert result.code == 1
    assert_one_error_line(result, "HTTP 402", "errorCode 1030", "insufficient credits")
    assert result.out == ""


def test_wrong_token_is_401_and_never_printed(server: Sandbox) -> None:
    wrong = TOKEN + "-wrong"
    result = smsworks("--base-url", server.url, "--token", wrong, "batch", "get", "1")
    assert result.code == 1
    assert_one_error_line(result, "HTTP 401", "errorCode 1040")
    assert wrong not in result.out + result.err


def test_unreachable_api_is_exit_1() -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = smsworks("--base-url", f"http://127.0.0.1:{port}/v1", "--token", TOKEN,
                      "--timeout", "2", "batch", "get", "1")  # fmt: skip
    assert result.code == 1
    assert_one_error_line(result, "could not reach")


# -- batch any -----------------------------------------------------------------------------------


def test_batch_any_csv(server: Sandbox, flags: List[str], tmp_path: Path) -> None:
    sheet = tmp_path / "messages.csv"
    sheet.write_text(
        "destination,content,sender,tag,metadata.order\n"
        f'{UK},"Hi Ann, your order is ready",,t1,17\n'
        f"{UK2},Hi Bob,Shop,,\n",
        encoding="utf-8",
    )
    result = smsworks(*flags, "batch", "any", str(sheet), "--sender", "Acme")
    assert result.code == 0, result
    fields = dict(line.split(None, 1) for line in result.out.splitlines())
    assert fields["Recipients"] == "2"
    first, second = server.messages(fields["Batch"])
    assert first["content"] == "Hi Ann, your order is ready"
    assert first["sender"] == "Acme"
    assert first["tag"] == "t1"
    assert first["metadata"] == [{"key": "order", "value": "17"}]
    assert second["sender"] == "Shop"
    assert second["tag"] == ""  # no tag given: the sandbox answers it empty


def test_batch_any_json_lines(server: Sandbox, env: Dict[str, str], tmp_path: Path) -> None:
    lines = tmp_path / "messages.ndjson"
    lines.write_text(
        json.dumps({"destination": UK, "content": "One", "sender": "Acme", "validity": 30})
        + "\n\n"
        + json.dumps({"destination": UK2, "content": "Two", "metadata": {"k": "v"}})
        + "\n",
        encoding="utf-8",
    )
    result = smsworks("--json", "batch", "any", str(lines), "--sender", "Dflt", env=env)
    assert result.code == 0, result
    data = result.json()
    assert data["recipients"] == 2
    first, second = server.messages(data["batchid"])
    assert (first["sender"], second["sender"]) == ("Acme", "Dflt")
    assert second["metadata"] == [{"key": "k", "value": "v"}]


def test_batch_any_names_the_file_line(flags: List[str], tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        f"destination,content,sender\n{UK},Hi,Acme\n{UK2},Hi,Bad Sender\n", encoding="utf-8"
    )
    result = smsworks(*flags, "batch", "any", str(sheet))
    assert result.code == 2
    assert_one_error_line(result, "bad.csv line 3", "sender")


# -- schedule, get, cancel -----------------------------------------------------------------------


def test_schedule_get_and_cancel(server: Sandbox, flags: List[str]) -> None:
    scheduled = smsworks(*flags, "--json", "batch", "schedule", "--at", "2099-12-01T09:00:00+01:00",
                         "--sender", "Acme", "--content", "Later", "--to", UK)  # fmt: skip
    assert scheduled.code == 0, scheduled
    data = scheduled.json()
    batchid = data["batchid"]
    assert data["status"] == "SCHEDULED"
    assert server.batches[batchid]["schedule"].isoformat() == "2099-12-01T08:00:00+00:00"

    listed = smsworks(*flags, "batch", "get", batchid)
    assert listed.code == 0
    assert "MESSAGEID" in listed.out
    assert UK in listed.out
    assert "1 message(s): 1 SCHEDULED" in listed.out

    cancelled = smsworks(*flags, "batch", "cancel", batchid)
    assert cancelled.code == 0, cancelled
    assert "CANCELLED" in cancelled.out
    assert server.batches[batchid]["status"] == "CANCELLED"

    again = smsworks(*flags, "--json", "batch", "cancel", batchid)
    assert again.code == 1
    assert again.out == ""
    assert_one_error_line(again, "HTTP 400", "errorCode 1050", "already cancelled")


def test_schedule_human_then_cancel_json(server: Sandbox, flags: List[str]) -> None:
    scheduled = smsworks(*flags, "batch", "schedule", "--at", "2099-01-01T00:00:00Z",
                         "--sender", "Acme", "--content", "Later", "--to", UK)  # fmt: skip
    assert scheduled.code == 0, scheduled
    fields = dict(line.split(None, 1) for line in scheduled.out.splitlines())
    assert fields["Status"] == "SCHEDULED"
    assert fields["Schedule"] == "2099-01-01T00:00:00+00:00"
    batchid = fields["Batch"]
    result = smsworks(*flags, "batch", "cancel", batchid, "--json")
    assert result.code == 0
    assert result.json() == {"batchid": batchid, "status": "CANCELLED"}


def test_schedule_without_offset_is_refused(flags: List[str]) -> None:
    result = smsworks(*flags, "batch", "schedule", "--at", "2099-12-01T09:00:00",
                      "--sender", "Acme", "--content", "Hi", "--to", UK)  # fmt: skip
    assert result.code == 2
    assert_one_error_line(result, "offset")


def test_get_shows_outcomes(server: Sandbox, flags: List[str]) -> None:
    sent = smsworks(*flags, "--json", "batch", "send", "--sender", "Acme", "--content", "Hi",
                    "--to", UK, "--to", "447700900900")  # fmt: skip
    batchid = sent.json()["batchid"]
    human = smsworks(*flags, "batch", "get", batchid)
    assert human.code == 0
    assert "34 Handset error (temporary)" in human.out
    assert "1 DELIVERED, 1 UNDELIVERABLE" in human.out
    machine = smsworks(*flags, "batch", "get", batchid, "--json")
    records = machine.json()
    assert [r["status"] for r in records] == ["DELIVERED", "UNDELIVERABLE"]
    assert records[1]["failurereason"]["code"] == 34
    assert records[0]["destination"] == UK  # a string, as the SDK exposes it


def test_unknown_batch_is_exit_1(flags: List[str]) -> None:
    result = smsworks(*flags, "batch", "get", "424242")
    assert result.code == 1
    assert_one_error_line(result, "HTTP 404", "424242")


# -- estimate ------------------------------------------------------------------------------------


def test_estimate_human() -> None:
    result = smsworks("estimate", "--content", "It\u2019s ready", "--to", UK, "--to", "33612345678")
    assert result.code == 0
    assert "UCS-2" in result.out
    assert "U+2019" in result.out
    assert "RIGHT SINGLE QUOTATION MARK" in result.out
    assert "3 (estimate)" in result.out


def test_estimate_json() -> None:
    result = smsworks("--json", "estimate", "--content", "x" * 161)
    assert result.code == 0
    data = result.json()
    assert data["encoding"] == "GSM-7"
    assert data["segments"] == 2
    assert data["unsupported"] == []
    assert data["credits_per_uk_recipient"] == 2.0
    assert data["credits_per_international_recipient"] == 4.0
    assert data["is_estimate"] is True


# -- more than 5,000 recipients ------------------------------------------------------------------


def test_12001_recipients_go_in_three_chunks(
    server: Sandbox, flags: List[str], tmp_path: Path
) -> None:
    numbers = tmp_path / "many.txt"
    numbers.write_text("".join(f"4477{n:08d}\n" for n in range(12_001)), encoding="utf-8")
    result = smsworks(*flags, "--json", "batch", "send", "--sender", "Acme", "--content", "Hi",
                      "--to-file", str(numbers))  # fmt: skip
    assert result.code == 0, result
    data = result.json()
    assert data["complete"] is True
    assert data["recipients"] == 12_001
    assert [b["recipients"] for b in data["batches"]] == [5000, 5000, 2001]
    assert all(server.batches[b["batchid"]]["messages"] == b["recipients"] for b in data["batches"])
    assert "sent chunk 1/3 (5000/12001 recipients)" in result.err
    assert "sent chunk 3/3 (12001/12001 recipients)" in result.err


def test_a_failed_chunk_says_what_was_sent_and_how_to_resume(tmp_path: Path) -> None:
    numbers = tmp_path / "many.txt"
    numbers.write_text("".join(f"4477{n:08d}\n" for n in range(5_003)), encoding="utf-8")
    with Sandbox(credits=5_001, token=TOKEN) as small:
        flags = ["--base-url", small.url, "--token", TOKEN]
        result = smsworks(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi",
                          "--to-file", str(numbers), cwd=tmp_path)  # fmt: skip
        assert result.code == 1, result
        assert_one_error_line(result, "chunked send stopped", "HTTP 402")
        assert "sent: 5000 of 5003 recipients in 1 batch(es)" in result.err
        assert "not sent: 3 recipients" in result.err
        leftover = tmp_path / "smsworks-unsent.txt"
        assert leftover.read_text(encoding="utf-8").split() == [
            "447700005000",
            "447700005001",
            "447700005002",
        ]
        resume = next(line for line in result.err.splitlines() if "to send the rest:" in line)
        assert "--to-file smsworks-unsent.txt" in resume
        assert small.credits == 1  # nothing of the failed chunk was charged

        small.credits = 10
        again = smsworks(*flags, "--json", "batch", "send", "--sender", "Acme", "--content", "Hi",
                         "--to-file", str(leftover), cwd=tmp_path)  # fmt: skip
        assert again.code == 0, again
        assert len(small.sent_messages) == 5003


def test_batch_any_over_5000_messages(tmp_path: Path) -> None:
    lines = tmp_path / "many.jsonl"
    lines.write_text(
        "".join(
            json.dumps({"destination": f"4477{n:08d}", "content": f"Hi {n}"}) + "\n"
            for n in range(5_001)
        ),
        encoding="utf-8",
    )
    result = smsworks("--sandbox", "--sandbox-credits", "6000", "--json", "batch", "any",
                      str(lines), "--sender", "Acme")  # fmt: skip
    assert result.code == 0, result
    assert [b["recipients"] for b in result.json()["batches"]] == [5000, 1]
    assert "sent chunk 2/2 (5001/5001 messages)" in result.err


# -- the sandbox command -------------------------------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_sandbox_command_serves_until_signalled(stop: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "openapi_client", "--json", "sandbox", "--credits", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        assert info["url"].startswith("http://127.0.0.1:")
        assert info["credits"] == 7
        with urllib3.PoolManager() as pool:
            answer = pool.request(
                "GET",
                info["url"] + "/credits/balance",
                headers={"Authorization": f"JWT {info['token']}"},
                timeout=5,
            )
        assert answer.status == 200
        assert json.loads(answer.data) == {"credits": 7.0}
        process.send_signal(stop)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_sandbox_command_does_not_echo_a_chosen_token() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "openapi_client", "sandbox", "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        assert "export SMSWORKS_BASE_URL=http://127.0.0.1:" in lines[1]
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
        assert process.returncode == 0
        assert TOKEN not in "".join(lines) + out + err
        assert "given with --token" in "".join(lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


# -- in-process checks of the input readers ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("destination,content,colour\n447700900001,Hi,red\n", "line 1: unknown column(s) colour"),
        ("destination,content,colour\n447700900001,Hi,\n", "line 1: unknown column(s) colour"),
        ("number,content\n447700900001,Hi\n", "'destination' (or 'to') and 'content'"),
        ("destination,content,validity\n447700900001,Hi,soon\n", "line 2: validity"),
        ("destination,content,ai\n447700900001,Hi,maybe\n", "line 2: ai"),
        ("destination,content\n447700900001,Hi,extra\n", "more cells than columns"),
        ("destination,content\n", "no messages"),
        ("", "empty file"),
    ],
)
def test_csv_problems(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cli.UsageError) as caught:
        cli_files.read_messages(str(path), None, {"sender": "Acme"})
    assert words in str(caught.value)


def test_csv_conversions(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "\ufeffTo,Content,Validity,AI,ResponseEmail\n"
        "447700900001,Hi,60,yes,a@example.com; b@example.com\n",
        encoding="utf-8",
    )
    messages, lines = cli_files.read_messages(str(path), None, {"sender": "Acme", "tag": None})
    assert messages == [
        {
            "destination": "447700900001",
            "content": "Hi",
            "validity": 60,
            "ai": True,
            "responseemail": ["a@example.com", "b@example.com"],
            "sender": "Acme",
        }
    ]
    assert lines == [2]


def test_json_lines_problems(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"  # no telling extension: detected from the first character
    path.write_text('{"destination": "447700900001", "content": "Hi"}\n[1]\n', encoding="utf-8")
    with pytest.raises(cli.UsageError, match=r"m\.txt line 2: each line must be a JSON object"):
        cli_files.read_messages(str(path), None, {"sender": "Acme"})


def test_when_parsing() -> None:
    assert cli_common.parse_when("2026-12-01T09:00:00Z").isoformat() == "2026-12-01T09:00:00+00:00"
    moment = cli_common.parse_when("Tue Dec 01 2026 09:00:00 GMT+0100 (BST)")
    assert moment.isoformat() == "2026-12-01T09:00:00+01:00"
    with pytest.raises(cli.UsageError, match="not a date"):
        cli_common.parse_when("next tuesday")


def test_main_returns_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--json", "estimate", "--content", "Hi"]) == 0
    assert json.loads(capsys.readouterr().out)["segments"] == 1
    assert cli.main(["estimate"]) == 2
    assert cli.main(["--help"]) == 0


def test_output_hides_a_token_in_both_forms() -> None:
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    out = cli.Output(False, stdout, stderr)
    out.hide("JWT abcdef123")
    out.print("token JWT abcdef123 and abcdef123")
    out.error("failed with abcdef123\nsecond line")
    assert "abcdef123" not in stdout.getvalue() + stderr.getvalue()
    assert stderr.getvalue().count("\n") == 1


# -- in-process runs: the same paths, quicker, and seen by coverage ------------------------------


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    def invoke(*args: str) -> Run:
        code = cli.main(list(args))
        captured = capsys.readouterr()
        assert TOKEN not in captured.out + captured.err
        return Run(code, captured.out, captured.err)

    return invoke


def test_in_process_send_get_schedule_cancel(run: Any, server: Sandbox, flags: List[str]) -> None:
    hook = "https://example.com/dr"
    sent = run(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi", "--to", UK,
               "--tag", "t", "--delivery-report-url", hook, "--ttl", "5")  # fmt: skip
    assert sent.code == 0, sent.err
    batchid = dict(line.split(None, 1) for line in sent.out.splitlines())["Batch"]
    assert server.messages(batchid)[0]["deliveryreporturl"] == "https://example.com/dr"

    got = run(*flags, "batch", "get", batchid)
    assert "1 message(s): 1 DELIVERED" in got.out
    assert run(*flags, "--json", "batch", "get", batchid).json()[0]["tag"] == "t"

    later = run(*flags, "--json", "batch", "schedule", "--at", "Tue Dec 01 2099 09:00:00 GMT+0100",
                "--sender", "Acme", "--content", "Later", "--to", UK)  # fmt: skip
    assert later.code == 0, later.err
    scheduled = later.json()
    assert scheduled["schedule"] == "2099-12-01T09:00:00+01:00"
    cancelled = run(*flags, "batch", "cancel", scheduled["batchid"])
    assert "CANCELLED" in cancelled.out
    again = run(*flags, "batch", "cancel", scheduled["batchid"])
    assert again.code == 1
    assert "errorCode 1050 (ALREADY_CANCELLED)" in again.err


def test_in_process_input_errors(run: Any, flags: List[str], tmp_path: Path) -> None:
    assert run(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi").code == 2
    missing = run(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi",
                  "--to-file", str(tmp_path / "nope.txt"))  # fmt: skip
    assert missing.code == 2
    assert "cannot read" in missing.err
    binary = tmp_path / "numbers.txt"
    binary.write_bytes(b"\xff\xfe\xfa")
    unreadable = run(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi",
                     "--to-file", str(binary))  # fmt: skip
    assert unreadable.code == 2
    assert "not UTF-8" in unreadable.err
    twice = run(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi",
                "--to", UK, "--to", UK)  # fmt: skip
    assert twice.code == 2
    assert "duplicate" in twice.err.lower()
    long_tag = run(*flags, "batch", "send", "--sender", "Acme", "--content", "Hi",
                   "--to", UK, "--tag", "t" * 281)  # fmt: skip
    assert long_tag.code == 2
    assert run(*flags, "batch", "schedule", "--at", "soon", "--sender", "Acme",
               "--content", "Hi", "--to", UK).code == 2  # fmt: skip
    too_many = ["--to", ",".join(f"4477{n:08d}" for n in range(5001))]
    big = run(*flags, "batch", "schedule", "--at", "2099-01-01T00:00:00Z", "--sender", "Acme",
              "--content", "Hi", *too_many)  # fmt: skip
    assert big.code == 2
    assert "at most 5000" in big.err
    assert run("estimate", "--content", "").code == 2


def test_in_process_duplicates_can_be_dropped(run: Any, server: Sandbox, flags: List[str]) -> None:
    result = run(*flags, "--duplicates", "drop", "--json", "batch", "send", "--sender", "Acme",
                 "--content", "Hi", "--to", UK, "--to", UK)  # fmt: skip
    assert result.code == 0, result.err
    assert server.batches[result.json()["batchid"]]["messages"] == 1


def test_in_process_batch_any(run: Any, server: Sandbox, flags: List[str], tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text(
        "destination,content,ttl,responseemail\n447700900001,Hi,5,a@example.com\n",
        encoding="utf-8",
    )
    result = run(*flags, "--json", "batch", "any", str(sheet), "--sender", "Acme")
    assert result.code == 0, result.err
    lines = tmp_path / "m.data"
    lines.write_text('{"destination": 447700900002, "content": "Hi"}\n', encoding="utf-8")
    forced = run(*flags, "batch", "any", str(lines), "--format", "jsonl", "--sender", "Acme")
    assert forced.code == 0, forced.err
    batchid = dict(line.split(None, 1) for line in forced.out.splitlines())["Batch"]
    assert server.messages(batchid)[0]["destination"] == int(UK2)
    wrong = tmp_path / "w.jsonl"
    wrong.write_text('{"destination": "447700900001", "content": "Hi", "colour": 1}\n')
    refused = run(*flags, "batch", "any", str(wrong), "--sender", "Acme")
    assert refused.code == 2
    assert "unknown column(s) colour" in refused.err
    broken = tmp_path / "b.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    assert run(*flags, "batch", "any", str(broken), "--sender", "Acme").code == 2
    csv_metadata = tmp_path / "meta.csv"
    csv_metadata.write_text("destination,content,metadata\n447700900001,Hi,x\n", encoding="utf-8")
    assert "metadata.<key>" in run(*flags, "batch", "any", str(csv_metadata), "--sender", "A").err


def test_in_process_api_errors(run: Any, server: Sandbox, monkeypatch: Any) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    wrong = run("--base-url", server.url, "--token", "JWT " + TOKEN + "x", "batch", "get", "1")
    assert wrong.code == 1
    assert "HTTP 401" in wrong.err
    poor = run("--sandbox", "--sandbox-credits", "0", "--json", "batch", "any", "-",
               "--sender", "Acme")  # fmt: skip
    assert poor.code == 2  # stdin is empty here: no messages
    server.inject_fault(503, path="/batch/1", times=3)
    busy = run("--base-url", server.url, "--token", TOKEN, "batch", "get", "1")
    assert busy.code == 1
    assert "HTTP 503, errorCode 1070" in busy.err
    server.inject_fault(502, method="POST", body={"unexpected": True})
    bad_gateway = run("--base-url", server.url, "--token", TOKEN, "batch", "send",
                      "--sender", "Acme", "--content", "Hi", "--to", UK)  # fmt: skip
    assert bad_gateway.code == 1
    assert "may or may not have reached" in bad_gateway.err
    server.clear_faults()


def test_in_process_chunk_failures(run: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    numbers = tmp_path / "many.txt"
    numbers.write_text("".join(f"4477{n:08d}\n" for n in range(10_002)), encoding="utf-8")
    with Sandbox(credits=20_000, token=TOKEN) as small:
        flags = ["--base-url", small.url, "--token", TOKEN]
        # the first chunk is sent, but its answer is lost: its outcome is unknown
        small.inject_fault(drop=True, after_processing=True, method="POST", path="/batch/send")
        result = run(*flags, "--json", "batch", "send", "--sender", "Acme", "--content", "Hi",
                     "--to-file", str(numbers), "--unsent-file", "left")  # fmt: skip
    assert result.code == 1
    data = result.json()
    assert data["complete"] is False
    assert (data["sent"], data["uncertain"], data["unsent"]) == (0, 5000, 5002)
    assert data["uncertain_file"] == "left.uncertain.txt"
    assert (tmp_path / "left.uncertain.txt").read_text().split()[0] == "447700000000"
    assert "check them before sending them again" in result.err

    lines = tmp_path / "many.jsonl"
    lines.write_text(
        "".join(
            json.dumps({"destination": f"4477{n:08d}", "content": "Hi"}) + "\n"
            for n in range(5_003)
        ),
        encoding="utf-8",
    )
    with Sandbox(credits=5_001, token=TOKEN) as small:
        flags = ["--base-url", small.url, "--token", TOKEN]
        result = run(*flags, "batch", "any", str(lines), "--sender", "Acme")
        url = small.url
    assert result.code == 1
    assert "not sent: 3 messages" in result.err
    assert f"smsworks --base-url {url} batch any smsworks-unsent.jsonl" in result.err
    rows = (tmp_path / "smsworks-unsent.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(row)["destination"] for row in rows] == [
        "447700005000",
        "447700005001",
        "447700005002",
    ]


def test_in_process_human_chunked_success(run: Any, tmp_path: Path) -> None:
    numbers = tmp_path / "many.txt"
    numbers.write_text("".join(f"4477{n:08d}\n" for n in range(5_001)), encoding="utf-8")
    result = run("--sandbox", "--sandbox-credits", "6000", "batch", "send", "--sender", "Acme",
                 "--content", "Hi", "--to-file", str(numbers))  # fmt: skip
    assert result.code == 0, result.err
    assert "5001 recipients in 2 batches" in result.out
    assert "BATCH" in result.out


def test_in_process_estimate_variants(run: Any) -> None:
    plain = run("estimate", "--content", "Hello")
    assert "1 per UK recipient" in plain.out
    rated = run("--json", "estimate", "--content", "Hi", "--to", "33612345678",
                "--international-multiplier", "2.5")  # fmt: skip
    assert rated.json()["credits"] == 2.5


def test_python_dash_m_runs_main(monkeypatch: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", ["smsworks", "--json", "estimate", "--content", "Hi"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("openapi_client", run_name="__main__")
    assert caught.value.code == 0
    assert json.loads(capsys.readouterr().out)["segments"] == 1


def test_sandbox_command_reports_a_busy_port(run: Any, server: Sandbox) -> None:
    port = int(server.url.rsplit(":", 1)[1].split("/")[0])
    result = run("sandbox", "--port", str(port))
    assert result.code == 1
    assert "cannot listen on 127.0.0.1" in result.err
