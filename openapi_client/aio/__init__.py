"""asyncio support (``pip install "smsworks[async]"``).

Importing this package needs nothing beyond the SDK itself: httpx, which the async transport
runs on, is imported only when a transport is built, and its absence is reported then with the
command that installs it.
"""

from __future__ import annotations

from typing import List

__all__: List[str] = []
