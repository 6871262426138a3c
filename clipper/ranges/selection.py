"""Resolve parsed ranges against the transcript and the recording's frame rate.

`resolve` is pure: it gets the cues and the frame rate, never reads files (the
`resolve_for_*` functions probe or get the recording for them). A cue selection covers its
cues from the first one's start to the last one's end, widened by the padding; padding is
clamped at the recording's start (and end, when the length is known) and the plan says so.
Ranges that overlap after padding are refused, like any overlap.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from clipper.errors import RangeError, SourceLocation
from clipper.i18n import N_, _, ngettext
from clipper.media.probe import MediaInfo, probe
from clipper.ranges.checks import Note, check_overlaps, fit_to_duration
from clipper.ranges.grammar import (
    CueId,
    CueSpan,
    FrameCode,
    Phrase,
    Pick,
    Range,
    RangeSpec,
    Time,
    TimeSpan,
    check_order,
    describe_spec,
)
from clipper.subtitles.model import Cue
from clipper.timecode import TimecodeError, format_time, frame_timecode_ms

# A label made from a cue's text is cut to this many characters (it names a chapter).
LABEL_CHARS = 60
# Candidates listed when a phrase is in several cues.
SHOWN_CANDIDATES = 5

TRANSCRIPT_HINT = N_("give the recording's transcript with --transcript")
FRAME_RATE_HINT = N_("give the recording with --source, so clipper knows its frame rate")


@dataclass(frozen=True)
class Selected:
    """One resolved range and the cues it was chosen by (their references, `#cue-3`)."""

    range: Range
    cues: tuple[str, ...] = ()
    padded: bool = False


@dataclass(frozen=True)
class Selection:
    items: list[Selected]
    notes: list[Note] = field(default_factory=list)

    @property
    def ranges(self) -> list[Range]:
        return [item.range for item in self.items]

    @property
    def duration_ms(self) -> int:
        return sum(item.range.duration_ms for item in self.items)


def cue_ref(cue: Cue, position: int) -> str:
    """How a ranges line names a cue: `#id`, or `#N` (1-based) for a cue without an id."""
    return f"#{cue.id}" if cue.id else f"#{position}"


def resolve(
    specs: Sequence[RangeSpec],
    *,
    source: Path | str = "<ranges>",
    cues: Sequence[Cue] | None = None,
    frame_rate: Fraction | None = None,
    duration_ms: int | None = None,
    transcript_hint: str = TRANSCRIPT_HINT,
    frame_rate_hint: str = FRAME_RATE_HINT,
    transcript_name: str = "FILE",
) -> Selection:
    """Turn specs into ranges; RangeError (file and line) for anything that cannot be met.

    `transcript_name`: what to give `clipper transcript` in hints (the file as the user
    named it, or the event's name), so the hint works when pasted."""
    finder = (
        _CueFinder(cues, source, _(transcript_hint), transcript_name) if cues is not None else None
    )
    items: list[Selected] = []
    notes: list[Note] = []
    for spec in specs:
        what = spec.what
        at = SourceLocation(source, spec.line)
        if spec.note:
            notes.append(Note(at, spec.note))
        if isinstance(what, TimeSpan):
            start = _time_ms(what.start, at, frame_rate, _(frame_rate_hint))
            end = _time_ms(what.end, at, frame_rate, _(frame_rate_hint))
            check_order(start, end, at=at)
            items.append(Selected(Range(start, end, spec.label, spec.line)))
            continue
        if finder is None:
            raise RangeError(
                _("{describe_spec} selects cues of the transcript, but there is none").format(
                    describe_spec=describe_spec(spec)
                ),
                at=at,
                hint=_(transcript_hint),
            )
        item, item_notes = finder.select(spec, what, duration_ms)
        items.append(item)
        notes += item_notes
    check_overlaps([i.range for i in items], source, padded=any(i.padded for i in items))
    return Selection(items, notes)


def _time_ms(time: Time, at: SourceLocation, fps: Fraction | None, hint: str) -> int:
    if not isinstance(time, FrameCode):
        return time
    if fps is None:
        raise RangeError(
            _(
                "{text} is a frame timecode (HH:MM:SS:FF); it needs the recording's frame rate"
            ).format(text=time.text),
            at=at,
            hint=hint,
        )
    try:
        return frame_timecode_ms(time.text, fps)
    except TimecodeError as exc:
        raise RangeError(str(exc), at=at) from exc


class _CueFinder:
    """Finds cues by id, position or phrase; errors list what could have been meant."""

    def __init__(
        self, cues: Sequence[Cue], source: Path | str, hint: str, name: str = "FILE"
    ) -> None:
        self.cues = list(cues)
        self.name = name
        self.source = source
        self.hint = hint
        self.refs = [cue_ref(c, i) for i, c in enumerate(self.cues, start=1)]
        self.by_id: dict[str, int] = {}
        self.twice: set[str] = set()
        for index, cue in enumerate(self.cues):
            if cue.id in self.by_id:
                self.twice.add(cue.id)
            elif cue.id:
                self.by_id[cue.id] = index
        self.texts = [normalize(c.plain_text) for c in self.cues]

    def select(
        self, spec: RangeSpec, what: CueSpan, duration_ms: int | None
    ) -> tuple[Selected, list[Note]]:
        first = self._find(what.first, spec)
        last = self._find(what.last, spec) if what.last is not None else first
        if last[1] < first[0]:
            raise RangeError(
                _("{describe_spec} ends at {refs}, which comes before {refs2}").format(
                    describe_spec=describe_spec(spec),
                    refs=self.refs[last[1]],
                    refs2=self.refs[first[0]],
                ),
                at=self.at(spec),
                hint=_("name the earlier cue first"),
            )
        chosen = self.cues[first[0] : last[1] + 1]
        start = min(c.start_ms for c in chosen)
        end = max(c.end_ms for c in chosen)
        if end <= start:
            raise RangeError(
                _("{describe_spec} selects only empty cues ({start})").format(
                    describe_spec=describe_spec(spec), start=format_time(start)
                ),
                at=self.at(spec),
                hint=_("pad it, e.g. +0.5s, or select more cues"),
            )
        notes: list[Note] = []
        padded_start, padded_end = start - what.before_ms, end + what.after_ms
        if padded_start < 0:
            notes.append(Note(self.at(spec), _("padding clamped at the recording's start")))
            padded_start = 0
        if duration_ms is not None and padded_end > duration_ms >= end:
            notes.append(Note(self.at(spec), _("padding clamped at the recording's end")))
            padded_end = duration_ms
        label = spec.label or shorten(chosen[0].plain_text)
        refs = tuple(self.refs[first[0] : last[1] + 1])
        padded = bool(what.before_ms or what.after_ms)
        return Selected(Range(padded_start, padded_end, label, spec.line), refs, padded), notes

    def _find(self, pick: Pick, spec: RangeSpec) -> tuple[int, int]:
        """The first and last index of the cues a pick names."""
        if isinstance(pick, CueId):
            if pick.id in self.twice:
                raise self._error(
                    spec,
                    _("two or more cues have the id {id!r}").format(id=pick.id),
                    _("select by a quoted phrase instead, or make the transcript's ids unique"),
                )
            self._refuse_id_that_is_a_position(pick.id, spec)
            index = self._by_ref(pick.id)
            if index is None:
                raise self._error(
                    spec, _("there is no cue #{id}").format(id=pick.id), self._id_hint(pick.id)
                )
            return index, index
        return self._by_phrase(pick, spec)

    def _refuse_id_that_is_a_position(self, ref: str, spec: RangeSpec) -> None:
        """`#2` names both the cue with id 2 and the 2nd cue when that one has no id."""
        if ref not in self.by_id or not ref.isdigit() or not 1 <= int(ref) <= len(self.cues):
            return
        if self.cues[int(ref) - 1].id:
            return
        at = format_time(self.cues[self.by_id[ref]].start_ms)
        raise self._error(
            spec,
            _(
                "#{ref} is the cue with id {ref} ({at}) and cue number {ref}, which has no id"
            ).format(ref=ref, at=at),
            _("select it by a quoted phrase, or give every cue of the transcript an id"),
        )

    def _by_ref(self, ref: str) -> int | None:
        if ref in self.by_id:
            return self.by_id[ref]
        if ref.isdigit() and 1 <= int(ref) <= len(self.cues) and not self.cues[int(ref) - 1].id:
            return int(ref) - 1
        return None

    def _id_hint(self, ref: str) -> str:
        close = difflib.get_close_matches(f"#{ref}", self.refs, n=1)
        hint = _("did you mean {close}? ").format(close=close[0]) if close else ""
        if self.refs:
            hint += _("the cues run from {refs} to {refs2}; ").format(
                refs=self.refs[0], refs2=self.refs[-1]
            )
        return hint + _("`clipper transcript {name}` lists them").format(name=self.name)

    def _by_phrase(self, pick: Phrase, spec: RangeSpec) -> tuple[int, int]:
        phrase = normalize(pick.text)
        singles = [(i, i) for i, text in enumerate(self.texts) if phrase in text]
        found = singles or [
            (i, i + 1)
            for i in range(len(self.texts) - 1)
            if phrase in f"{self.texts[i]} {self.texts[i + 1]}"
        ]
        if len(found) == 1:
            return found[0]
        if not found:
            raise self._error(
                spec,
                _('no cue contains "{text}"').format(text=pick.text),
                _("check the words with `clipper transcript {name} --grep {split}`").format(
                    name=self.name, split=pick.text.split()[0]
                ),
            )
        shown = ", ".join(
            _("{ref} at {time}").format(ref=self.refs[a], time=format_time(self.cues[a].start_ms))
            for a, _b in found[:SHOWN_CANDIDATES]
        )
        more = (
            _(" and {value} more").format(value=len(found) - SHOWN_CANDIDATES)
            if len(found) > SHOWN_CANDIDATES
            else ""
        )
        raise RangeError(
            _('"{text}" is in {found_count} places: {shown}{more}').format(
                text=pick.text, found_count=len(found), shown=shown, more=more
            ),
            at=self.at(spec),
            hint=_("quote more of the sentence, or name the cue by its id"),
        )

    def at(self, spec: RangeSpec) -> SourceLocation:
        return SourceLocation(self.source, spec.line)

    def _error(self, spec: RangeSpec, message: str, hint: str) -> RangeError:
        return RangeError(message, at=self.at(spec), hint=hint)


_APOSTROPHES = str.maketrans("’‘`´", "''''")


def normalize(text: str) -> str:
    """Text for matching phrases: one Unicode form (macOS writes `ü` as `u` + a combining
    mark, Windows as one character; NFKC also makes a no-break space a space), case folded
    (ß = ss), one space between words, straight apostrophes (`geht’s` = `geht's`)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """A cue's text as a label: cut at a word boundary, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:.-–") + "…"


def resolve_for_recording(
    specs: Sequence[RangeSpec],
    *,
    source: Path | str,
    cues: Sequence[Cue] | None,
    recording: Path | None,
    transcript_name: str = "FILE",
) -> Selection:
    """Resolve specs for a recording on disk (probed for its frame rate and length, and the
    ranges checked against that length); without one, frame timecodes are refused."""
    if recording is None:
        return resolve(specs, source=source, cues=cues, transcript_name=transcript_name)
    info = probe(recording, scan_keyframes=False)
    info.require_video()  # as `cut` would: an audio-only file cannot become a clip
    return resolve_for_media(specs, info, source=source, cues=cues, transcript_name=transcript_name)


def resolve_for_media(
    specs: Sequence[RangeSpec],
    info: MediaInfo,
    *,
    source: Path | str,
    cues: Sequence[Cue] | None,
    transcript_hint: str = TRANSCRIPT_HINT,
    transcript_name: str = "FILE",
) -> Selection:
    """Resolve specs against a probed recording: its frame rate for frame timecodes, its
    length for padding and for ends slightly past it (clamped, with a note)."""
    selection = resolve(
        specs,
        source=source,
        cues=cues,
        frame_rate=info.video.fps if info.video is not None else None,
        duration_ms=info.duration_ms,
        transcript_hint=transcript_hint,
        frame_rate_hint=N_("the recording's frame rate is unknown: give clock times instead"),
        transcript_name=transcript_name,
    )
    fitted, notes = fit_to_duration(selection.ranges, info.duration_ms, source=source)
    items = [replace(item, range=r) for item, r in zip(selection.items, fitted, strict=True)]
    return Selection(items, selection.notes + notes)


def describe(selection: Selection) -> list[str]:
    """The resolved ranges as a table for `clipper ranges check`, then the total."""
    line, start, end, length, label = _("line"), _("start"), _("end"), _("length"), _("label")
    rows = [f"{line:>5}  {start:12}  {end:12}  {length:>9}  {label}"]
    for item in selection.items:
        r = item.range
        line = str(r.line) if r.line is not None else ""
        text = (
            f"{line:>5}  {format_time(r.start_ms)}  {format_time(r.end_ms)}  "
            f"{format_time(r.duration_ms, always_hours=False):>9}  {r.label}"
        )
        if item.cues:
            cues = item.cues[0] if len(item.cues) == 1 else f"{item.cues[0]}..{item.cues[-1]}"
            padded = _(", padded") if item.padded else ""
            text += f"  [{cues}{padded}]"
        rows.append(text.rstrip())
    count = len(selection.items)
    rows.append(
        ngettext(
            "Total: {length} in {count} range", "Total: {length} in {count} ranges", count
        ).format(length=format_time(selection.duration_ms), count=count)
    )
    return rows
