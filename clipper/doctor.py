"""`clipper doctor`: which ffmpeg and libraries are used, and whether they can do the job."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from clipper.errors import ClipperError

NEEDED_ENCODERS = ("libx264", "aac")
NEEDED_FILTERS = ("trim", "atrim", "concat", "afade", "aresample")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    optional: bool = False


def run_checks() -> list[Check]:
    from clipper.media import ffmpeg as ff

    checks: list[Check] = []
    try:
        exe = ff.ffmpeg_exe()
    except ClipperError as exc:
        return [Check("ffmpeg", False, str(exc))]
    source = "CLIPPER_FFMPEG" if _configured() else "bundled with imageio-ffmpeg"
    checks.append(Check("ffmpeg", True, f"{exe} ({source}), version {ff.ffmpeg_version(exe)}"))
    for name in NEEDED_ENCODERS:
        ok = ff.ffmpeg_has("encoders", name, exe)
        checks.append(Check(f"encoder {name}", ok, "present" if ok else "missing in this ffmpeg"))
    missing = [f for f in NEEDED_FILTERS if not ff.ffmpeg_has("filters", f, exe)]
    checks.append(
        Check("filters", not missing, "all present" if not missing else f"missing: {missing}")
    )
    try:
        import av

        checks.append(Check("PyAV", True, f"{av.__version__} (probing, keyframes)"))
    except ImportError:
        checks.append(Check("PyAV", False, "not installed: pip install av"))
    from clipper.demo.speech import check_available

    try:
        check_available()
        checks.append(Check("speech for the demo", True, "espeak-ng (German)", optional=True))
    except ClipperError as exc:
        detail = f"{exc}; the demo uses marked tones instead"
        checks.append(Check("speech for the demo", False, detail, optional=True))
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    checks.append(
        Check(
            "chromium (browser tests only)",
            bool(browser),
            browser or "not found (make test installs it)",
            optional=True,
        )
    )
    return checks


def _configured() -> bool:
    return bool(os.environ.get("CLIPPER_FFMPEG"))
