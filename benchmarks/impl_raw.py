"""The floor: urllib3 and json, no models, written the way a competent user would.

One ``PoolManager`` reused across calls, bodies encoded with ``json.dumps(...).encode()``,
responses decoded with ``json.loads(resp.data)``, and the status checked on every call.
Anything built on urllib3 has to do at least this much work.
"""

import json
from typing import Any, Dict, List, Tuple

import urllib3

from benchmarks import data


class Client:
    def __init__(self, url: str) -> None:
        self.base = url
        self.pool = urllib3.PoolManager()
        self.headers = {
            "Authorization": data.AUTH_HEADER,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

    def _call(self, method: str, path: str, payload: Any = None) -> Any:
        body = None if payload is None else json.dumps(payload).encode()
        resp = self.pool.request(method, self.base + path, body=body, headers=self.headers)
        if resp.status >= 300:
            raise RuntimeError(f"HTTP {resp.status}: {resp.data[:200]!r}")
        return json.loads(resp.data)

    def send_batch(self, destinations: List[str]) -> str:
        payload = {"sender": data.SENDER, "destinations": destinations, "content": data.CONTENT}
        result: Dict[str, Any] = self._call("POST", "/batch/send", payload)
        return str(result["batchid"])

    def send_any(self, rows: List[Tuple[str, str, str]]) -> str:
        messages = [
            {
                "sender": data.SENDER,
                "destination": dest,
                "content": content,
                "metadata": [{"key": "ref", "value": ref}],
            }
            for dest, content, ref in rows
        ]
        result: Dict[str, Any] = self._call("POST", "/batch/any", messages)
        return str(result["batchid"])

    def get_batch(self, batchid: str) -> List[Dict[str, Any]]:
        records: List[Dict[str, Any]] = self._call("GET", "/batch/" + batchid)
        return records

    def close(self) -> None:
        self.pool.clear()
