"""openapi-generator's python client, generated from the repository's openapi.yaml.

The runner puts the cached generated package (``smsworks_generated``) on ``sys.path`` before
importing this module.
"""

from typing import Any, List, Tuple

import smsworks_generated as gen  # type: ignore[import-not-found]

from benchmarks import data


def _batchid(response: Any) -> str:
    # A ``oneOf`` (string or number) in the document becomes a wrapper class whose value is
    # in ``actual_instance``; a plain string field stays a string.
    batchid = response.batchid
    return str(getattr(batchid, "actual_instance", batchid))


class Client:
    def __init__(self, url: str) -> None:
        # debug=False keeps the generated Configuration from switching on http.client's
        # stdout tracing and DEBUG logging.
        cfg = gen.Configuration(
            host=url, api_key={"JWT": "x"}, api_key_prefix={"JWT": "JWT"}, debug=False
        )
        self.client = gen.ApiClient(cfg)
        self.api = gen.BatchMessagesApi(self.client)

    def send_batch(self, destinations: List[str]) -> str:
        message = gen.BatchMessage(
            sender=data.SENDER, destinations=destinations, content=data.CONTENT
        )
        return _batchid(self.api.batch_send_post(message))

    def send_any(self, rows: List[Tuple[str, str, str]]) -> str:
        messages = [
            gen.Message(
                sender=data.SENDER,
                destination=dest,
                content=content,
                metadata=[gen.MetaData(key="ref", value=ref)],
            )
            for dest, content, ref in rows
        ]
        return _batchid(self.api.batch_any_post(messages))

    def get_batch(self, batchid: str) -> Any:
        return self.api.batch_batchid_get(batchid)

    def close(self) -> None:
        self.client.rest_client.pool_manager.clear()
