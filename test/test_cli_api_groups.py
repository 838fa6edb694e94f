"""``smsworks message|otp|credits``: single messages, searches, one-time passcodes and the balance.

Each command runs as a real subprocess against a sandbox (a shared one whose state the test can
read, and the throwaway ``--sandbox``), and in-process through ``cli.main`` for the same paths.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from test_cli_as_used import TOKEN, Run, _env, one_error_line, smsworks

from openapi_client import cli
from openapi_client.sandbox import Sandbox

UK = "447700900001"
#: The sandbox's number whose texts end UNDELIVERABLE (refunded).
UNDELIVERABLE = "447700900900"
LATER = "2099-12-01T09:00:00Z"


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    with Sandbox(credits=1_000_000, token=TOKEN) as running:
        yield running


@pytest.fixture
def flags(server: Sandbox) -> List[str]:
    return ["--base-url", server.url, "--token", TOKEN]


def fields(run: Run) -> Dict[str, str]:
    """``Label  value`` lines of a human answer."""
    return dict(line.split("  ", 1) for line in run.out.splitlines() if "  " in line)


def as_json(run: Run) -> Any:
    assert run.code == 0, run
    return json.loads(run.out)


def number(tail: int) -> str:
    """A number of the sandbox's ordinary range, unique to one test."""
    return f"4477009{tail:05d}"


# -- help ------------------------------------------------------------------------------------


def _commands(parser: argparse.ArgumentParser, words: Tuple[str, ...] = ()) -> Iterator[Any]:
    """Every (words, parser) of the command tree, the top level included."""
    yield words, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, (*words, name))


COMMANDS = [words for words, _ in _commands(cli.build_parser())]


def test_the_whole_api_has_commands() -> None:
    for words in [
        ("message", "send"), ("message", "schedule"), ("message", "get"), ("message", "delete"),
        ("message", "cancel"), ("message", "search"), ("message", "inbox"),
        ("message", "failed"), ("otp", "send"), ("otp", "verify"), ("otp", "status"),
        ("credits",),
    ]:  # fmt: skip
        assert words in COMMANDS


@pytest.mark.parametrize("words", COMMANDS, ids=lambda words: " ".join(words) or "smsworks")
def test_every_argument_of_every_command_is_explained(words: Tuple[str, ...]) -> None:
    parser = dict(_commands(cli.build_parser()))[words]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            assert all(choice.help for choice in action._choices_actions), words
            continue
        assert action.help and action.help != argparse.SUPPRESS, (words, action.dest)


@pytest.mark.parametrize("words", COMMANDS, ids=lambda words: " ".join(words) or "smsworks")
def test_every_help_loads_neither_pydantic_nor_urllib3(words: Tuple[str, ...]) -> None:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "openapi_client", *words, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(" ".join(["usage: smsworks", *words]))
    imported = {line.split("|")[-1].strip().split(".")[0] for line in completed.stderr.splitlines()}
    assert "openapi_client" in imported  # the import log is really there
    assert "pydantic" not in imported
    assert "urllib3" not in imported


# -- message send / get / delete -------------------------------------------------------------


def test_message_send_get_delete(server: Sandbox, flags: List[str]) -> None:
    to = number(11)
    sent = smsworks(*flags, "message", "send", "--sender", "Acme", "--to", to, "--content",
                    "Hello", "--tag", "t-send", "--metadata", "order=42")  # fmt: skip
    assert sent.code == 0, sent
    shown = fields(sent)
    assert shown["Status"].strip() == "SENT"
    assert shown["Credits used"].strip() == "1"
    messageid = shown["Message"].strip()

    record = as_json(smsworks(*flags, "--json", "message", "get", messageid))
    assert record["destination"] == to
    assert record["tag"] == "t-send"
    assert record["metadata"] == [{"key": "order", "value": "42"}]
    table = smsworks(*flags, "message", "get", messageid)
    assert table.out.startswith("MESSAGEID")
    assert "1 message(s): 1 DELIVERED" in table.out

    deleted = as_json(smsworks(*flags, "--json", "message", "delete", messageid))
    assert deleted == {"messageid": messageid, "status": "DELETED"}
    gone = smsworks(*flags, "message", "get", messageid)
    assert gone.code == 1, gone
    assert "HTTP 404" in one_error_line(gone)


def test_message_send_flash_goes_to_the_flash_endpoint(server: Sandbox, flags: List[str]) -> None:
    before = len(server.requests)
    sent = smsworks(*flags, "--json", "message", "send", "--flash", "--sender", "Acme",
                    "--to", number(12), "--content", "Now")  # fmt: skip
    assert as_json(sent)["status"] == "SENT"
    assert [(r.method, r.path) for r in server.requests[before:]] == [("POST", "/v1/message/flash")]


