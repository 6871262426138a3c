"""`clipper serve`: the byte-range cases browsers rely on to seek in videos (GUIDE.md 5)."""

from __future__ import annotations

import mimetypes
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clipper.errors import ClipperError
from clipper.site.server import make_app

DATA = bytes(range(256)) * 4  # 1024 known bytes
SIZE = len(DATA)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    event = root / "events" / "demo"
    event.mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Start</title>", encoding="utf-8")
    (event / "index.html").write_text("<!doctype html><title>Demo</title>", encoding="utf-8")
    (event / "clip.mp4").write_bytes(DATA)
    (event / "clip.webm").write_bytes(DATA)
    (event / "poster.jpg").write_bytes(DATA[:10])
    (event / "clip.de.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n", "utf-8")
    return root


@pytest.fixture
def client(site: Path) -> TestClient:
    return TestClient(make_app(site))


def get_range(client: TestClient, value: str) -> tuple[int, bytes, dict[str, str]]:
    response = client.get("/events/demo/clip.mp4", headers={"Range": value})
    return response.status_code, response.content, dict(response.headers)


def test_whole_file_advertises_ranges(client: TestClient) -> None:
    response = client.get("/events/demo/clip.mp4")
    assert response.status_code == 200
    assert response.content == DATA
    assert response.headers["accept-ranges"] == "bytes"


def test_first_byte_only(client: TestClient) -> None:
    status, body, headers = get_range(client, "bytes=0-0")
    assert (status, body) == (206, DATA[:1])
    assert headers["content-range"] == f"bytes 0-0/{SIZE}"
    assert headers["content-length"] == "1"
    assert headers["accept-ranges"] == "bytes"


def test_suffix_range_gives_the_last_bytes(client: TestClient) -> None:
    status, body, headers = get_range(client, "bytes=-100")
    assert (status, body) == (206, DATA[-100:])
    assert headers["content-range"] == f"bytes {SIZE - 100}-{SIZE - 1}/{SIZE}"


def test_open_ended_range(client: TestClient) -> None:
    status, body, headers = get_range(client, "bytes=100-")
    assert (status, body) == (206, DATA[100:])
    assert headers["content-range"] == f"bytes 100-{SIZE - 1}/{SIZE}"


def test_closed_range_and_end_past_the_file(client: TestClient) -> None:
    assert get_range(client, "bytes=10-19")[:2] == (206, DATA[10:20])
    status, body, headers = get_range(client, f"bytes={SIZE - 10}-{SIZE + 1000}")
    assert (status, body) == (206, DATA[-10:])
    assert headers["content-range"] == f"bytes {SIZE - 10}-{SIZE - 1}/{SIZE}"


@pytest.mark.parametrize("value", [f"bytes={SIZE}-", f"bytes={SIZE + 5}-{SIZE + 10}"])
def test_unsatisfiable_range(client: TestClient, value: str) -> None:
    status, _, headers = get_range(client, value)
    assert status == 416
    assert headers["content-range"] == f"bytes */{SIZE}"


def test_several_ranges_come_as_multipart(client: TestClient) -> None:
    status, body, headers = get_range(client, "bytes=0-1,10-11")
    assert status == 206
    assert headers["content-type"].startswith("multipart/byteranges")
    assert DATA[0:2] in body and DATA[10:12] in body


def test_head_request(client: TestClient) -> None:
    response = client.head("/events/demo/clip.mp4")
    assert response.status_code == 200
    assert response.headers["content-length"] == str(SIZE)
    assert response.content == b""


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("clip.mp4", "video/mp4"),
        ("clip.webm", "video/webm"),
        ("poster.jpg", "image/jpeg"),
        ("clip.de.vtt", "text/vtt"),
        ("index.html", "text/html"),
    ],
)
def test_content_types(client: TestClient, name: str, media_type: str) -> None:
    response = client.get(f"/events/demo/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_vtt_type_is_registered_at_import() -> None:
    assert mimetypes.guess_type("captions.de.vtt")[0] == "text/vtt"


def test_folders_serve_their_index(client: TestClient) -> None:
    assert "Start" in client.get("/").text
    assert "Demo" in client.get("/events/demo/").text
    redirect = client.get("/events/demo", follow_redirects=False)
    assert redirect.status_code in (301, 302, 307, 308)
    assert redirect.headers["location"].endswith("/events/demo/")


def test_missing_files_and_escapes_are_404(client: TestClient) -> None:
    assert client.get("/events/nothing.mp4").status_code == 404
    assert client.get("/../../etc/passwd").status_code == 404
    assert client.get("/events/%2e%2e/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_only_get_and_head(client: TestClient) -> None:
    assert client.post("/events/demo/clip.mp4").status_code == 405


def test_missing_site_folder_says_to_publish_first(tmp_path: Path) -> None:
    with pytest.raises(ClipperError) as caught:
        make_app(tmp_path / "site")
    assert "clipper publish" in str(caught.value)


# ----------------------------------------------------------------------------- real server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(site: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`serve` in a child process on a free port, once it answers (a port that another
    program took between choosing and binding it is simply chosen again)."""
    code = "import sys; from pathlib import Path; from clipper.site.server import serve; " + (
        "serve(Path(sys.argv[1]), port=int(sys.argv[2]))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    for _attempt in range(5):
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-c", code, str(site), str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 300  # a loaded machine may take long to start Python
        while server.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5):
                    return server, port
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        output = server.stdout.read().decode(errors="replace") if server.stdout else ""
        if server.stdout:
            server.stdout.close()
        if "--port" not in output:  # failed for another reason than a taken port
            pytest.fail(f"server did not start: {output}")
    pytest.fail("no free port found in five attempts")


def test_serve_answers_ranges_over_real_http(site: Path) -> None:
    server, port = start_server(site)
    try:
        url = f"http://127.0.0.1:{port}/events/demo/clip.mp4"
        request = urllib.request.Request(url, headers={"Range": "bytes=-100"})
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 206
            assert response.headers["Content-Range"] == f"bytes {SIZE - 100}-1023/{SIZE}"
            assert response.headers["Content-Type"] == "video/mp4"
            assert response.read() == DATA[-100:]
    finally:
        server.terminate()
        server.wait(timeout=120)
        if server.stdout:
            server.stdout.close()


def test_serve_reports_a_busy_port(site: Path) -> None:
    from clipper.site.server import serve

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ClipperError, match="--port"):
            serve(site, port=port)
