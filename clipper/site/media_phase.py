"""Publishing, phase 2: derive each event's media in the staging folder -- the summary
clips with their retimed captions and chapters, the web copy of the recording with its
captions, and a poster per video. Media come from the cache when their inputs are
unchanged (clipper/site/cache.py, clipper/site/derived.py).

The order of the work is the order of the progress lines: per clip cut, captions,
chapters, poster; then the full recording's chapters, web copy, captions, poster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from clipper.archive.clips import EVENT_TRANSCRIPT_HINT
from clipper.archive.event import ClipSpec, Event
from clipper.archive.slugs import FULL_RECORDING
from clipper.cutting.clip import plan_mode
from clipper.i18n import _
from clipper.media.probe import MediaInfo
from clipper.progress import Reporter
from clipper.ranges.grammar import Range
from clipper.ranges.selection import resolve_for_media
from clipper.site.captions import chapters_track, recording_chapters, with_speaker_names
from clipper.site.derived import DerivedMedia
from clipper.site.model import Chapter
from clipper.subtitles import read_subtitles
from clipper.subtitles.model import Cue
from clipper.subtitles.problems import Warn
from clipper.subtitles.vtt import Track, write_vtt
from clipper.timecode import ms_to_fraction


@dataclass(frozen=True)
class VideoMedia:
    """One video's files in the staging folder and what its page section is made from."""

    kind: str  # "clip" or "full"
    title: str
    anchor: str
    video: Path
    poster: Path
    duration: Fraction
    cues: list[Cue]  # in the video's own time
    chapters: list[Chapter]
    captions: Path | None = None
    chapters_file: Path | None = None


@dataclass(frozen=True)
class EventMedia:
    """An event's videos (clips first, then the full recording), ready for its page."""

    event: Event
    videos: list[VideoMedia]
    warnings: list[str] = field(default_factory=list)  # ranges notes, skipped cues


def clip_ranges(
    clip: ClipSpec,
    transcript: Track | None,
    info: MediaInfo,
    *,
    warn: Warn | None,
    event_name: str = "FILE",
) -> list[Range]:
    """The clip's ranges, cue selections and frame timecodes resolved for this recording;
    the notes `clipper ranges check` shows (clamped padding and ends, what the ranges file
    asks staff to check) come back as warnings naming the file and line."""
    selection = resolve_for_media(
        clip.specs,
        info,
        source=clip.ranges_source,
        cues=transcript.cues if transcript is not None else None,
        transcript_hint=EVENT_TRANSCRIPT_HINT,
        transcript_name=event_name,  # `clipper transcript <event>` works anywhere in it
    )
    if warn is not None:
        for note in selection.notes:
            warn(note.with_file())
    return selection.ranges


class _Step:
    """One media step's progress line: "wird geschnitten" only when the work really runs,
    "unverändert" when the cache already had the result."""

    def __init__(self, reporter: Reporter, *, doing: str, unchanged: str) -> None:
        self.reporter, self.doing, self.unchanged = reporter, doing, unchanged
        self.ran = False

    def made(self) -> None:
        self.ran = True
        self.reporter.step(self.doing)

    def done(self) -> None:
        if not self.ran:
            self.reporter.step(self.unchanged)


def derive_media(
    event: Event,
    site_dir: Path,
    reporter: Reporter,
    media: DerivedMedia,
    *,
    lenient: bool = False,
) -> EventMedia:
    """Every media file of `event` in `site_dir/events/<slug>/`."""
    warnings: list[str] = []
    event_dir = site_dir / "events" / event.slug
    event_dir.mkdir(parents=True, exist_ok=True)
    reporter.step(_("{title}: checking the recording").format(title=event.title))
    info = media.probe(event.recording)
    info.require_video()
    transcript = (
        read_subtitles(event.transcript, lenient=lenient, warn=warnings.append)
        if event.transcript
        else None
    )
    videos = [
        _clip_media(event, clip, transcript, info, event_dir, reporter, media, warnings)
        for clip in event.clips
    ]
    videos.append(_full_media(event, transcript, info, event_dir, reporter, media, videos))
    return EventMedia(event=event, videos=videos, warnings=warnings)


