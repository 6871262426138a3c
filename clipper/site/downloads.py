"""Publishing, between media and pages: each video file gets its captions as a soft track,
so a downloaded MP4 still shows them in VLC or the Windows player
(clipper/media/soft_subtitles.py says why the played and the downloaded file are one).

Made through the cache, keyed by the video's own key and the captions' bytes: a changed
transcript or a re-cut clip makes a new file, nothing changed makes nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from clipper.media.soft_subtitles import iso639_2, mux_subtitles
from clipper.site.cache import cache_key
from clipper.site.derived import DerivedMedia
from clipper.site.media_phase import EventMedia, VideoMedia


def with_soft_subtitles(derived: EventMedia, media: DerivedMedia) -> EventMedia:
    """`derived` with every video that has captions replaced by one carrying them."""
    language = derived.event.language
    for video in derived.videos:
        if video.captions is not None:
            _mux(video, media, language)
    return derived


def _mux(video: VideoMedia, media: DerivedMedia, language: str) -> None:
    made_by = media.key_of(video.video) or media.cache.file_sha256(video.video)
    captions_sha = hashlib.sha256(video.captions.read_bytes()).hexdigest() if video.captions else ""
    key = cache_key(
        "soft-subtitles", video=made_by, captions=captions_sha, language=iso639_2(language)
    )
    name = "video" + video.video.suffix
    source = video.video

    def make(folder: Path) -> None:
        assert video.captions is not None
        mux_subtitles(source, video.captions, folder / name, language=language)

    entry = media.cache.entry(key, make)
    media.place_entry(key, entry, name, video.video)