def test_message_schedule_and_cancel(server: Sandbox, flags: List[str]) -> None:
    words = ["message", "schedule", "--at", LATER, "--sender", "Acme", "--to", number(13)]
    scheduled = as_json(smsworks(*flags, "--json", *words, "--content", "Later"))
    assert len(scheduled) == 1
    assert scheduled[0]["status"] == "SCHEDULED"
    assert scheduled[0]["schedule"] == "2099-12-01T09:00:00+00:00"
    messageid = scheduled[0]["messageid"]

    cancelled = smsworks(*flags, "message", "cancel", messageid)
    assert cancelled.code == 0, cancelled
    assert fields(cancelled)["Status"].strip() == "CANCELLED"
    again = smsworks(*flags, "message", "cancel", messageid)
    assert again.code == 1, again
    assert "HTTP 400" in one_error_line(again)


# -- searches --------------------------------------------------------------------------------


def test_message_search_filters_and_pages(server: Sandbox, flags: List[str]) -> None:
    to = number(14)
    ids = []
    for text in ("one", "two", "three"):
        sent = smsworks(*flags, "--json", "message", "send", "--sender", "Acme", "--to", to,
                        "--content", text, "--metadata", "run=search")  # fmt: skip
        ids.append(as_json(sent)["messageid"])
    found = as_json(smsworks(*flags, "--json", "message", "search", "--to", to))
    assert [item["messageid"] for item in found] == ids[::-1]  # newest first
    page = as_json(smsworks(*flags, "--json", "message", "search", "--destination", to,
                            "--limit", "1", "--skip", "1"))  # fmt: skip
    assert [item["messageid"] for item in page] == [ids[1]]
    tagged = as_json(smsworks(*flags, "--json", "message", "search", "--metadata", "run=search",
                              "--status", "delivered"))  # fmt: skip
    assert sorted(item["messageid"] for item in tagged) == sorted(ids)
    none = smsworks(*flags, "message", "search", "--to", to, "--from-date", LATER)
    assert none.code == 0, none
    assert none.out == "0 message(s)\n"


def test_message_failed_lists_undeliverable_texts(server: Sandbox, flags: List[str]) -> None:
    sent = as_json(smsworks(*flags, "--json", "message", "send", "--sender", "Acme",
                            "--to", UNDELIVERABLE, "--content", "Lost"))  # fmt: skip
    failed = smsworks(*flags, "message", "failed", "--to", UNDELIVERABLE)
    assert failed.code == 0, failed
    assert sent["messageid"] in failed.out
    assert "UNDELIVERABLE" in failed.out
    assert "Handset error" in failed.out


def test_message_inbox_shows_unread_replies(server: Sandbox, flags: List[str]) -> None:
    replier = number(15)
    reply = server.receive(replier, "STOP sending offers")
    inbox = as_json(smsworks(*flags, "--json", "message", "inbox", "--sender", replier))
    assert [item["messageid"] for item in inbox] == [reply["messageid"]]
    assert inbox[0]["keyword"] == "STOP"
    assert smsworks(*flags, "message", "get", reply["messageid"]).code == 0  # reads it
    assert as_json(smsworks(*flags, "--json", "message", "inbox", "--sender", replier)) == []
    read = as_json(smsworks(*flags, "--json", "message", "inbox", "--sender", replier, "--read"))
    assert [item["messageid"] for item in read] == [reply["messageid"]]


# -- one-time passcodes ----------------------------------------------------------------------


def test_otp_send_status_verify(server: Sandbox, flags: List[str]) -> None:
    to = number(16)
    sent = smsworks(*flags, "otp", "send", "--sender", "Acme", "--to", to, "--length", "8",
                    "--validity", "600", "--metadata", "user=ann")  # fmt: skip
    assert sent.code == 0, sent
    messageid = fields(sent)["Message"].strip()
    code = server.last_otp(to)
    assert len(code) == 8

    status = smsworks(*flags, "otp", "status", messageid)
    assert status.code == 0, status
    assert fields(status)["Status"].strip() == "PENDING"
    assert code not in status.out  # the table leaves the passcode out

    verified = smsworks(*flags, "--json", "otp", "verify", code)
    record = as_json(verified)
    assert record["status"] == "VERIFIED"
    assert record["metadata"] == {"user": "ann"}
    used = smsworks(*flags, "otp", "verify", code)
    assert used.code == 1, used
    assert "errorCode 1090" in one_error_line(used)


