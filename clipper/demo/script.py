"""The demo event's content: who speaks, what they say, and when (pure data and timing).

Everything here is free of audio and ffmpeg, so the timing rules (pauses, truncation for
fast tests, the summary clip's ranges) are unit-testable with made-up utterance lengths.
People, names and quotes are invented; only the funding facts follow the real programme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SLUG = "verwaltungsrebellen-labor"
TITLE = "Förderbescheid für das Verwaltungsrebellen-Labor"
DATE = "2020-09-17"
LANGUAGE = "de"

LEAD_IN_MS = 1200
"""Silence before the first word, like a call that is already running when recording starts."""
PAUSE_SAME_SPEAKER_MS = 450
PAUSE_NEW_SPEAKER_MS = 750
TAIL_MS = 800
"""Silence after the last word; kept under a second so the length is close to the last cue."""
RANGE_LEAD_MS = 200
RANGE_TAIL_MS = 220
"""Margins of summary ranges around utterances; below half the shortest pause (no overlaps)."""
TONE_CHARS_PER_SECOND = 14


@dataclass(frozen=True)
class Voice:
    """espeak-ng settings that make one speaker sound unlike the others."""

    name: str  # espeak voice with variant, e.g. "de+f2"
    pitch: int  # 0-100, espeak default 50
    rate: int  # words per minute, espeak default 175
    tone_hz: int  # the sine used when no speech synthesizer is available


@dataclass(frozen=True)
class Speaker:
    key: str
    name: str
    role: str
    colour: str  # tile colour, ffmpeg hex "0xRRGGBB"
    voice: Voice

    @property
    def plate(self) -> str:
        return f"{self.name}, {self.role}"


@dataclass(frozen=True)
class Line:
    """One utterance of the script: who says it and a German label for clip lists."""

    speaker: Speaker
    topic: str
    text: str


@dataclass(frozen=True)
class Utterance:
    """A line placed on the recording's timeline, [start_ms, end_ms) of audible speech."""

    index: int
    line: Line
    start_ms: int
    end_ms: int

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class SummaryRange:
    start_ms: int
    end_ms: int
    label: str


MODERATION = Speaker(
    "moderation", "Anna Berger", "Moderation", "0x46586b", Voice("de+f2", 62, 155, 660)
)
LUENEN = Speaker(
    "luenen",
    "Martin Albers",
    "Bürgermeister der Stadt Lünen",
    "0x4f6449",
    Voice("de+m3", 46, 150, 330),
)
ESSEN = Speaker(
    "essen",
    "Klaus Wegener",
    "Oberbürgermeister der Stadt Essen",
    "0x6a4e4b",
    Voice("de+m1", 34, 145, 440),
)
WESEL = Speaker(
    "wesel",
    "Peter Hollmann",
    "Landrat des Kreises Wesel",
    "0x574f6e",
    Voice("de+m7", 56, 160, 550),
)
SPEAKERS: tuple[Speaker, ...] = (MODERATION, LUENEN, ESSEN, WESEL)
"""Gallery order: top left, top right, bottom left, bottom right."""

