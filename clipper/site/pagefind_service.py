"""Talking to Pagefind's indexing service fast enough for transcripts.

Pagefind's Python client (`pagefind.service.PagefindService`, version pinned in
pyproject.toml) waits 0.1 s before reading each answer of the service, so it adds at most
ten records a second: one two-hour meeting (900 transcript lines) took 90 s, a 200-event
archive hours. This subclass reads the answers as they arrive (measured: thousands of
records a second), and when the service dies it fails every pending request instead of
leaving the publish waiting forever.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService


class FastPagefindService(PagefindService):
    stopped: str | None = None  # why the service's answers ended, once they have

    async def send(self, payload: Any) -> Any:
        if self.stopped is not None:  # checked and registered with no await between
            raise RuntimeError(self.stopped)
        return await super().send(payload)

    async def _wait_for_responses(self) -> None:
        assert self._backend.stdout is not None
        try:
            while True:
                output = await self._backend.stdout.readuntil(b",")
                answer = json.loads(base64.b64decode(output[:-1]))
                if not isinstance(answer, dict):
                    continue
                self._resolve(answer)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            self.stopped = f"the Pagefind service stopped ({exc})"
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(RuntimeError(self.stopped))
                    future.exception()  # its sender may have failed first (a broken pipe)

    def _resolve(self, answer: dict[str, Any]) -> None:
        future = self._responses.get(answer.get("message_id", -1))
        if future is None or future.done():
            return
        payload = answer.get("payload") or {}
        if payload.get("type") == "Error":
            future.set_exception(RuntimeError(str(payload.get("message"))))
        else:
            future.set_result(payload)  # type: ignore[arg-type]  # a dict, as Pagefind's own


async def open_index(config: IndexConfig) -> tuple[PagefindService, PagefindIndex]:
    """A started service and a new index in it; close the service when done."""
    service = await FastPagefindService().launch()
    return service, await service.create_index(config)
