"""The server set-up publish writes, as a real web server sends it: Debian's nginx runs the
`nginx-clipper.conf` snippet from a published site (on a free loopback port, in the
foreground, stopped by the test). Apache and IIS are not on these machines; their files
are checked as text and XML in tests/test_embed.py.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_embed import SETTINGS
from test_publish import make_project

from clipper.site.build import publish
from clipper.site.environment import CSP

pytestmark = pytest.mark.slow
EVENT = "/events/foerderung"


def nginx_path() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not found:
        raise RuntimeError("nginx is missing: run `make test` (it installs Debian's nginx-light)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, h264_source: Path) -> Iterator[int]:
    root = tmp_path_factory.mktemp("nginx")
    make_project(root / "p", h264_source)
    (root / "p" / "clipper.toml").write_text(SETTINGS, encoding="utf-8")
    site = publish(root / "p").out_dir
    port = free_port()
    temp = " ".join(
        f"{name}_temp_path {root / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (root / "nginx.conf").write_text(
        f"""daemon off;
master_process off;
pid {root / "nginx.pid"};
error_log {root / "error.log"};
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    {temp}
    server {{
        listen 127.0.0.1:{port};
        root {site};
        include {site / "nginx-clipper.conf"};
    }}
}}
""",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [nginx_path(), "-p", str(root), "-c", str(root / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        if proc.stderr is not None:
            proc.stderr.close()


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def versioned(port: int, name: str) -> str:
    page = get(port, f"{EVENT}/index.html")[2].decode("utf-8")
    start = page.index(f'"{name}?v=') + 1
    end = page.index('"', start)
    return f"{EVENT}/{page[start:end]}"


def test_pages_say_who_may_frame_them(server: int) -> None:
    status, headers, _ = get(server, f"{EVENT}/index.html")
    assert status == 200
    assert headers["content-security-policy"] == f"{CSP}; frame-ancestors 'self'"
    assert headers["cache-control"] == "no-cache"
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, _ = get(server, f"{EVENT}/embed/zusammenfassung.html")
    assert status == 200
    assert headers["content-security-policy"] == f"{CSP}; frame-ancestors *"
    assert get(server, f"{EVENT}/")[0] == 200  # the address the pages link to


def test_captions_are_text_vtt_and_versioned_media_are_cached(server: int) -> None:
    path = versioned(server, "zusammenfassung.vtt")
    status, headers, body = get(server, path)
    assert status == 200 and body.startswith(b"WEBVTT")
    assert headers["content-type"].split(";")[0] == "text/vtt"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = get(server, path.split("?")[0])[1]
    assert plain["cache-control"] == "no-cache"  # an unversioned address is revalidated


def test_video_answers_byte_ranges(server: int) -> None:
    path = versioned(server, "gesamtaufzeichnung.mp4")
    size = len(get(server, path)[2])
    status, headers, body = get(server, path, Range="bytes=0-99")
    assert status == 206 and len(body) == 100
    assert headers["content-range"] == f"bytes 0-99/{size}"
    assert headers["content-type"] == "video/mp4"
    status, _, body = get(server, path, Range="bytes=-100")
    assert status == 206 and len(body) == 100


def test_the_site_marker_is_not_served(server: int) -> None:
    assert get(server, "/.clipper-site.json")[0] == 404
