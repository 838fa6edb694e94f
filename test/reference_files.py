"""Where the shared reference material (``shared/reference``) lives, for tests that read it.

It is never copied into the repository. The checkout normally has ``shared/`` beside it; other
places can be named with ``SMSWORKS_REFERENCE_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import pytest

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def _candidates() -> List[Path]:
    found = []
    if os.environ.get("SMSWORKS_REFERENCE_DIR"):
        found.append(Path(os.environ["SMSWORKS_REFERENCE_DIR"]))
    # shared/ beside the checkout, or beside any folder above it; then the workspace's own copy.
    found.extend(parent / "shared" / "reference" for parent in REPO.parents)
    found.append(Path("/work/shared/reference"))
    return found


def find(name: str) -> Optional[Path]:
    """The reference file ``name``, or ``None`` when no copy is reachable."""
    for folder in _candidates():
        if (folder / name).is_file():
            return folder / name
    return None


def require(name: str) -> Path:
    """The reference file ``name``; without it, skip locally and fail under CI."""
    path = find(name)
    if path is None:
        message = f"reference file {name} not found beside the checkout (shared/reference/)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path