LINES: tuple[Line, ...] = (
    Line(
        MODERATION,
        "Begrüßung durch die Moderation",
        "Guten Tag und herzlich willkommen zu unserer digitalen Feierstunde! Heute wird der "
        "Förderbescheid für das Verwaltungsrebellen-Labor überreicht.",
    ),
    Line(
        MODERATION,
        "Vorstellung der Gäste",
        "Zugeschaltet sind der Bürgermeister der Stadt Lünen, der Oberbürgermeister der Stadt "
        "Essen und der Landrat des Kreises Wesel. Herr Albers, warum braucht Lünen ein "
        "solches Labor?",
    ),
    Line(
        LUENEN,
        "Bürgermeister Lünen: Warum ein Labor",
        "Vielen Dank, Frau Berger. Verwaltung hat oft den Ruf, langsam und verschlossen zu "
        "sein. Wir wollen zeigen, dass es auch anders geht. Im Labor probieren wir neue Wege "
        "aus, gemeinsam mit den Menschen, für die wir arbeiten.",
    ),
    Line(
        LUENEN,
        "Bürgermeister Lünen: Was Open Government bedeutet",
        "Open Government heißt für uns: Wir legen offen, wie Entscheidungen entstehen, wir "
        "stellen Daten zur Verfügung, und wir laden die Bürgerinnen und Bürger ein, "
        "mitzureden, bevor etwas beschlossen ist.",
    ),
    Line(
        MODERATION,
        "Frage an den Oberbürgermeister von Essen",
        "Herr Wegener, Essen ist eine Großstadt, Lünen eine Mittelstadt, und der Kreis Wesel "
        "ist eher ländlich geprägt. Wie passt das zusammen?",
    ),
    Line(
        ESSEN,
        "Oberbürgermeister Essen: Zusammenarbeit über Stadtgrenzen",
        "Gerade das ist unsere Stärke. Die Menschen im Ruhrgebiet fragen nicht, wo eine "
        "Stadtgrenze verläuft. Sie pendeln, sie kaufen ein, sie engagieren sich über die "
        "Grenzen hinweg. Also sollte auch die Verwaltung über diese Grenzen hinweg "
        "zusammenarbeiten.",
    ),
    Line(
        ESSEN,
        "Oberbürgermeister Essen: Voneinander lernen",
        "Wir müssen nicht jedes Rad dreimal erfinden. Was in Essen funktioniert, kann Lünen "
        "übernehmen, und was der Kreis Wesel entwickelt, hilft auch uns.",
    ),
    Line(
        MODERATION,
        "Frage an den Landrat",
        "Herr Hollmann, was erhoffen Sie sich für den Kreis Wesel?",
    ),
    Line(
        WESEL,
        "Landrat Wesel: Digitale Beteiligung auf dem Land",
        "Im ländlichen Raum sind die Wege zum Kreishaus weit. Digitale Beteiligung bringt die "
        "Verwaltung zu den Menschen nach Hause. Ob Radwegeplanung oder Klimaschutz: Wer "
        "mitreden will, soll das vom Küchentisch aus tun können.",
    ),
    Line(
        WESEL,
        "Landrat Wesel: Neue Wege in der Verwaltung",
        "Und wir wollen unseren Mitarbeiterinnen und Mitarbeitern Mut machen. "
        "Verwaltungsrebellen sind keine Störenfriede, sondern Menschen, die Dinge besser "
        "machen wollen. Dafür brauchen sie Freiraum, und genau den schafft das Labor.",
    ),
    Line(
        MODERATION,
        "Die Förderung durch den Bund",
        "Zur Einordnung: Das Bundesministerium des Innern fördert dreizehn regionale "
        "Open-Government-Labore in ganz Deutschland. Jedes Labor erhält 180.000 Euro, die "
        "Förderung läuft von 2020 bis Ende 2022.",
    ),
    Line(
        LUENEN,
        "Bürgermeister Lünen: Was Bürgerinnen und Bürger erwarten können",
        "Die Bürgerinnen und Bürger können sich auf Werkstätten, Online-Befragungen und offene "
        "Daten freuen. Und wir werden ehrlich berichten, was funktioniert hat und was nicht. "
        "Auch das gehört zu einer offenen Verwaltung.",
    ),
    Line(
        ESSEN,
        "Oberbürgermeister Essen: Dank",
        "Ich danke allen, die diesen Antrag möglich gemacht haben. Jetzt beginnt die "
        "eigentliche Arbeit, und darauf freue ich mich.",
    ),
    Line(
        WESEL,
        "Landrat Wesel: Schlusswort",
        "Dem schließe ich mich an. Wir haben viel vor, und wir freuen uns auf alle, die "
        "mitmachen. Lassen Sie uns loslegen!",
    ),
    Line(
        MODERATION,
        "Verabschiedung",
        "Vielen Dank an Sie drei und an alle, die heute zugeschaltet sind. Die Aufzeichnung "
        "und das Transkript finden Sie in Kürze auf den Seiten der Stadt Lünen. Auf "
        "Wiedersehen!",
    ),
)

SUMMARY_TITLE = "Zusammenfassung"
SUMMARY: tuple[tuple[int, int, str], ...] = (
    (0, 1, "Begrüßung durch die Moderation"),
    (2, 2, "Bürgermeister Lünen: Warum ein Labor"),
    (5, 5, "Oberbürgermeister Essen: Zusammenarbeit über Stadtgrenzen"),
    (8, 8, "Landrat Wesel: Digitale Beteiligung auf dem Land"),
    (10, 10, "Die Förderung: eines von 13 Laboren"),
)
"""The summary clip: (first line, last line, label), chronological, 10-30 s each."""

