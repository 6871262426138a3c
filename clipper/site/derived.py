"""The media of a published site, made through the cache: clips, web copies, captions, posters.

`publish` calls these instead of the media functions directly; each computes the key of
its inputs, reuses the cached file when there is one and makes it otherwise, then places
it (as a hard link where possible) into the site being built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from clipper.cutting.clip import ClipResult, clip_spans, make_clip
from clipper.cutting.cut_plan import CutPlan
from clipper.cutting.execute import EncodeSettings
from clipper.media.derive import make_poster, make_web_copy
from clipper.media.ffmpeg import ProgressCallback
from clipper.media.integrity import check_media_file
from clipper.media.probe import KeyframeStats, MediaInfo, StreamInfo, probe
from clipper.site.cache import MediaCache, cache_key, place
from clipper.subtitles.retime import retime_cues
from clipper.subtitles.vtt import Track, write_vtt


class DerivedMedia:
    """Makes or reuses each derived file and remembers which key produced which site file."""

    def __init__(self, cache: MediaCache, encoding: EncodeSettings | None = None) -> None:
        self.cache = cache
        self.encoding = encoding or EncodeSettings()  # clipper.toml [encoding]
        self._keys: dict[Path, str] = {}

    def _placed(self, key: str, entry: Path, name: str, target: Path) -> Path:
        place(entry / name, target)
        self._keys[target] = key
        return target

    def key_of(self, target: Path) -> str | None:
        """The cache key that made the site file `target` (None: not made through the cache)."""
        return self._keys.get(target)

    def place_entry(self, key: str, entry: Path, name: str, target: Path) -> Path:
        """Put `entry/name` into the site at `target`, remembering `key` as its maker."""
        return self._placed(key, entry, name, target)

    def probe(self, path: Path) -> MediaInfo:
        """What is in a recording; read once per version of the file, not on every publish
        (a full probe reads every packet, which takes seconds for an hours-long recording)."""
        check_media_file(path)  # a folder or an unreadable file: say so before hashing it
        key = cache_key("probe", source=self.cache.file_sha256(path))
        data = self.cache.facts(key, lambda: _to_json(probe(path)))
        try:
            return _media_info(data, path)
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            return probe(path)  # facts written by another version: probe afresh

    def clip(
        self,
        plan: CutPlan,
        output: Path,
        *,
        transcript: Track | None,
        transcript_file: Path | None,
        progress: ProgressCallback | None = None,
        on_make: Callable[[], None] | None = None,
    ) -> ClipResult:
        """The clip planned by `plan` at `output` (MP4), with its captions beside it.

        The plan is used as made (publish plans in auto mode), so nothing is probed twice.
        `on_make` is called only when the clip is really cut (not taken from the cache), so
        the user is told about work that happens, not about work that is skipped.
        """
        source_sha = self.cache.file_sha256(plan.source)
        pieces = [
            [str(p.start), str(p.end), str(p.trim_start), str(p.trim_end), p.frames]
            for p in plan.frame_plan.pieces
        ]
        key = cache_key(
            "clip", source=source_sha, pieces=pieces, audio=plan.has_audio, mode=plan.mode,
            encoding=repr(self.encoding),
        )  # fmt: skip
        ranges = [p.range for p in plan.frame_plan.pieces]

        def cut(folder: Path) -> None:
            if on_make is not None:
                on_make()
            make_clip(
                plan.source, ranges, folder / "clip.mp4", progress=progress, planned=plan,
                settings=self.encoding,
            )  # fmt: skip

        entry = self.cache.entry(key, cut)
        video = self._placed(key, entry, "clip.mp4", output)
        cues = retime_cues(transcript.cues, clip_spans(plan)) if transcript else []
        captions = None
        if transcript is not None and transcript_file is not None:
            track = Track(cues=cues, styles=transcript.styles)
            vtt_key = cache_key(
                "clip-captions",
                transcript=self.cache.file_sha256(transcript_file),
                pieces=pieces,
            )
            vtt_entry = self.cache.entry(vtt_key, lambda d: write_vtt(track, d / "clip.vtt"))
            captions = self._placed(vtt_key, vtt_entry, "clip.vtt", output.with_suffix(".vtt"))
        return ClipResult(plan=plan, video=video, subtitles=captions, cues=cues)

    def web_copy(
        self,
        info: MediaInfo,
        output: Path,
        *,
        progress: ProgressCallback | None = None,
        on_make: Callable[[], None] | None = None,
    ) -> Path:
        """The browser-ready copy of the whole recording (`on_make` as for `clip`)."""
        rates = self.encoding.rates
        key = cache_key("web-copy", source=self.cache.file_sha256(info.path), rates=repr(rates))

        def copy(folder: Path) -> None:
            if on_make is not None:
                on_make()
            make_web_copy(info, folder / "web.mp4", progress=progress, rates=rates)

        entry = self.cache.entry(key, copy)
        return self._placed(key, entry, "web.mp4", output)

    def captions(self, transcript: Track, transcript_file: Path, output: Path) -> Path:
        """The recording's transcript as the site's WebVTT file (written by clipper's writer)."""
        key = cache_key("captions", transcript=self.cache.file_sha256(transcript_file))
        entry = self.cache.entry(key, lambda d: write_vtt(transcript, d / "captions.vtt"))
        return self._placed(key, entry, "captions.vtt", output)

    def poster(
        self, video: Path, output: Path, duration: Fraction, *, prefer: Fraction | None = None
    ) -> Path:
        """A poster frame of a video placed earlier (keyed by that video's key)."""
        video_key = self._keys.get(video) or self.cache.file_sha256(video)
        key = cache_key("poster", video=video_key, duration=str(duration), prefer=str(prefer))
        entry = self.cache.entry(
            key, lambda d: make_poster(video, d / "poster.jpg", duration, prefer=prefer)
        )
        return self._placed(key, entry, "poster.jpg", output)


def _to_json(value: Any) -> Any:
    """Probe results as JSON: Fractions kept exact as "n/d" strings."""
    if isinstance(value, Fraction):
        return {"fraction": str(value)}
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"fraction"}:
        return Fraction(value["fraction"])
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    return value


def _media_info(data: dict[str, Any], path: Path) -> MediaInfo:
    values = {key: _from_json(value) for key, value in data.items()}
    values["path"] = path
    values["streams"] = [
        StreamInfo(**{k: _from_json(v) for k, v in stream.items()}) for stream in data["streams"]
    ]
    if data["keyframes"] is not None:
        values["keyframes"] = KeyframeStats(
            **{k: _from_json(v) for k, v in data["keyframes"].items()}
        )
    return MediaInfo(**values)
