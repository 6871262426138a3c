"""Browser tests: Debian's Chromium driven by Playwright, against `clipper serve`.

Never a downloaded browser: `make test` installs the `chromium` package
(scripts/ensure-chromium) and Playwright is pointed at /usr/bin/chromium.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from clipper.site.server import make_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("chromium is missing: run `make test` (it installs Debian's chromium)")
    return path


@contextmanager
def served(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` like `clipper serve` does, on a free loopback port; yields the URL.

    The socket is bound (to port 0) here and handed to the server, so no other program can
    take the port between choosing and using it.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(make_app(site_dir), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 300  # a loaded machine may take long; a broken one fails
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        sock.close()
