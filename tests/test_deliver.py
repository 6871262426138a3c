"""`clipper publish --to`: the site delivered with rclone to a folder and to S3 (a local
moto server), incrementally, in a safe order, consistent when killed, without secrets."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import one_line_error, run
from test_embed import SETTINGS
from test_publish import make_project
from tree import tree_hashes

from clipper.site.deliver import parse_target, rclone_exe, redact
from clipper.site.deliver_plan import FileFact, plan_delivery

SECRET = "Geheim-8f3a9c2d71"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The result lines are read in English (the German catalog may be compiled or not)."""
    monkeypatch.setenv("CLIPPER_LANG", "en")


def test_plan_sends_changes_in_phases_and_removes_stale_files_last() -> None:
    a, b = FileFact(1, "a"), FileFact(2, "b")
    local = {
        "index.html": a,
        "feed.xml": a,
        "events/x/index.html": a,
        "events/x/embed/k.html": a,
        "events/x/embed/k.json": a,
        "events/x/k.mp4": b,
        "events/x/k.vtt": a,
        ".htaccess": a,
    }
    delivered = dict(local, **{"events/x/k.mp4": a, "events/old/old.mp4": a})
    del delivered["events/x/k.vtt"]
    plan = plan_delivery(local, delivered)
    assert plan.send == {"media": ["events/x/k.mp4", "events/x/k.vtt"]}
    assert plan.remove == ["events/old/old.mp4"] and plan.unchanged == 6
    fresh = plan_delivery(local, {}, on_target={"stray.partial"})
    assert list(fresh.send) == ["media", "pages", "index"]
    assert fresh.send["index"] == ["feed.xml", "index.html"]
    assert fresh.remove == ["stray.partial"]
    assert plan_delivery(local, local, on_target=set(local)).empty


def test_targets_and_redaction() -> None:
    assert parse_target("webserver:htdocs/video").folder is None
    assert parse_target(":s3,provider=Other:bucket").folder is None
    assert parse_target("/srv/www").folder == Path("/srv/www")
    assert parse_target("./out").folder == Path("out")
    line = f":s3,access_key_id=AK,secret_access_key={SECRET}:bucket/site failed"
    assert SECRET not in redact(line) and "bucket/site" in redact(line)
    assert SECRET not in redact(f"sftp://u@h pass={SECRET}")


@pytest.fixture
def project(tmp_path: Path, h264_source: Path) -> Path:
    make_project(tmp_path / "p", h264_source)
    legal = (
        'publisher = "Stadt Testhausen (erfunden), Pressestelle"\n'
        'imprint_url = "https://example.org/testhausen/impressum"\n'
        '\n[accessibility]\ncontact_email = "barrierefreiheit@example.org"\n'
    )
    (tmp_path / "p" / "clipper.toml").write_text(SETTINGS + legal, encoding="utf-8")
    return tmp_path / "p"


def deliver(project: Path, target: object) -> str:
    result = run("publish", "--project", project, "--to", target)
    assert result.exit_code == 0, result.output
    return str(result.output)


def served_files(target: Path) -> dict[str, str]:
    return tree_hashes(target)


@pytest.mark.slow
def test_publish_to_a_folder_twice_sends_nothing_the_second_time(
    project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "www"
    first = deliver(project, target)
    assert "Delivered to" in first
    assert served_files(target) == tree_hashes(project / "site")
    stamps = {p: p.stat().st_mtime_ns for p in target.rglob("*") if p.is_file()}
    second = deliver(project, target)
    assert "Nothing to deliver" in second
    assert {p: p.stat().st_mtime_ns for p in target.rglob("*") if p.is_file()} == stamps
    # the delivery state is in the project's cache, not on the target
    assert not [p for p in target.rglob("*") if "delivery" in p.name]
    assert list((project / ".clipper-cache" / "delivery").glob("*.json"))


@pytest.mark.slow
def test_publish_to_refuses_a_folder_that_is_not_this_sites(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "fremd"
    other.mkdir()
    (other / "wichtig.txt").write_text("nicht löschen", encoding="utf-8")
    before, project_before = tree_hashes(other), tree_hashes(project)
    one_line_error(run("publish", "--project", project, "--to", other), "not empty")
    assert tree_hashes(other) == before
    assert tree_hashes(project) == project_before  # refused before anything was built
    one_line_error(run("publish", "--project", project, "--to", project / "site"))
    assert tree_hashes(project) == project_before


def page_links(target: Path) -> list[tuple[Path, Path]]:
    """Every local file an HTML page on the target points at (src, href, poster)."""
    links = []
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href|poster)="([^"]*)"', text):
            name = url.split("#")[0].split("?")[0]
            if name and ":" not in url and not name.endswith("/"):
                links.append((page, (page.parent / name).resolve()))
    return links


