"""`clipper doctor`: which ffmpeg and libraries are used, and whether they can do the job."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from clipper.errors import ClipperError
from clipper.i18n import _

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
    source = "CLIPPER_FFMPEG" if _configured() else _("bundled with imageio-ffmpeg")
    checks.append(
        Check(
            "ffmpeg",
            True,
            _("{exe} ({source}), version {ffmpeg_version}").format(
                exe=exe, source=source, ffmpeg_version=ff.ffmpeg_version(exe)
            ),
        )
    )
    for name in NEEDED_ENCODERS:
        ok = ff.ffmpeg_has("encoders", name, exe)
        checks.append(
            Check(f"encoder {name}", ok, _("present") if ok else _("missing in this ffmpeg"))
        )
    missing = [f for f in NEEDED_FILTERS if not ff.ffmpeg_has("filters", f, exe)]
    checks.append(
        Check(
            "filters",
            not missing,
            _("all present") if not missing else _("missing: {missing}").format(missing=missing),
        )
    )
    try:
        import av

        checks.append(
            Check("PyAV", True, _("{version} (probing, keyframes)").format(version=av.__version__))
        )
    except ImportError:
        checks.append(Check("PyAV", False, _("not installed: pip install av")))
    from clipper.demo.speech import check_available

    try:
        check_available()
        checks.append(Check(_("speech for the demo"), True, _("espeak-ng (German)"), optional=True))
    except ClipperError as exc:
        detail = _("{exc}; the demo uses marked tones instead").format(exc=exc)
        checks.append(Check(_("speech for the demo"), False, detail, optional=True))
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    checks.append(
        Check(
            _("chromium (browser tests only)"),
            bool(browser),
            browser or _("not found (make test installs it)"),
            optional=True,
        )
    )
    return checks


def _configured() -> bool:
    return bool(os.environ.get("CLIPPER_FFMPEG"))
