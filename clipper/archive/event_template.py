"""The comments `clipper ingest` writes into a new event.toml: what staff fill in.

Every key a page needs is there, commented out, with a German line saying what it is
(clipper/archive/keys.py), above `[original]`; a comment marks where the user's part ends,
because TOML counts every line below `[original]` as part of that table. The commands in
the comments work when pasted anywhere in the project (an event is found by its name).
"""

from __future__ import annotations

from clipper.archive.keys import EVENT_KEYS

_PLACEHOLDERS = {
    "description": ['# description = """', "# Worum es in der Veranstaltung ging …", '# """'],
    "plain_language": ['# plain_language = """', "# Das ist passiert: …", '# """'],
    "visual_description": ['# visual_description = """', "# Zu sehen sind …", '# """'],
}

END_OF_USER_PART = (
    "# ===== Ende Ihres Teils. Neue Zeilen nur OBERHALB dieser Markierung schreiben: ====="
)


def ingest_header() -> list[str]:
    return [
        "# Von `clipper ingest` geschrieben. Titel, Datum und Texte prüfen und Ausschnitte",
        "# ergänzen: eine Zeile mit # am Anfang gilt nicht; # entfernen, um sie zu nutzen.",
        "# Erklärung aller Einträge: docs/einstellungen.md",
    ]


def page_placeholders(slug: str | None, transcript: str | None) -> list[str]:
    """The commented page keys, an example clip and the end marker."""
    texts = {k.name: k.text for k in EVENT_KEYS if k.table == ""}
    lines: list[str] = []
    for key, example in _PLACEHOLDERS.items():
        lines += [f"# {texts[key]}", *example, ""]
    target = slug or "<Ordner dieses Events>"
    ranges = ["# 0:05 - 0:42 Begrüßung"]
    if transcript is not None:
        ranges += [
            "# #cue-12..#cue-15 +0,5s  Grußwort",
            '# "neue Wege" +0,5s          (der Cue, der diese Wörter enthält)',
        ]
    lines += [
        "# Ausschnitte (clips): je Ausschnitt ein [[clips]] mit Titel und Zeitbereichen.",
        "# [[clips]]",
        '# title = "Zusammenfassung"',
        '# ranges = """',
        *ranges,
        '# """',
        *([f"# Die Nummern der Cues zeigt: clipper transcript {target}"] if transcript else []),
        f"# Dann prüfen: clipper ranges check {target}",
        "",
        END_OF_USER_PART,
        "# Unter [original] steht, was `clipper verify` prüft; dort nichts ändern.",
    ]
    return lines