DESCRIPTION = """\
**Pressemitteilung der Stadt Lünen**

Lünen, Essen und der Kreis Wesel gehen gemeinsam neue Wege: Mit dem
*Verwaltungsrebellen-Labor* entsteht ein regionales Open-Government-Labor, in dem Verwaltung,
Politik und Stadtgesellschaft zusammen ausprobieren, wie Verwaltung offener, verständlicher und
beteiligungsfreundlicher werden kann.

Das Labor ist eines von bundesweit 13 „Regionalen Open Government Laboren“, die das
Bundesministerium des Innern fördert. Jedes Labor erhält 180.000 Euro; die Förderung läuft von
2020 bis Ende 2022. Den Förderbescheid haben die drei Partner in einer digitalen Feierstunde
entgegengenommen.

„Verwaltung hat oft den Ruf, langsam und verschlossen zu sein. Wir wollen zeigen, dass es auch
anders geht“, sagt Martin Albers, Bürgermeister der Stadt Lünen. Der Oberbürgermeister der
Stadt Essen, Klaus Wegener, betont die Zusammenarbeit über Stadtgrenzen hinweg, und Landrat
Peter Hollmann will digitale Beteiligung gerade in den ländlichen Teil des Kreises Wesel bringen.

Was Bürgerinnen und Bürger erwarten können:

- Werkstätten und Online-Befragungen zu Vorhaben, bevor sie beschlossen sind
- offene Daten der drei Verwaltungen
- Beteiligung, die auch vom Küchentisch aus möglich ist
- ehrliche Berichte darüber, was funktioniert hat und was nicht

*Hinweis: Dies ist ein Demo-Inhalt. Personen, Namen und Zitate sind erfunden, die Stimmen
synthetisch erzeugt.*
"""

PLAIN_LANGUAGE = """\
Drei Orte arbeiten zusammen: die Stadt Lünen, die Stadt Essen und der Kreis Wesel.

Sie machen ein Labor. Ein Labor ist hier ein Ort zum Ausprobieren.
Dort probieren sie neue Ideen aus. Die Ideen sollen die Verwaltung besser machen.
Die Bürgerinnen und Bürger dürfen mitmachen.

Das Labor bekommt Geld vom Staat. In dem Video sprechen vier Personen darüber.
"""

VISUAL_DESCRIPTION = (
    "Eine Video-Konferenz mit vier Personen. Das Bild ist in vier gleich große Felder geteilt, "
    "jedes Feld hat eine eigene Farbe und zeigt eine gezeichnete Silhouette statt eines "
    "Kamerabilds. In jedem Feld steht, wer dort zu sehen ist:\n\n"
    + "".join(f"- {s.plate}\n" for s in SPEAKERS)
    + "\nDas Feld der Person, die gerade spricht, hat einen gelben Rahmen. Eine Uhr zeigt die "
    "Zeit der Aufzeichnung. Es werden keine Folien und keine weiteren Texte gezeigt.\n"
)

SETTINGS = """\
# Demo-Einstellungen: alle Angaben gehören zur erfundenen Stadt Musterhausen (keine echte
# Behörde, keine echten Adressen). Für eine echte Website: clipper init, dann ausfüllen.
[site]
title = "Videoarchiv (Demo)"
description = "Aufzeichnungen von Veranstaltungen mit Untertiteln, Transkript und Kapiteln."
publisher = "Stadt Musterhausen (erfundene Stadt, Demo), Pressestelle"
imprint_url = "https://example.org/musterhausen-demo/impressum"

[accessibility]
contact_email = "barrierefreiheit@example.org"
contact_address = "Rathausplatz 1, 12345 Musterhausen (erfundene Adresse, Demo)"
status = "teilweise"
known_issues = "Die Videos haben keine Audiodeskription; was zu sehen ist, beschreibt der Text."
"""

TONE_NOTICE = (
    "*Die Tonspur dieser Demo ist ein Platzhalter aus Sinustönen (ein Ton je Person), weil "
    "keine Sprachausgabe verfügbar war. Das Transkript zeigt, was gesagt worden wäre.*"
)

