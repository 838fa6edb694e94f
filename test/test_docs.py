"""The documentation is tested like code.

* Every ```python block of README.md and docs/*.md runs, in order, against a live
  ``openapi_client.sandbox.Sandbox`` started as ``smsworks sandbox`` starts one (one per file,
  with the command's default credits), so every example works as a reader runs it. The blocks of
  one file share a namespace, so a later block may use what an earlier one built; ``os`` is
  pre-imported and ``SMSWORKS_TOKEN`` / ``SMSWORKS_BASE_URL`` point at the sandbox. A block is
  left out only by an HTML comment on the line directly above its fence:
  ``<!-- not run: why -->``, reason required.
  A block that must not share the runner's process (one that forks, say) is marked
  ``<!-- run alone: why -->`` and runs in a fresh interpreter against the same sandbox.
* The reference pages are complete: every field of every model (Python name and wire name) is in
  its page's properties table, every public method of ``BatchMessagesApi`` is on the API page, and
  every name ``openapi_client`` exports is documented somewhere.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import logging
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import openapi_client
from openapi_client import aio, cli, models
from openapi_client._registry import API_CLASSES

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"

#: ``smsworks sandbox`` with no options: the sandbox a reader starts to try the examples.
AS_STARTED = cli.build_parser().parse_args(["sandbox"])

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")
_MARKER = re.compile(r"^\s*<!--\s*not[ -]run\b(?P<rest>.*?)-->\s*$", re.IGNORECASE)
_ALONE = re.compile(r"^\s*<!--\s*run alone\s*:\s*\S.*?-->\s*$", re.IGNORECASE)
_REASON = re.compile(r"^\s*:\s*(?P<reason>.*?)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a Markdown file."""

    path: str
    index: int  # 1-based, among the file's python blocks
    line: int  # 1-based line of the opening fence
    source: str
    marker: Optional[str]  # the text after "not run" in the comment above, if any
    alone: bool = False  # marked "run alone": runs in a fresh interpreter

    @property
    def skip_reason(self) -> Optional[str]:
        """The reason given in a well-formed ``<!-- not run: reason -->`` marker."""
        if self.marker is None:
            return None
        match = _REASON.match(self.marker)
        return match["reason"] if match and match["reason"] else None

    @property
    def id(self) -> str:
        return f"{self.path}:{self.index}"


