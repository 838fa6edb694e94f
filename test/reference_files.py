"""Where the shared reference material (``shared/reference``) lives, for tests that read it.

It is never copied into the repository. It is looked for beside the checkout only
(``<checkout>/../shared/reference/``), or in the folder named by ``SMSWORKS_REFERENCE_DIR``;
never at a fixed path of some machine, nor in folders further up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import pytest

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
BESIDE = REPO.parent / "shared" / "reference"


def candidates() -> List[Path]:
    """The folders searched, in order."""
    found = []
    if os.environ.get("SMSWORKS_REFERENCE_DIR"):
        found.append(Path(os.environ["SMSWORKS_REFERENCE_DIR"]))
    found.append(BESIDE)
    return found


def find(name: str) -> Optional[Path]:
    """The reference file ``name``, or ``None`` when no copy is reachable."""
    for folder in candidates():
        if (folder / name).is_file():
            return folder / name
    return None


def require(name: str) -> Path:
    """The reference file ``name``; without it, skip locally (naming the test) and fail under CI."""
    path = find(name)
    if path is None:
        test = os.environ.get("PYTEST_CURRENT_TEST", "this test").split(" ")[0]
        message = (
            f"{test} needs the reference file {name}: put it in {BESIDE} (the shared/ folder "
            "beside the checkout) or point SMSWORKS_REFERENCE_DIR at the folder that holds it"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path