def test_otp_verify_of_an_unknown_or_late_passcode_exits_1(
    server: Sandbox, flags: List[str]
) -> None:
    unknown = smsworks(*flags, "otp", "verify", "00000000000000000")
    assert unknown.code == 1, unknown
    assert "HTTP 404" in one_error_line(unknown)

    to = number(17)
    assert smsworks(*flags, "otp", "send", "--sender", "Acme", "--to", to,
                    "--validity", "1").code == 0  # fmt: skip
    server.advance(5)
    late = smsworks(*flags, "otp", "verify", server.last_otp(to))
    assert late.code == 1, late
    assert "EXPIRED" in fields(late)["Status"]
    assert "not accepted: status EXPIRED" in one_error_line(late)


# -- credits ---------------------------------------------------------------------------------


def test_credits_shows_the_balance(server: Sandbox, flags: List[str]) -> None:
    server.credits = 1234.5
    try:
        shown = smsworks(*flags, "credits")
        assert shown.code == 0, shown
        assert shown.out == "Credits  1234.5\n"
        assert as_json(smsworks(*flags, "--json", "credits")) == {"credits": 1234.5}
    finally:
        server.credits = 1_000_000


# -- against a throwaway --sandbox -----------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "code"),
    [
        (["message", "send", "--sender", "Acme", "--to", UK, "--content", "Hi"], 0),
        (["message", "send", "--flash", "--sender", "Acme", "--to", UK, "--content", "Hi"], 0),
        (["message", "schedule", "--at", LATER, "--sender", "A", "--to", UK, "--content", "x"], 0),
        (["message", "search", "--status", "DELIVERED", "--limit", "10"], 0),
        (["message", "inbox"], 0),
        (["message", "failed"], 0),
        (["message", "get", "1"], 1),
        (["message", "delete", "1"], 1),
        (["message", "cancel", "1"], 1),
        (["otp", "send", "--sender", "Acme", "--to", UK], 0),
        (["otp", "verify", "123456"], 1),
        (["otp", "status", "1"], 1),
        (["credits"], 0),
    ],
    ids=lambda value: " ".join(value[:2]) if isinstance(value, list) else str(value),
)
def test_every_new_command_against_a_throwaway_sandbox(words: List[str], code: int) -> None:
    for mode in ([], ["--json"]):
        run = smsworks("--sandbox", *mode, *words)
        assert run.code == code, run
        if code:
            assert one_error_line(run)
        elif mode:
            json.loads(run.out)
        else:
            assert run.out.strip(), run


# -- bad input: one line in the words of the command line, nothing sent -----------------------


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["message", "send", "--sender", "Acme", "--to", "12", "--content", "x"], "--to"),
        (["message", "send", "--sender", "Acme Ltd", "--to", UK, "--content", "x"], "--sender"),
        (["message", "send", "--sender", "A", "--to", UK, "--content", "x", "--validity", "0"],
         "--validity"),
        (["message", "send", "--sender", "A", "--to", UK, "--content", "x" * 1281], "--content"),
        (["message", "schedule", "--at", "tomorrow", "--sender", "A", "--to", UK,
          "--content", "x"], "--at"),
        (["message", "search", "--limit", "0"], "--limit"),
        (["message", "search", "--limit", "1001"], "--limit"),
        (["message", "search", "--from-date", "2026-01-01T00:00:00"], "--from-date"),
        (["message", "search", "--to-date", "soon"], "--to-date"),
        (["message", "search", "--metadata", "novalue"], "--metadata"),
        (["message", "inbox", "--read", "--unread"], "--unread"),
        (["otp", "send", "--sender", "Acme", "--to", UK, "--template", "no code"], "--template"),
        (["otp", "send", "--sender", "Acme", "--to", UK, "--length", "0"], "--length"),
        (["otp", "send", "--sender", "Acme", "--to", "447"], "--to"),
        (["otp", "verify", " "], "passcode"),
    ],
)  # fmt: skip
def test_bad_input_names_the_option_and_sends_nothing(
    server: Sandbox, flags: List[str], words: List[str], said: str
) -> None:
    before = len(server.requests)
    run = smsworks(*flags, *words)
    assert run.code == 2, run
    line = one_error_line(run)
    assert said in line, run
    for sdk_word in ("sms_message", "otp.", "query.", "var_from", "Configuration("):
        assert sdk_word not in line, run
    assert len(server.requests) == before


def test_no_token_is_a_usage_error_naming_the_ways_to_give_one() -> None:
    run = smsworks("credits")
    assert run.code == 2, run
    assert "no token" in one_error_line(run)


# -- in-process: the same paths, quicker ---------------------------------------------------------


@pytest.fixture
def main(capsys: pytest.CaptureFixture[str], flags: List[str]) -> Any:
    def invoke(*args: str) -> Tuple[int, str, str]:
        code = cli.main([*flags, *args])
        captured = capsys.readouterr()
        assert TOKEN not in captured.out + captured.err
        return code, captured.out, captured.err

    return invoke


