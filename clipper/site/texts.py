"""Texts around the videos that publishing derives or asks for.

A plain-text summary of the description for link previews, feeds and JSON-LD; and the
warnings for texts an accessible page should have but only staff can write.
"""

from __future__ import annotations

import html
import re

from clipper.archive.event import Event
from clipper.i18n import _


def summary_text(markdown_html: str, limit: int = 200) -> str:
    """Plain text of rendered Markdown, cut at a word boundary, for link previews."""
    blocks = re.split(r"</(?:p|h[1-6]|li|blockquote)>", markdown_html)
    sentences = []
    for block in blocks:
        words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())
        if words:  # a heading or list item becomes a sentence of its own
            sentences.append(words if words[-1] in '.!?:;…“"' else words + ".")
    text = " ".join(sentences)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def event_warnings(event: Event) -> list[str]:
    """Texts an accessible page should have but that only staff can write."""
    warnings = []
    if not event.plain_language:
        warnings.append(
            _('{event_file}: no summary in Leichte Sprache: add plain_language = """..."""').format(
                event_file=event.event_file
            )
        )
    if not event.visual_description:
        warnings.append(
            _(
                "{event_file}: no description of what is seen (WCAG "
                '1.2.3/1.2.5): add visual_description = """..."""'
            ).format(event_file=event.event_file)
        )
    if event.transcript is None:
        warnings.append(
            _("{event_file}: no transcript: the videos have no captions").format(
                event_file=event.event_file
            )
        )
    elif event.transcript_status == "automatisch":
        warnings.append(
            _(
                "{event_file}: the transcript {name} was made "
                "automatically and is not reviewed (the page says so): "
                'check it, then set transcript_status = "geprüft"'
            ).format(event_file=event.event_file, name=event.transcript.name)
        )
    return warnings
