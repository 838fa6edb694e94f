"""The reference material is found beside the checkout or through the override, nowhere else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import reference_files


def test_only_beside_the_checkout_and_the_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMSWORKS_REFERENCE_DIR", raising=False)
    assert reference_files.candidates() == [reference_files.REPO.parent / "shared" / "reference"]
    monkeypatch.setenv("SMSWORKS_REFERENCE_DIR", str(tmp_path))
    assert reference_files.candidates()[0] == tmp_path
    (tmp_path / "only-here.md").write_text("x", encoding="utf-8")
    assert reference_files.find("only-here.md") == tmp_path / "only-here.md"


def test_a_checkout_without_shared_beside_it_skips_with_a_named_reason(tmp_path: Path) -> None:
    # A copy of the helper in a folder with no shared/ beside it, and shared/ one level higher
    # (where the old lookup, which climbed every parent, would have found it).
    (tmp_path / "shared" / "reference").mkdir(parents=True)
    (tmp_path / "shared" / "reference" / "wanted.md").write_text("x", encoding="utf-8")
    checkout = tmp_path / "outer" / "clone"
    (checkout / "test").mkdir(parents=True)
    source = Path(reference_files.__file__).read_text(encoding="utf-8")
    (checkout / "test" / "reference_files.py").write_text(source, encoding="utf-8")
    (checkout / "test" / "test_needs_it.py").write_text(
        "import reference_files\n\n"
        "def test_reads_it():\n"
        "    reference_files.require('wanted.md')\n",
        encoding="utf-8",
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(checkout / "test")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "test"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert "1 skipped" in run.stdout, run.stdout + run.stderr
    assert "test_needs_it.py::test_reads_it needs the reference file wanted.md" in run.stdout
    assert "SMSWORKS_REFERENCE_DIR" in run.stdout

    ci = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "CI": "true"},
        check=False,
    )
    assert ci.returncode == 1 and "1 failed" in ci.stdout, ci.stdout + ci.stderr
