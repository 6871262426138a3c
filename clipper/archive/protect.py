"""What is protected in a project, and each command's check of its outputs against it.

The rules live in clipper.files.guard; this module knows the project's layout: the project
folder (the one holding `recordings/`), its archive folders and the files each event.toml
names. event.toml is read leniently here (peek_event): a broken one is reported by the
commands that use it, and must not switch off the protection of what it names.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from clipper.archive.eventfile import RECORDINGS, TRANSCRIPTS, named_places, peek_event
from clipper.files.guard import (
    GuardError,
    Spot,
    check_parent,
    inputs,
    inside,
    read_project_id,
    refuse_clash,
    refuse_inside_site,
    site_facts,
    site_verdict,
    spot,
)
from clipper.i18n import N_, _


def projects_around(paths: Iterable[Path]) -> list[Path]:
    """Project folders (holding `recordings/`) above the given paths and the working folder."""
    found: dict[Path, None] = {}
    for path in [*paths, Path.cwd()]:
        resolved = Path(os.path.realpath(path))
        for folder in [resolved, *resolved.parents]:
            if (folder / RECORDINGS).is_dir():
                found[folder] = None
    return list(found)


def protected_in(project: Path) -> list[Spot]:
    """The project folder, its archive folders and every event's recording and transcript.

    event.toml is read leniently here: a broken one is reported by the commands that use it.
    """
    spots = [spot(project, "project")]
    for area in (RECORDINGS, TRANSCRIPTS):
        if (project / area).is_dir():
            spots.append(spot(project / area, "archive", area))
    root = project / RECORDINGS
    if not root.is_dir():
        return spots
    for folder in sorted(root.iterdir()):
        data = peek_event(folder)
        if data is None:
            continue
        for key, kind in (("recording", "original"), ("transcript", "transcript")):
            value = data.get(key)
            if not isinstance(value, str):
                continue
            for place in named_places(value, folder, project):
                if place.exists():
                    spots.append(spot(place, kind, folder.name))  # type: ignore[arg-type]
    return spots


def check_clip_output(
    output: Path,
    *,
    source: Path,
    ranges: Path | None = None,
    subtitles: Path | None = None,
    parents: bool = False,
) -> None:
    """`clipper cut -o`: the clip, and the .vtt beside it, over nothing but an earlier clip."""
    given = inputs(
        [
            (source, N_("the recording")),
            (ranges, N_("the ranges file")),
            (subtitles, N_("the subtitles file")),
        ]
    )
    protected = [*given, *_around([source, output])]
    hint = _("choose another name, e.g. -o clip.mp4")
    refuse_clash(output, protected, hint=hint)
    if subtitles is not None:
        refuse_clash(output.with_suffix(".vtt"), protected, hint=hint)
    check_parent(output, parents=parents)


def check_subtitles_target(target: Path, *, source: Path) -> None:
    """`clipper subtitles convert`: never over the input, an original or the archive (a
    missing folder is made, as before: a subtitle file is small and easily found)."""
    protected = [*inputs([(source, N_("the subtitle file"))]), *_around([source, target])]
    refuse_clash(target, protected, hint=_("write to another name, e.g. untertitel.srt"))


def check_transcript_output(
    output: Path, *, source: Path, replace: bool = False, parents: bool = False
) -> None:
    """`clipper transcribe REC -o OUT.vtt`: never over the recording, an original, an
    event's transcript or the archive; an existing file only with --replace (kept aside)."""
    protected = [*inputs([(source, N_("the recording"))]), *_around([source, output])]
    refuse_clash(output, protected, hint=_("write to another name, e.g. -o aufzeichnung.vtt"))
    if output.exists() and not replace:
        raise GuardError(
            _("exists already"), path=output, hint=_("add --replace to keep it as .alt.vtt")
        )
    check_parent(output, parents=parents)


def check_ingest(project: Path) -> None:
    """`clipper ingest`: the project must not lie inside another project's archive."""
    outer = [s for p in projects_around([project]) for s in protected_in(p)]
    here = spot(project)
    for s in outer:
        if s.kind == "archive" and inside(here, s):
            raise GuardError(
                _("is inside the archive folder {label}/ of another project").format(label=s.label),
                path=project,
                hint=_("give the project folder (the one holding recordings/) with --project"),
            )
    refuse_inside_site(
        project, hint=_("give the project folder (the one holding recordings/) with --project")
    )


def _around(paths: Sequence[Path]) -> list[Spot]:
    return [s for p in projects_around(paths) for s in protected_in(p)]


def check_site_target(project: Path, out_dir: Path, *, parents: bool = True) -> None:
    """`clipper publish --out`: only a new or empty folder, or a site of this project, is
    replaced; never the project, its archive, an original or someone's other files."""
    protected = _around([project, out_dir])
    hint = _("choose a new or empty folder, e.g. --out site")
    refuse_clash(out_dir, protected, hint=hint, replaces_folder=True)
    if not out_dir.exists() and not out_dir.is_symlink():
        check_parent(out_dir, parents=parents)
        return
    verdict = site_verdict(*site_facts(out_dir), read_project_id(project))
    if verdict == "file":
        raise GuardError(_("is a file, not a folder"), path=out_dir, hint=hint)
    if verdict == "other-project":
        raise GuardError(
            _("is the site of another clipper project; refusing to replace it"),
            path=out_dir,
            hint=_("publish this project to a folder of its own, e.g. --out site-neu"),
        )
    if verdict == "not-a-site":
        raise GuardError(
            _("is not empty and not a clipper site; refusing to replace what is in it"),
            path=out_dir,
            hint=hint,
        )


def check_demo(project: Path, event_dir: Path, transcript: Path, *, title: str) -> None:
    """`clipper demo`: it rewrites only its own event, and publishes to the project's site/."""
    hint = _("run clipper demo in a new, empty folder")
    refuse_inside_site(project, hint=hint)
    if event_dir.exists() and _event_title(event_dir) != title:
        raise GuardError(
            _("an event with the demo's name exists and is not the demo; refusing to replace it"),
            path=event_dir,
            hint=hint,
        )
    if transcript.exists() and not event_dir.exists():
        raise GuardError(
            _("a transcript with the demo's name exists; refusing to replace it"),
            path=transcript,
            hint=hint,
        )
    check_site_target(project, project / "site", parents=True)


def _event_title(folder: Path) -> object:
    data = peek_event(folder)
    return data.get("title") if data is not None else None