CREDITS = """\
Aufzeichnung: Pressestelle der Stadt Lünen · Demo-Inhalt, synthetische Stimmen
(eSpeak NG) · Schrift im Bild: DejaVu Sans
"""


def estimate_ms(text: str) -> int:
    """How long a line would take to say; used for the tone stand-in without a synthesizer."""
    return max(1000, round(len(text) * 1000 / TONE_CHARS_PER_SECOND))


def lay_out(lines: Sequence[Line], durations_ms: Sequence[int]) -> list[Utterance]:
    """Place lines one after another with short pauses (longer when the speaker changes)."""
    if len(lines) != len(durations_ms):
        raise ValueError("one duration per line is needed")
    out: list[Utterance] = []
    clock = LEAD_IN_MS
    for index, (line, duration) in enumerate(zip(lines, durations_ms, strict=True)):
        if duration <= 0:
            raise ValueError(f"line {index} has no duration")
        if out:
            same = out[-1].line.speaker == line.speaker
            clock += PAUSE_SAME_SPEAKER_MS if same else PAUSE_NEW_SPEAKER_MS
        out.append(Utterance(index, line, clock, clock + duration))
        clock += duration
    return out


def truncate(utterances: Sequence[Utterance], seconds_limit: int | None) -> list[Utterance]:
    """Keep the utterances that end within `seconds_limit` (at least the first one)."""
    if seconds_limit is None:
        return list(utterances)
    limit_ms = seconds_limit * 1000
    kept = [u for u in utterances if u.end_ms <= limit_ms]
    return kept or list(utterances[:1])


def recording_ms(utterances: Sequence[Utterance]) -> int:
    """Length of the recording: the last word plus a short tail."""
    return (utterances[-1].end_ms if utterances else 0) + TAIL_MS


def speaker_spans(utterances: Sequence[Utterance], total_ms: int) -> list[tuple[Speaker, int, int]]:
    """Who is shown as the active speaker, [start, end): like a video call, the frame stays on
    the last speaker through pauses and switches the moment the next person starts talking."""
    spans: list[tuple[Speaker, int, int]] = []
    for u in utterances:
        if spans and spans[-1][0] == u.line.speaker:
            continue
        if spans:
            speaker, start, _end = spans[-1]
            spans[-1] = (speaker, start, u.start_ms)
        spans.append((u.line.speaker, u.start_ms, total_ms))
    return spans


def summary_ranges(
    utterances: Sequence[Utterance],
    total_ms: int,
    cue_bounds: Sequence[tuple[int, int]] = (),
) -> list[SummaryRange]:
    """The summary clip's ranges: the planned ones that fit the (maybe shortened) recording.

    If fewer than two fit, one range per utterance is used, and if only one utterance is left,
    its cues (`cue_bounds`) are split into two halves, so a clip always has at least 2 parts.
    """
    by_index = {u.index: u for u in utterances}

    def around(start_ms: int, end_ms: int, label: str) -> SummaryRange:
        return SummaryRange(
            max(0, start_ms - RANGE_LEAD_MS), min(total_ms, end_ms + RANGE_TAIL_MS), label
        )

    planned = [
        around(by_index[first].start_ms, by_index[last].end_ms, label)
        for first, last, label in SUMMARY
        if first in by_index and last in by_index
    ]
    if len(planned) >= 2:
        return planned
    if len(utterances) >= 2:
        return [around(u.start_ms, u.end_ms, u.line.topic) for u in utterances]
    if not utterances:
        return []
    only = utterances[0]
    if len(cue_bounds) < 2:
        middle = (only.start_ms + only.end_ms) // 2
        cue_bounds = [(only.start_ms, middle), (middle, only.end_ms)]
    half = len(cue_bounds) // 2
    first_part, second_part = cue_bounds[:half], cue_bounds[half:]
    return [
        SummaryRange(
            max(0, first_part[0][0] - RANGE_LEAD_MS), first_part[-1][1], f"{only.line.topic} (1)"
        ),
        SummaryRange(
            second_part[0][0],
            min(total_ms, second_part[-1][1] + RANGE_TAIL_MS),
            f"{only.line.topic} (2)",
        ),
    ]