def _clip_media(
    event: Event,
    clip: ClipSpec,
    transcript: Track | None,
    info: MediaInfo,
    event_dir: Path,
    reporter: Reporter,
    media: DerivedMedia,
    warnings: list[str],
) -> VideoMedia:
    """A summary clip cut from the recording, its captions and chapters, its poster."""
    ranges = clip_ranges(clip, transcript, info, warn=warnings.append, event_name=event.slug)
    planned = plan_mode(event.recording, ranges, ranges_source=clip.ranges_source)
    cutting = _Step(
        reporter,
        doing=_("{title}: cutting the clip „{title2}“").format(
            title=event.title, title2=clip.title
        ),
        unchanged=_("{title}: clip „{title2}“ unchanged").format(
            title=event.title, title2=clip.title
        ),
    )
    result = media.clip(
        planned,
        event_dir / f"{clip.slug}.mp4",
        transcript=transcript,
        transcript_file=event.transcript,
        progress=reporter.media(clip.title, planned.duration_ms),
        on_make=cutting.made,
    )
    cutting.done()
    chapters = [
        Chapter(
            title=piece.range.label or f"Teil {number}",
            start_ms=piece.clip_start_ms,
            end_ms=piece.clip_end_ms,
            source_start_ms=piece.start_ms,
        )
        for number, piece in enumerate(result.plan.frame_plan.pieces, start=1)
    ]
    if result.subtitles is not None and transcript is not None:
        named = Track(
            cues=with_speaker_names(result.cues),
            styles=transcript.styles,
            regions=transcript.regions,  # cue settings may name them
        )
        write_vtt(named, result.subtitles)
    chapters_file = event_dir / f"{clip.slug}.kapitel.vtt"
    write_vtt(chapters_track(chapters), chapters_file)
    first_cue = ms_to_fraction(result.cues[0].start_ms) if result.cues else None
    duration = result.plan.duration
    return VideoMedia(
        kind="clip",
        title=clip.title,
        anchor=f"clip-{clip.slug}",
        video=result.video,
        poster=media.poster(
            result.video, result.video.with_suffix(".jpg"), duration, prefer=first_cue
        ),
        duration=duration,
        cues=result.cues,
        chapters=chapters,
        captions=result.subtitles,
        chapters_file=chapters_file,
    )


def _full_media(
    event: Event,
    transcript: Track | None,
    info: MediaInfo,
    event_dir: Path,
    reporter: Reporter,
    media: DerivedMedia,
    clips: list[VideoMedia],
) -> VideoMedia:
    """The whole recording as a web copy, with all captions, the clips' chapters as its
    chapters, and its poster."""
    full_chapters = recording_chapters(c for v in clips for c in v.chapters)
    full_chapters_file = None
    if full_chapters:
        full_chapters_file = event_dir / f"{FULL_RECORDING}.kapitel.vtt"
        write_vtt(chapters_track(full_chapters), full_chapters_file)
    full_video = event_dir / f"{FULL_RECORDING}.mp4"
    copying = _Step(
        reporter,
        doing=_("{title}: preparing the whole recording for the web").format(title=event.title),
        unchanged=_("{title}: whole recording unchanged").format(title=event.title),
    )
    media.web_copy(
        info,
        full_video,
        progress=reporter.media(_("whole recording"), info.duration_ms),
        on_make=copying.made,
    )
    copying.done()
    full_captions = None
    # in time order, as a player shows them (a transcript may list a cue late)
    full_cues = sorted(transcript.cues, key=lambda c: c.start_ms) if transcript else []
    if transcript is not None and event.transcript is not None:
        full_captions = media.captions(
            transcript, event.transcript, event_dir / f"{FULL_RECORDING}.vtt"
        )
        # speaker names for the player (a new file: the cache's hard link is not written to)
        named = Track(
            cues=with_speaker_names(full_cues),
            styles=transcript.styles,
            notes=transcript.notes,
            regions=transcript.regions,
        )
        write_vtt(named, full_captions)
    return VideoMedia(
        kind="full",
        title="Gesamtaufzeichnung",
        anchor="gesamtaufzeichnung",
        video=full_video,
        poster=media.poster(full_video, full_video.with_suffix(".jpg"), info.duration, prefer=None),
        duration=info.duration,
        cues=full_cues,
        chapters=full_chapters,
        captions=full_captions,
        chapters_file=full_chapters_file,
    )
