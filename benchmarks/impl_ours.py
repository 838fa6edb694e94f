"""openapi_client, used through its public surface exactly as the README shows."""

from typing import Any, List, Tuple

import openapi_client
from benchmarks import Unavailable, data


class Client:
    def __init__(self, url: str) -> None:
        cfg = openapi_client.Configuration(host=url, api_key={"JWT": data.AUTH_HEADER})
        self.client = openapi_client.ApiClient(cfg)
        self.api = openapi_client.BatchMessagesApi(self.client)

    def send_batch(self, destinations: List[str]) -> str:
        message = openapi_client.BatchMessage(
            sender=data.SENDER, destinations=destinations, content=data.CONTENT
        )
        return str(self.api.batch_send_post(message).batchid)

    def send_any(self, rows: List[Tuple[str, str, str]]) -> str:
        messages = [
            openapi_client.Message(
                sender=data.SENDER,
                destination=dest,
                content=content,
                metadata=[openapi_client.MetaData(key="ref", value=ref)],
            )
            for dest, content, ref in rows
        ]
        return str(self.api.batch_any_post(messages).batchid)

    def get_batch(self, batchid: str) -> Any:
        return self.api.batch_batchid_get(batchid)

    def close(self) -> None:
        self.client.close()

    def send_chunked(self, destinations: List[str], chunk_size: int, in_flight: int) -> int:
        import inspect  # here, so that the other workloads do not pay for it

        # ``max_in_flight`` sends that many chunks at once from a thread pool.
        if "max_in_flight" not in inspect.signature(self.api.batch_send_many).parameters:
            raise Unavailable("this openapi_client's batch_send_many takes no max_in_flight")
        message = openapi_client.BatchMessage(
            sender=data.SENDER, destinations=destinations, content=data.CONTENT
        )
        send_many: Any = self.api.batch_send_many  # typed loosely: see the check above
        report = send_many(message, chunk_size, max_in_flight=in_flight)
        return sum(len(chunk) for chunk in report.chunks)