def python_blocks(text: str, path: str = "<text>") -> List[Block]:
    """The ```python blocks of a Markdown text, in order.

    Fences of any other language are skipped whole, so a python fence shown inside a longer
    ````markdown fence is not mistaken for a block to run.
    """
    lines = text.splitlines()
    blocks: List[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        indent, fence, info = match["indent"], match["fence"], match["info"]
        body: List[str] = []
        j = i + 1
        while j < len(lines):
            close = _FENCE.match(lines[j])
            if (
                close is not None
                and not close["info"]
                and close["fence"][0] == fence[0]
                and len(close["fence"]) >= len(fence)
            ):
                break
            line = lines[j]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            j += 1
        language = info.split()[0].lower() if info.split() else ""
        if language == "python":
            marker = None
            if i > 0:
                above = _MARKER.match(lines[i - 1])
                if above is not None:
                    marker = above["rest"]
            alone = i > 0 and _ALONE.match(lines[i - 1]) is not None
            source = "\n".join(body) + "\n"
            blocks.append(Block(path, len(blocks) + 1, i + 1, source, marker, alone))
        i = j + 1
    return blocks


def doc_files() -> List[Path]:
    files = [REPO / "README.md"] if (REPO / "README.md").exists() else []
    return files + sorted(DOCS.glob("*.md"))


def _relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


ALL_BLOCKS: List[Block] = [
    block
    for path in doc_files()
    for block in python_blocks(path.read_text(encoding="utf-8"), _relative(path))
]


# -- running the blocks -------------------------------------------------------------------------


@dataclass
class FileRun:
    """The state shared by the blocks of one file: its sandbox and its namespace."""

    sandbox: Any
    namespace: Dict[str, Any] = field(default_factory=dict)
    done: int = 0  # blocks executed so far (in file order)
    failed: List[str] = field(default_factory=list)


class Runs:
    """One ``FileRun`` per documentation file, created on first use."""

    def __init__(self) -> None:
        self.files: Dict[str, FileRun] = {}

    def get(self, path: str) -> FileRun:
        run = self.files.get(path)
        if run is None:
            from openapi_client.sandbox import Sandbox

            sandbox = Sandbox(
                credits=AS_STARTED.credits,
                delivery_delay=AS_STARTED.delivery_delay,
                host=AS_STARTED.host,
                delivery_report_url=AS_STARTED.delivery_report_url,
            ).start()
            run = self.files[path] = FileRun(sandbox, {"os": __import__("os")})
        return run

    def close(self) -> None:
        for run in self.files.values():
            run.sandbox.stop()
        self.files.clear()


@pytest.fixture(scope="module")
def runs() -> Iterator[Runs]:
    registry = Runs()
    yield registry
    registry.close()


@contextlib.contextmanager
def _isolated_globals() -> Iterator[None]:
    """Undo what a block may change process-wide: default client and config, log handlers."""
    package_logger = logging.getLogger("openapi_client")
    handlers, level = list(package_logger.handlers), package_logger.level
    default_config = openapi_client.Configuration._default
    default_client = openapi_client.ApiClient._default
    default_async_client = aio.ApiClient._default
    try:
        yield
    finally:
        for handler in package_logger.handlers[:]:
            if handler not in handlers:
                package_logger.removeHandler(handler)
        package_logger.setLevel(level)
        openapi_client.Configuration._default = default_config
        openapi_client.ApiClient._default = default_client
        aio.ApiClient._default = default_async_client


def _execute(block: Block, namespace: Dict[str, Any]) -> Tuple[str, Optional[str]]:
    """Run ``block`` in ``namespace``; (captured output, formatted traceback or None)."""
    filename = block.id
    linecache.cache[filename] = (
        len(block.source),
        None,
        block.source.splitlines(keepends=True),
        filename,
    )
    output = io.StringIO()
    error: Optional[str] = None
    with contextlib.ExitStack() as stack:
        stack.enter_context(_isolated_globals())
        stack.enter_context(contextlib.redirect_stdout(output))
        stack.enter_context(contextlib.redirect_stderr(output))
        try:
            exec(compile(block.source, filename, "exec"), namespace)
        except BaseException as exc:  # report everything, including SystemExit
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return output.getvalue(), error


def _execute_alone(block: Block) -> Tuple[str, Optional[str]]:
    """Run ``block`` in a fresh interpreter (environment already pointing at the sandbox)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", block.source],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = done.stdout + done.stderr
    return output, None if done.returncode == 0 else f"exit status {done.returncode}"


def _numbered(source: str) -> str:
    return "\n".join(f"{n:4d}  {line}" for n, line in enumerate(source.splitlines(), 1))


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=[block.id for block in ALL_BLOCKS])
def test_doc_block_runs(block: Block, runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    if block.marker is not None:
        if block.skip_reason is None:
            pytest.fail(
                f"{block.id} (line {block.line}): a 'not run' marker needs a reason, "
                "as in <!-- not run: why this block cannot run here -->",
                pytrace=False,
            )
        pytest.skip(f"not run: {block.skip_reason}")

    run = runs.get(block.path)
    sandbox = run.sandbox
    monkeypatch.setenv("SMSWORKS_TOKEN", sandbox.token)
    monkeypatch.setenv("SMSWORKS_BASE_URL", sandbox.url)

    # Blocks build on the ones above them: when this one is run alone (-k), replay those first.
    earlier = [b for b in ALL_BLOCKS if b.path == block.path and b.index < block.index]
    for previous in earlier[run.done :]:
        if previous.marker is None:
            _, problem = _execute(previous, run.namespace)
            if problem is not None:
                run.failed.append(previous.id)
        run.done += 1

    if block.alone:
        output, problem = _execute_alone(block)
    else:
        output, problem = _execute(block, run.namespace)
    run.done = max(run.done, block.index)
    if problem is not None:
        run.failed.append(block.id)
        note = (
            f"\n(earlier blocks that failed: {', '.join(run.failed[:-1])})"
            if run.failed[:-1]
            else ""
        )
        pytest.fail(
            f"{block.id} (line {block.line} of {block.path}) raised:\n"
            f"--- source ---\n{_numbered(block.source)}\n"
            f"--- output ---\n{output}\n"
            f"--- traceback ---\n{problem}{note}",
            pytrace=False,
        )
    assert sandbox.token not in output, f"{block.id} printed or logged the token"


def test_examples_run_against_the_sandbox_a_reader_starts() -> None:
    # The README's volume example alone needs 12,001 credits.
    assert AS_STARTED.credits >= 12_001
    assert AS_STARTED.credits == cli.SANDBOX_CREDITS


# -- the block extractor itself -----------------------------------------------------------------


def test_python_blocks_extracts_runs_and_markers() -> None:
    text = "\n".join(
        [
            "# Title",
            "```python",
            "a = 1",
            "```",
            "````markdown",
            "```python",
            "not_a_block = True",
            "```",
            "````",
            "<!-- not run: needs a real phone -->",
            "```python",
            "b = 2",
            "```",
            "```console",
            "$ smsworks send",
            "```",
            "1. In a list:",
            "",
            "   ```python",
            "   c = 3",
            "   ```",
            "<!-- not run -->",
            "```Python title='x'",
            "d = 4",
            "```",
        ]
    )
    blocks = python_blocks(text, "x.md")
    assert [b.source for b in blocks] == ["a = 1\n", "b = 2\n", "c = 3\n", "d = 4\n"]
    assert [b.index for b in blocks] == [1, 2, 3, 4]
    assert [b.line for b in blocks] == [2, 11, 19, 23]
    assert [b.skip_reason for b in blocks] == [None, "needs a real phone", None, None]
    assert blocks[3].marker is not None  # a marker without a reason: the runner fails it
    assert blocks[1].id == "x.md:2"


def test_execute_captures_output_and_names_the_failing_line() -> None:
    block = Block("docs/x.md", 2, 10, "print('hello')\nshared = 1\nraise KeyError('boom')\n", None)
    namespace: Dict[str, Any] = {}
    output, problem = _execute(block, namespace)
    # ("in", not "==": a sandbox thread left over from an earlier block may write to stderr.)
    assert "hello\n" in output
    assert namespace["shared"] == 1  # later blocks of the file see it
    assert problem is not None
    assert 'File "docs/x.md:2", line 3' in problem
    assert "raise KeyError('boom')" in problem and "KeyError: 'boom'" in problem


def test_not_run_markers_have_reasons_and_sit_on_python_blocks() -> None:
    problems = []
    for path in doc_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            match = _MARKER.match(line)
            if match is None:
                continue
            reason = _REASON.match(match["rest"])
            if reason is None or not reason["reason"]:
                problems.append(f"{_relative(path)}:{number}: marker without a reason")
            fence = _FENCE.match(lines[number]) if number < len(lines) else None
            if fence is None or not fence["info"].lower().startswith("python"):
                problems.append(
                    f"{_relative(path)}:{number}: marker not directly above a ```python fence"
                )
    assert problems == []


# -- completeness of the reference pages --------------------------------------------------------


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


def _section(text: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next heading of the same or higher level."""
    match = re.search(
        rf"^##\s+{re.escape(heading)}\s*$(?P<body>.*?)(?=^#{{1,2}}\s|\Z)", text, re.M | re.S
    )
    return match["body"] if match else ""


@pytest.mark.parametrize("name", models.__all__)
def test_model_page_lists_every_field(name: str) -> None:
    page = DOCS / f"{name}.md"
    assert page.exists(), f"docs/{name}.md is missing"
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# {name}\n"), f"docs/{name}.md must start with '# {name}'"
    table = _section(text, "Properties")
    assert table, f"docs/{name}.md has no '## Properties' section"
    model = getattr(models, name)
    missing = []
    for python_name, info in model.model_fields.items():
        for shown in {python_name, info.alias or python_name}:
            if not _mentions(table, shown):
                missing.append(shown)
    assert missing == [], f"docs/{name}.md does not list: {missing}"
    assert re.search(r"^## Example\s*$(?:\n.*)*?\n```python$", text, re.M), (
        f"docs/{name}.md needs a '## Example' section with a python block"
    )


def test_api_page_lists_every_public_method() -> None:
    text = (DOCS / "BatchMessagesApi.md").read_text(encoding="utf-8")
    methods = [
        name
        for name in dir(openapi_client.BatchMessagesApi)
        if not name.startswith("_") and callable(getattr(openapi_client.BatchMessagesApi, name))
    ]
    assert "batch_send_many" in methods and "batch_any_post_with_http_info" in methods
    assert [name for name in methods if not _mentions(text, name)] == []


def test_every_export_is_documented() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in doc_files())
    assert [name for name in openapi_client.__all__ if not _mentions(text, name)] == []


# -- the asyncio page ---------------------------------------------------------------------------

ASYNC_BLOCKS = [block for block in ALL_BLOCKS if block.path == "docs/Async.md"]


def test_the_async_page_runs_its_examples_with_asyncio_run() -> None:
    # The examples are whole scripts, run by test_doc_block_runs like every other block.
    assert ASYNC_BLOCKS, "docs/Async.md has no python blocks"
    for block in ASYNC_BLOCKS:
        assert block.marker is None, f"{block.id} is not run"
        assert "asyncio.run(" in block.source, f"{block.id} does not run its coroutine"


@pytest.mark.parametrize("api", list(API_CLASSES))
def test_the_async_page_awaits_every_api_class(api: str) -> None:
    used = [b for b in ASYNC_BLOCKS if f"openapi_client.{api}(" in b.source]
    assert used, f"no example of docs/Async.md uses aio.{api}"
    assert any("await " in b.source for b in used)
