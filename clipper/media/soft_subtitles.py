"""Captions inside the video file, for downloads passed on by e-mail.

A browser plays the video with its `<track>` files; a file saved from the site and opened
in VLC or the Windows player has no such file beside it. So the downloadable MP4 carries
the captions as a soft track (MP4: `mov_text`, WebM: WebVTT), marked with its language and
as the default track. Browsers ignore that track (they show the `<track>`), so the played
file and the download can be the same: the site stays as big as before. The streams are
copied, never re-encoded.
"""

from __future__ import annotations

from pathlib import Path

from clipper.media.ffmpeg import run_ffmpeg

# ISO 639-2/B codes, which is what MP4 and Matroska players read.
_ISO639_2 = {"de": "deu", "en": "eng", "fr": "fra", "tr": "tur", "ar": "ara", "uk": "ukr"}


def iso639_2(language: str) -> str:
    """`deu` for `de`/`de-DE`; an unknown code is passed on as it is (three letters)."""
    code = language.split("-")[0].split("_")[0].lower()
    return _ISO639_2.get(code, code if len(code) == 3 else "und")


def mux_subtitles(video: Path, captions: Path, output: Path, *, language: str) -> None:
    """Write `output`: `video`'s streams copied, plus `captions` (WebVTT) as the default
    subtitle track in `language`. `output`'s suffix picks the container (.mp4 or .webm)."""
    codec = "webvtt" if output.suffix.lower() == ".webm" else "mov_text"
    args = ["-i", str(video), "-i", str(captions), "-map", "0:v", "-map", "0:a?", "-map", "1:0"]
    args += ["-c:v", "copy", "-c:a", "copy", "-c:s", codec]
    args += ["-metadata:s:s:0", f"language={iso639_2(language)}"]
    args += ["-metadata:s:s:0", "title=Untertitel", "-disposition:s:0", "default"]
    args += ["-map_metadata", "0", "-fflags", "+bitexact", "-flags:v", "+bitexact"]
    args += ["-flags:a", "+bitexact"]
    if codec == "mov_text":
        args += ["-movflags", "+faststart"]
    args += ["-y", str(output)]
    run_ffmpeg(args, what="adding the captions to the video file")
