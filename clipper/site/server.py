"""`clipper serve`: preview the published site over HTTP, with byte ranges.

Browsers need byte ranges (`206 Partial Content`) to seek in a video (Safari refuses to play
without them), and `<track>` files do not load from `file://` in Chromium, so a preview must
be a real HTTP server. Python's `http.server` has no ranges; Starlette's `StaticFiles`
(>= 0.39) answers single, suffix, open-ended and multiple ranges and 416 for unsatisfiable
ones, which `tests/test_server.py` checks case by case.
"""

from __future__ import annotations

import mimetypes
import socket
from collections.abc import Callable
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from clipper.errors import ClipperError
from clipper.i18n import _

# The OS media-type table (/etc/mime.types) differs between systems and often lacks .vtt;
# browsers ignore caption tracks served with the wrong type.
for _type, _suffix in (
    ("text/vtt", ".vtt"),
    ("video/mp4", ".mp4"),
    ("video/mp4", ".m4v"),
    ("video/webm", ".webm"),
    ("audio/mp4", ".m4a"),
    ("image/jpeg", ".jpg"),
    ("image/webp", ".webp"),
    ("text/css", ".css"),
    ("text/javascript", ".js"),
    ("image/svg+xml", ".svg"),
):
    mimetypes.add_type(_type, _suffix)


def make_app(site_dir: Path) -> ASGIApp:
    """An ASGI app serving `site_dir` as files; a folder URL serves its `index.html`."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise ClipperError(
            _("there is no published site to serve"),
            path=site_dir,
            hint=_("run `clipper publish` first, or point to the site folder"),
        )
    # Wrapped in Starlette (not StaticFiles alone) so uvicorn's lifespan events are answered.
    return Starlette(routes=[Mount("/", app=StaticFiles(directory=site_dir, html=True))])


def _check_port(host: str, port: int) -> None:
    """Fail with a clear message instead of uvicorn's log line and `sys.exit(1)`."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except socket.gaierror as exc:
        raise ClipperError(
            _("cannot resolve the host {host!r}: {strerror}").format(
                host=host, strerror=exc.strerror
            )
        ) from exc
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            raise ClipperError(
                _("cannot listen on {host}:{port}: {strerror}").format(
                    host=host, port=port, strerror=exc.strerror
                ),
                hint=_("another program uses this port; choose another one with --port"),
            ) from exc


def serve(
    site_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the site until interrupted (Ctrl+C). Blocks; uvicorn logs the address.

    `ready` gets the site's URL once the folder and the port are known to be usable.
    """
    if not 1 <= port <= 65535:
        raise ClipperError(
            _("--port {port} is not a port number").format(port=port),
            hint=_("choose one from 1 to 65535, e.g. --port 8000"),
        )
    app = make_app(site_dir)
    _check_port(host, port)
    if ready:
        ready(f"http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