def test_in_process_messages(server: Sandbox, main: Any) -> None:
    to = number(21)
    code, out, err = main("--json", "message", "send", "--sender", "Acme", "--to", to,
                          "--content", "Hi", "--ttl", "5", "--validity", "60")  # fmt: skip
    assert code == 0, err
    messageid = json.loads(out)["messageid"]
    code, out, _ = main("message", "search", "--to", to, "--credits", "1")
    assert code == 0
    assert messageid in out
    assert "1 message(s): 1 DELIVERED" in out
    code, out, _ = main("--json", "message", "get", messageid)
    assert json.loads(out)["messageid"] == messageid
    code, out, _ = main("message", "delete", messageid)
    assert code == 0
    assert "DELETED" in out
    code, out, err = main("--json", "message", "schedule", "--at", LATER, "--sender", "Acme",
                          "--to", to, "--content", "Later")  # fmt: skip
    assert code == 0, err
    code, out, _ = main("--json", "message", "cancel", json.loads(out)[0]["messageid"])
    assert json.loads(out)["status"] == "CANCELLED"
    code, out, _ = main("--json", "message", "failed", "--to", to)
    assert (code, json.loads(out)) == (0, [])
    reply = server.receive(number(22), "Yes please")
    code, out, _ = main("message", "inbox", "--sender", number(22), "--unread")
    assert reply["messageid"] in out
    code, _, err = main("message", "search", "--skip", "-1")
    assert code == 2
    assert "--skip" in err


def test_in_process_otp_and_credits(server: Sandbox, main: Any) -> None:
    to = number(23)
    code, out, err = main("--json", "otp", "send", "--sender", "Acme", "--to", to,
                          "--template", "Code: {{passcode}}", "--passcode", "4321")  # fmt: skip
    assert code == 0, err
    messageid = json.loads(out)["messageid"]
    assert server.last_otp(to) == "4321"
    code, out, _ = main("otp", "verify", "4321")
    assert code == 0
    assert "VERIFIED" in out
    code, out, _ = main("--json", "otp", "status", messageid)
    assert json.loads(out)["status"] == "VERIFIED"
    code, out, _ = main("credits")
    assert code == 0
    assert out == f"Credits  {server.credits:g}\n"


# -- the documentation -----------------------------------------------------------------------


CLI_DOC = Path(__file__).resolve().parents[1] / "docs" / "CLI.md"


def _documented_commands() -> List[List[str]]:
    """The words of every ``$ smsworks ...`` line of docs/CLI.md (continuations joined)."""
    commands, pending = [], ""
    for line in CLI_DOC.read_text(encoding="utf-8").splitlines():
        if pending or line.startswith("$ smsworks "):
            pending += line.rstrip("\\").strip() + " "
            if not line.endswith("\\"):
                commands.append(shlex.split(pending)[2:])
                pending = ""
    return commands


def test_every_command_has_a_section_and_an_example_in_the_docs() -> None:
    text = CLI_DOC.read_text(encoding="utf-8")
    examples = [" ".join(words) for words in _documented_commands()]
    for words, parser in _commands(cli.build_parser()):
        if not words or parser._subparsers is not None:
            continue  # only commands that do something
        assert f"[`{' '.join(words)}`]" in text, words
        assert any(" ".join(words) in example for example in examples), words


@pytest.mark.parametrize(
    "words", [w for w in _documented_commands() if "--help" not in w], ids=" ".join
)
def test_every_documented_command_line_parses(words: List[str]) -> None:
    try:
        args = cli.build_parser().parse_args(words)
    except SystemExit:
        pytest.fail(f"docs/CLI.md shows a command smsworks refuses: {' '.join(words)}")
    assert callable(args.handler)


@pytest.mark.parametrize(
    ("path", "said"),
    [
        (["sms_message", "destination"], "--to: "),
        (["sms_message", "metadata"], "--metadata: "),
        (["sms_message", "schedule"], "--at: "),
        (["otp", "destination"], "--to: "),
        (["otp", "template"], "--template: "),
        (["otp", "validity"], "--validity: "),
        (["passcode", "passcode"], "passcode: "),
        (["query", "limit"], "--limit: "),
        (["query", "from"], "--from-date: "),
        (["query", "to"], "--to-date: "),
        (["query", "destination"], "--to: "),
        (["query", "unread"], "--unread: "),
    ],
)
def test_sdk_field_paths_of_the_new_bodies_are_said_as_options(path: List[Any], said: str) -> None:
    from openapi_client import ApiValueError
    from openapi_client.cli._errors import in_cli_words

    error = ApiValueError("is wrong", path)
    assert str(error).startswith(".".join(path))  # what the SDK says
    assert in_cli_words(error, argparse.Namespace()) == f"{said}is wrong"