@pytest.mark.slow
def test_a_killed_delivery_leaves_a_consistent_site_and_the_next_run_completes_it(
    project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "www"
    deliver(project, target)
    toml = project / "recordings" / "foerderung" / "event.toml"
    toml.write_text(
        toml.read_text("utf-8").replace('"Zusammenfassung"', '"Kurzfassung"'), encoding="utf-8"
    )
    env = dict(os.environ, RCLONE_BWLIMIT="16k", PYTHONPATH=os.environ.get("PYTHONPATH", ""))
    cmd = [
        sys.executable,
        "-m",
        "clipper",
        "publish",
        "--project",
        str(project),
        "--to",
        str(target),
    ]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 600
    # wait until the new clip's media are on their way (rclone writes *.partial files)
    while not list(target.rglob("*partial*")) and not list(target.rglob("kurzfassung.*")):
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.stdout is not None
    proc.stdout.close()
    # the served pages are the old ones, and everything they point at is there
    assert (target / "events/foerderung/zusammenfassung.mp4").is_file()
    assert not (target / "events/foerderung/embed/kurzfassung.html").exists()
    missing = [(str(p), str(f)) for p, f in page_links(target) if not f.is_file()]
    assert missing == []
    output = deliver(project, target)
    assert "Delivered to" in output
    assert served_files(target) == tree_hashes(project / "site")  # stale and partial files gone
    assert not (target / "events/foerderung/zusammenfassung.mp4").exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A local S3 server (moto) and an rclone remote `stadt:` for it, configured only
    through rclone's own environment variables, with a secret key."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        for key, value in {
            "TYPE": "s3",
            "PROVIDER": "Other",
            "ENDPOINT": f"http://127.0.0.1:{port}",
            "ACCESS_KEY_ID": "stadtarchiv",
            "SECRET_ACCESS_KEY": SECRET,
            "REGION": "us-east-1",
            "FORCE_PATH_STYLE": "true",
        }.items():
            monkeypatch.setenv(f"RCLONE_CONFIG_STADT_{key}", value)
        monkeypatch.setenv("RCLONE_CONFIG", str(tmp_path / "no-rclone.conf"))
        subprocess.run([rclone_exe(), "mkdir", "stadt:video"], check=True, capture_output=True)
        yield "stadt:video/archiv"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def remote_files(remote: str) -> set[str]:
    listing = subprocess.run(
        [rclone_exe(), "lsf", "-R", "--files-only", remote],
        check=True,
        capture_output=True,
        text=True,
    )
    return set(listing.stdout.split())


@pytest.mark.slow
def test_publish_to_s3_through_rclone_incrementally_and_without_the_secret(
    project: Path, s3: str
) -> None:
    first = deliver(project, s3)
    site_files = set(tree_hashes(project / "site"))
    assert remote_files(s3) == site_files
    second = deliver(project, s3)
    assert "Nothing to deliver" in second
    bad_target = f":s3,provider=Other,secret_access_key={SECRET}:b/x"
    before = tree_hashes(project)
    refused = run("publish", "--project", project, "--to", bad_target)
    one_line_error(refused)
    assert tree_hashes(project) == before
    for text in (first, second, refused.output):
        assert SECRET not in text
    written = [p for p in project.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert written == []
