"""Every setting of clipper.toml and event.toml, explained once, in German, for staff.

`clipper init` writes clipper.toml's comments from this table, `clipper ingest` writes the
page keys of event.toml as commented placeholders from it, and docs/einstellungen.md is
generated from it (tests/test_office_docs.py checks the file is up to date and that every
key the readers know is listed here). Page texts for staff are German in the file itself.
"""

from __future__ import annotations

from dataclasses import dataclass

PLACEHOLDER = "BITTE AUSFÜLLEN"
"""Marks a value `clipper init` wrote for the user to replace; the preflight refuses it."""
PLACEHOLDER_HOST = "bitte-ausfuellen.invalid"  # `.invalid` never resolves (RFC 2606)


def is_placeholder(value: str | None) -> bool:
    """True for a value still as `clipper init` wrote it (or empty)."""
    if value is None or not value.strip():
        return True
    lowered = value.lower()
    return PLACEHOLDER.lower() in lowered or PLACEHOLDER_HOST in lowered


@dataclass(frozen=True)
class Key:
    """One setting: where it is, what it does (German), an example line, whether required."""

    table: str  # "site", "accessibility" (clipper.toml); "" top level, "clips" (event.toml)
    name: str
    text: str
    example: str
    required: bool = False
    placeholder: str | None = None  # what `clipper init` writes as the value (uncommented)


SETTINGS_KEYS = (
    Key("site", "title", "Name der Website, steht oben auf jeder Seite.", '"Videoarchiv"'),
    Key(
        "site",
        "description",
        "Ein Satz über die Website (für Suchmaschinen und Vorschauen).",
        '"Aufzeichnungen von Veranstaltungen mit Untertiteln und Transkript."',
    ),
    Key(
        "site",
        "base_url",
        "Öffentliche Adresse der Website, endet mit /. Für Links im Feed und in Vorschauen.",
        '"https://video.musterhausen.de/"',
    ),
    Key(
        "site",
        "publisher",
        "Wer die Website herausgibt (Behörde, Pressestelle). Pflicht.",
        '"Stadt Musterhausen, Pressestelle"',
        required=True,
        placeholder=f'"{PLACEHOLDER}: Stadt …, Pressestelle"',
    ),
    Key(
        "site",
        "imprint_url",
        "Adresse des Impressums der Stadt; jede Seite verlinkt es. Pflicht.",
        '"https://www.musterhausen.de/impressum"',
        required=True,
        placeholder=f'"https://{PLACEHOLDER_HOST}/impressum"',
    ),
    Key(
        "site",
        "privacy_contact",
        "Kontakt für Fragen zum Datenschutz (steht auf der Datenschutz-Seite).",
        '"datenschutz@musterhausen.de"',
    ),
    Key(
        "accessibility",
        "contact_email",
        "E-Mail für Rückmeldungen zur Barrierefreiheit (BITV 2.0). Pflicht: E-Mail, Telefon "
        "oder Anschrift.",
        '"barrierefreiheit@musterhausen.de"',
        required=True,
        placeholder=f'"barrierefreiheit@{PLACEHOLDER_HOST}"',
    ),
    Key("accessibility", "contact_phone", "Telefon für diese Rückmeldungen.", '"+49 1234 56-0"'),
    Key(
        "accessibility",
        "contact_address",
        "Postanschrift für diese Rückmeldungen.",
        '"Rathausplatz 1, 12345 Musterhausen"',
    ),
    Key(
        "accessibility",
        "status",
        'Wie weit die Website barrierefrei ist: "vollständig", "teilweise" oder "nicht".',
        '"teilweise"',
    ),
    Key(
        "accessibility",
        "statement_date",
        "Datum der Erklärung zur Barrierefreiheit (ohne Angabe: der Tag der Veröffentlichung).",
        "2026-11-01",
    ),
    Key(
        "accessibility",
        "known_issues",
        "Was noch nicht barrierefrei ist (Markdown); steht in der Erklärung.",
        '"Die Videos haben keine Audiodeskription."',
    ),
    Key(
        "accessibility",
        "enforcement_url",
        "Schlichtungsstelle, an die sich Nutzer wenden können.",
        '"https://www.schlichtungsstelle-bgg.de/"',
    ),
    Key(
        "encoding",
        "crf",
        "Bildqualität neu berechneter Teile (x264 CRF, kleiner ist besser; Standard 18).",
        "18",
    ),
    Key(
        "encoding",
        "bitrate_percent",
        "Höchste Datenrate der Clips in Prozent der Aufzeichnung (Standard 100).",
        "150",
    ),
    Key(
        "encoding",
        "max_qp",
        "Untergrenze der Bildqualität (x264 qmax, kleiner ist besser; Standard 32).",
        "32",
    ),
    Key(
        "encoding",
        "audio_kbps",
        "Höchste Datenrate des Tons in kbit/s (Standard: wie die Aufzeichnung, 32 bis 128).",
        "96",
    ),
)

EVENT_KEYS = (
    Key("", "title", "Titel der Veranstaltung (Überschrift der Seite). Pflicht.", '"…"', True),
    Key(
        "",
        "date",
        "Tag der Veranstaltung, ohne Anführungszeichen. Steht es in Anführungszeichen, hat "
        "clipper es aus der Datei genommen: prüfen und die Anführungszeichen entfernen.",
        "2026-05-17",
        True,
    ),
    Key("", "language", "Sprache der Aufzeichnung (Sprachcode).", '"de"'),
    Key("", "recording", "Die Aufzeichnung in diesem Ordner. Pflicht.", '"aufzeichnung.mp4"', True),
    Key("", "transcript", "Das Transkript (WebVTT) für Untertitel und Textfassung.", '"x.vtt"'),
    Key("", "description", "Beschreibung für die Seite (Markdown).", '"""Worum es ging …"""'),
    Key("", "credits", "Mitwirkende, Rechte (Markdown).", '"Aufzeichnung: Pressestelle"'),
    Key(
        "",
        "plain_language",
        "Zusammenfassung in Leichter Sprache (Markdown).",
        '"""Das ist passiert: …"""',
    ),
    Key(
        "",
        "visual_description",
        "Was im Video zu sehen ist, für Menschen, die es nicht sehen (Markdown).",
        '"""Zu sehen sind …"""',
    ),
    Key(
        "",
        "transcript_status",
        'Von `clipper transcribe`: "automatisch", bis jemand das Transkript geprüft hat; dann '
        '"geprüft".',
        '"geprüft"',
    ),
    Key("", "names", "Namen und seltene Wörter als Hilfe für `clipper transcribe`.", '["…"]'),
    Key("", "original", "Von `clipper ingest` geschrieben; nicht ändern.", "[original]"),
    Key("clips", "title", "Titel eines Ausschnitts ([[clips]]).", '"Zusammenfassung"', True),
    Key(
        "clips",
        "ranges",
        "Zeitbereiche des Ausschnitts, oder eine Datei mit ihnen.",
        '"0:05 - 0:42"',
        True,
    ),
)

PAGE_KEYS = ("title", "date", "description", "clips", "plain_language", "visual_description")
"""The event.toml keys a page needs, written by ingest as commented placeholders."""
