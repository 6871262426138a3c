"""`clipper embed`: the snippet of one event's video, found from the event's folder or slug.

The snippet is the same `clipper/site/embed.py` makes for the oEmbed files at publish
time; the picture's shape comes from the recording's probe (cached, so this is quick).
"""

from __future__ import annotations

from pathlib import Path

from clipper.archive.event import load_event
from clipper.archive.slugs import FULL_RECORDING
from clipper.archive.transcribe_event import event_folder, project_of
from clipper.errors import ClipperError
from clipper.i18n import _
from clipper.settings import SETTINGS_FILE, load_settings
from clipper.site.cache import CACHE_DIR, MediaCache
from clipper.site.derived import DerivedMedia
from clipper.site.embed import Embed, snippet

MIN_WIDTH, MAX_WIDTH = 160, 3840


def embed_snippet(
    event_ref: Path,
    *,
    project: Path | None = None,
    clip: str | None = None,
    full: bool = False,
    width: int | None = None,
) -> str:
    """The iframe and text link for a clip (by title; default: the first clip) or, with
    `full` or when the event has no clips, the full recording."""
    if clip is not None and full:
        raise ClipperError(_("choose either --clip or --full, not both"))
    if width is not None and not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ClipperError(
            _("--width must be between {low} and {high} pixels").format(
                low=MIN_WIDTH, high=MAX_WIDTH
            )
        )
    folder = event_folder(event_ref, project)
    if folder is None:
        raise ClipperError(
            _("no event of that name or folder"),
            path=event_ref,
            hint=_(
                "give the event's folder (recordings/<name>) or its name; `clipper list` shows them"
            ),
        )
    project_dir = project_of(folder)
    settings = load_settings(project_dir)
    if not settings.base_url:
        raise ClipperError(
            _("the site's public address (base_url) is not set, so no embed code can be made"),
            path=project_dir / SETTINGS_FILE,
            hint=_('add base_url = "https://video.example.de/" under [site]'),
        )
    event = load_event(folder, project_dir)
    if clip is not None:
        chosen = next((c for c in event.clips if c.title == clip), None)
        if chosen is None:
            titles = ", ".join(f"„{c.title}“" for c in event.clips) or _("none")
            raise ClipperError(
                _("the event has no clip titled {title!r}").format(title=clip),
                path=event.event_file,
                hint=_("its clips: {titles}; or use --full").format(titles=titles),
            )
        name, title = chosen.slug, chosen.title
    elif full or not event.clips:
        name, title = FULL_RECORDING, "Gesamtaufzeichnung"
    else:
        name, title = event.clips[0].slug, event.clips[0].title
    media = DerivedMedia(MediaCache(project_dir / CACHE_DIR))
    stream = media.probe(event.recording).video
    w, h = (stream.width or 0, stream.height or 0) if stream else (0, 0)
    embed = Embed(event.slug, event.title, name, title, w, h)
    return snippet(embed, settings.base_url, width)
