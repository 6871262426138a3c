"""Fuzzing the CLI: hundreds of bad paths and inputs, and not one may destroy data.

One small real project (a generated recording, two events with transcripts and clips, a
published site) is fingerprinted once. Then every command that takes a path or text runs on
cases drawn by a seeded generator from pools of hostile inputs: the archive itself, `.` and
`/`, `..` chains, symlinks and hard links to originals, FIFOs, devices, folders, missing,
empty, binary and huge-line files, control characters, ffmpeg protocol names, long, NFD and
Windows device names, broken times, ranges and ports, deeply nested TOML.

Every case must end with exit code 0, 1 or 2 (Click's usage errors), without a traceback or
an "internal error", an exit 1 must say why in one `error:` line, and every file of the
project (and of the hostile inputs) must be byte-identical afterwards. The only place a case
may write is its own output folder outside the project, emptied after each case; cases are
built so that any write into the project would be a bug (`ingest` only meets recordings that
are archived already or arguments it must refuse; `publish --out`, `serve` and `demo` only
targets they must refuse).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from clirun import run
from test_publish import make_project
from tree import leftovers, tree_hashes

from clipper.site.build import publish

SEED = 20240517
CASES_PER_COMMAND = 30
FIFO_DEADLINE_S = 60.0  # generous: a refused FIFO is never opened, so this never waits

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


@dataclass
class World:
    root: Path  # the project, and the working directory of every case
    scratch: Path  # hostile inputs outside the project
    out: Path  # the one folder a case may write into
    project_hashes: dict[str, str]
    scratch_hashes: dict[str, str]
    project_names: list[str]  # folders too: an empty new folder is a change as well


ORIGINAL = "recordings/foerderung/aufzeichnung.mp4"
TRANSCRIPT = "transcripts/foerderung.de.vtt"
DEMO_SLUG = "verwaltungsrebellen-labor"  # an event of the user's under the demo's name


def _make_scratch(scratch: Path, root: Path) -> None:
    """The hostile files, in a folder beside the project."""
    original = root / ORIGINAL
    rng = random.Random(SEED)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    (scratch / "ordner").mkdir()
    (scratch / "ordner" / "brief.docx").write_bytes(b"PK\x03\x04 nicht anfassen")
    (scratch / "leer.mp4").write_bytes(b"")
    (scratch / "leer.vtt").write_bytes(b"")
    (scratch / "leer.ranges").write_bytes(b"")
    for suffix in (".mp4", ".vtt", ".ranges", ".csv"):
        (scratch / f"muell{suffix}").write_bytes(garbage)
    (scratch / "eine-zeile.vtt").write_text("WEBVTT\n\n" + "A" * 3_000_000, encoding="utf-8")
    (scratch / "eine-zeile.ranges").write_text("0:01-0:02 " + "x" * 3_000_000, encoding="utf-8")
    (scratch / "text.mp4").write_text("Notizen zur Sitzung\n", encoding="utf-8")
    (scratch / "halb.mp4").write_bytes(original.read_bytes()[: original.stat().st_size // 2])
    (scratch / "link-original.mp4").symlink_to(original)
    (scratch / "link-transkript.vtt").symlink_to(root / TRANSCRIPT)
    (scratch / "link-recordings").symlink_to(root / "recordings", target_is_directory=True)
    os.link(original, scratch / "hardlink-original.mp4")
    (scratch / "kaputter-link.vtt").symlink_to(scratch / "gibt-es-nicht.vtt")
    shutil.copy(root / TRANSCRIPT, scratch / "bad\x1b[31m\x07name.vtt")
    shutil.copy(root / TRANSCRIPT, scratch / "Begru\u0308ssung.vtt")  # NFD
    for device in ("CON", "nul.vtt", "COM1.mp4"):
        shutil.copy(root / TRANSCRIPT, scratch / device)
    (scratch / ("l" * 250 + ".vtt")).write_bytes((root / TRANSCRIPT).read_bytes())
    ranges = {
        "rueckwaerts.ranges": "0:04 - 0:02 rückwärts\n",
        "leer-bereich.ranges": "0:02 - 0:02 nichts\n",
        "ueberlappend.ranges": "0:01 - 0:04 a\n0:02 - 0:03 b\n",
        "zu-lang.ranges": "0:00 - 99:00:00 alles\n",
        "falsche-zeit.ranges": "0:6x - 0:07\n1:2:3:4 - 5\n",
        "fremde-cue.ranges": "#cue-999\n",
        "nur-kommentar.ranges": "# nichts\n",
        "steuerzeichen.ranges": "0:01 - 0:02 \x1b[2J\x07Titel\n",
        "ok.ranges": "0:01 - 0:02 Begrüßung\n",
    }
    for name, text in ranges.items():
        (scratch / name).write_text(text, encoding="utf-8")
    (scratch / "kaputt.vtt").write_text(
        "WEBVTT\n\n00:00:0 --> 00:00:01.000\nkaputt\n\n00:00:03.000 --> 00:00:02.000\nrück\n",
        encoding="utf-8",
    )
    deep = scratch / "tief"
    deep.mkdir()
    (deep / "event.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    control = scratch / "steuer-event"
    control.mkdir()
    (control / "event.toml").write_text('title = "a\\u001b[2Jb"\ndate = 2020-01-01\n')
    foreign = scratch / "fremde-site"
    foreign.mkdir()
    (foreign / ".clipper-site.json").write_text("{}")
    (foreign / "index.html").write_text("<p>eine andere Website</p>")
    if hasattr(os, "mkfifo"):
        os.mkfifo(scratch / "fifo.vtt")
        os.mkfifo(scratch / "fifo.mp4")
    # A recording that is not archived yet (one byte more): `ingest` would really take it.
    (scratch / "neu.mp4").write_bytes(original.read_bytes() + b"\0")


def _record_checksum(event_toml: Path, recording: Path) -> None:
    """What `ingest` records, so `ingest` knows these recordings are archived already."""
    digest = hashlib.sha256(recording.read_bytes()).hexdigest()
    with event_toml.open("a", encoding="utf-8") as file:
        file.write(f'\n[original]\nsha256 = "{digest}"\nsize = {recording.stat().st_size}\n')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, h264_source: Path) -> Iterator[World]:
    base = tmp_path_factory.mktemp("fuzz")
    root = base / "projekt"
    for slug in ("foerderung", DEMO_SLUG):
        event = make_project(root, h264_source, slug=slug)
        _record_checksum(event / "event.toml", event / "aufzeichnung.mp4")
    publish(root)
    scratch = base / "fremd"
    scratch.mkdir()
    _make_scratch(scratch, root)
    out = base / "ausgabe"
    out.mkdir()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        yield World(root, scratch, out, tree_hashes(root), tree_hashes(scratch), _names(root))
    finally:
        os.chdir(cwd)


# --- the pools ----------------------------------------------------------------------------
# Paths are relative to the project (the working directory) unless they start with "@",
# which stands for the scratch folder, or "!", which stands for the case's output folder.

PROJECT_PATHS = [
    ".", "./", "..", "../..", "../../../../../../..", "/", "recordings", "recordings/",
    "recordings/foerderung", "recordings/foerderung/", ORIGINAL, "recordings/foerderung/event.toml",
    f"recordings/{DEMO_SLUG}/aufzeichnung.mp4", "transcripts", TRANSCRIPT,
    "recordings/../recordings/foerderung/aufzeichnung.mp4",
    "./recordings//foerderung/./aufzeichnung.mp4", "recordings/foerderung/../../" + TRANSCRIPT,
    "site", "site/index.html", "site/events", "site/events/foerderung",
    "site/events/foerderung/zusammenfassung.mp4", "site/events/foerderung/zusammenfassung.vtt",
    ".clipper-cache", ".clipper-id", "@link-recordings", "@link-recordings/foerderung",
]  # fmt: skip
HOSTILE_PATHS = [
    "@ordner", "@leer.mp4", "@leer.vtt", "@muell.mp4", "@muell.vtt", "@eine-zeile.vtt",
    "@text.mp4", "@halb.mp4", "@link-original.mp4", "@link-transkript.vtt",
    "@hardlink-original.mp4", "@kaputter-link.vtt", "@bad\x1b[31m\x07name.vtt",
    "@Begru\u0308ssung.vtt", "@CON", "@nul.vtt", "@COM1.mp4", "@" + "l" * 250 + ".vtt",
    "@" + "x" * 300 + ".mp4", "@gibt-es-nicht.mp4", "@fehlt/auch/nicht.vtt", "@kaputt.vtt",
    "@fifo.vtt", "@fifo.mp4", "/dev/zero", "/dev/null", "/proc/self/mem", "-", "", " ",
    "concat:" + ORIGINAL + "|" + ORIGINAL, "subfile,,start,0,end,100,,:" + ORIGINAL,
    "file:" + ORIGINAL, "pipe:0", "http://127.0.0.1:9/x.mp4", "CON", "NUL", "aux.mp4",
    "name\nmit\nzeilen.vtt", "\x1b]0;titel\x07.mp4", "C:\\Users\\x\\aufnahme.mp4",
    "\\\\server\\freigabe\\a.mp4", "~/aufnahme.mp4", "$HOME/a.mp4", "*.mp4",
]  # fmt: skip
RANGES_PATHS = [
    "@leer.ranges", "@muell.ranges", "@muell.csv", "@eine-zeile.ranges", "@rueckwaerts.ranges",
    "@leer-bereich.ranges", "@ueberlappend.ranges", "@zu-lang.ranges", "@falsche-zeit.ranges",
    "@fremde-cue.ranges", "@nur-kommentar.ranges", "@steuerzeichen.ranges", "@ok.ranges",
    "@tief", "@tief/event.toml", "@steuer-event",
]  # fmt: skip
BAD_TARGETS = [  # outputs that must be refused
    ".", "..", "/", "recordings", "recordings/foerderung", ORIGINAL, TRANSCRIPT,
    f"recordings/{DEMO_SLUG}/aufzeichnung.mp4", "recordings/foerderung/event.toml",
    "recordings/neu.mp4", "transcripts/neu.vtt", "recordings/foerderung/clip.mp4",
    "./recordings/../" + ORIGINAL, "@link-original.mp4", "@hardlink-original.mp4",
    "@link-transkript.vtt", "@link-recordings/foerderung/clip.mp4", "@ordner", "@fifo.mp4",
    "/dev/null", "@fremde-site", "@fehlt/ordner/clip.mp4", "site/events",
    "@" + "x" * 300 + ".mp4", "concat:" + ORIGINAL, "",
]  # fmt: skip
GOOD_TARGETS = ["!clip.mp4", "!untertitel.srt", "!untertitel.vtt", "!Begru\u0308ssung.mp4"]
RANGES = [
    "0:04-0:02", "0:02-0:02", "0:00-99:00:00", "-0:01-0:02", "0:6x-0:07", "1:2:3:4-5", "",
    "-", "nan-inf", "1e309-2", "0:01,5-0:02", "٠:٠١-٠:٠٢", "#cue-999", "#cue-3..#cue-1",
    '"gibt es nicht"', "0:01-0:02 \x1b[2J\x07", "0:01 - 0:02 +-5s", "0" * 5000,
    "0:01-0:02 +99999999999999999999s", "00:00:01:99 - 00:00:02:00", "0:01-0:03",
]  # fmt: skip
TIMES = ["", "-1", "99:99", "1:2:3:4", "abc", "1e309", "nan", "0:00:00.0001", "9" * 400]
TEXTS = ["", " ", "\x1b[2J", "\x07\x08", "Titel\nzweite Zeile", "x" * 5000, "\u202eRTL", "..",
         "/", "CON", "[bold]rich[/bold]", "%s%n", "Begru\u0308ssung", "\udcff"]  # fmt: skip
DATES = ["2024-13-01", "2024-02-30", "17.05.2024", "", " ", "9999-99-99", "0000-01-01",
         "2024-05-17T10:00", "heute", "२०२४-०५-१७", "-2024-05-17"]  # fmt: skip
SLUGS = ["..", "../x", "/abs", ".hidden", "con", "nul.txt", "recordings", "a/b", "a\\b", "",
         "ÄÖÜ", "x" * 300, "-rf", "foerderung", " ", "\x1b"]  # fmt: skip
PORTS = ["-1", "0", "65536", "99999999999999999999", "abc", "80.5", "", "0x1f90", "1e3"]
NOT_SITES = ["@leer.mp4", "@fifo.vtt", "/dev/null", "@gibt-es-nicht", ORIGINAL, "@CON", "-"]
PROJECTS = [*PROJECT_PATHS[2:], "@ordner", "@fifo.vtt", "/dev/null", "@gibt-es-nicht",
            "@tief", "@steuer-event", "@link-recordings", "@leer.mp4"]  # fmt: skip

ARCHIVED = [ORIGINAL, f"recordings/{DEMO_SLUG}/aufzeichnung.mp4", "@link-original.mp4",
            "@hardlink-original.mp4"]  # fmt: skip
INGEST_BAD = [  # (option, values that must each stop `ingest` before it writes)
    ("--title", ["", " ", "\x1b[2J", "\x07\x08", "a\x9bb"]),
    ("--date", [d for d in DATES if d.strip()]),
    ("--slug", SLUGS[:12]),
    ("--transcript", ["@leer.vtt", "@muell.vtt", "@eine-zeile.vtt", "@kaputter-link.vtt",
                      "@kaputt.vtt", "@fifo.vtt", "/dev/zero", "/dev/null", "@ordner", "-",
                      "@gibt-es-nicht.mp4", "@" + "x" * 300 + ".mp4", "@text.mp4"]),
    ("--project", ["recordings", "recordings/foerderung", "transcripts", "site", "@ordner/x",
                   "@fifo.vtt", "/dev/null", "@link-recordings", "@leer.mp4", ORIGINAL]),
]  # fmt: skip


def _generate() -> list[list[str]]:
    """The cases: argument lists for the CLI, drawn from the pools with a fixed seed."""
    rng = random.Random(SEED)
    pick = rng.choice
    inputs = PROJECT_PATHS + HOSTILE_PATHS
    subtitles = [TRANSCRIPT, *HOSTILE_PATHS]
    cases: list[list[str]] = []

    def cut() -> list[str]:
        source = pick([ORIGINAL, ORIGINAL, "@link-original.mp4", *inputs])
        target = pick(BAD_TARGETS + GOOD_TARGETS)
        args = ["cut", source, "-o", target]
        if rng.random() < 0.5:
            args += ["-r", pick(RANGES_PATHS + inputs)]
        else:
            args += [a for r in rng.sample(RANGES, rng.randint(1, 3)) for a in ("--range", r)]
        if rng.random() < 0.5:
            args += ["-s", pick(subtitles)]
        if target.startswith("!") or rng.random() < 0.3:
            args.append("--dry-run")  # a good target would really be cut: plan only
        return args

    def ingest() -> list[str]:
        # Recordings archived already (ingest then does nothing) or unusable, with any
        # argument; or a new recording with one argument that must stop it before it writes.
        if rng.random() < 0.6:
            args = ["ingest", pick(ARCHIVED + HOSTILE_PATHS + PROJECT_PATHS[:-6])]
            for option, values in rng.sample(INGEST_BAD, rng.randint(0, 2)):
                args += [option, pick(values)]
            if rng.random() < 0.3:
                args += ["--title", pick(TEXTS)]
            return args
        option, values = pick(INGEST_BAD)
        return ["ingest", "@neu.mp4", option, pick(values)]

    makers = {
        "probe": lambda: ["probe", pick(inputs), *rng.sample(["--json", "--allow-damaged"], 1)],
        "cut": cut,
        "ranges check": lambda: [
            "ranges",
            "check",
            pick(RANGES_PATHS + inputs),
            *pick([[], ["-s", pick(subtitles)], ["--source", pick(inputs)]]),
        ],
        "transcript": lambda: [
            "transcript",
            pick(subtitles),
            *pick([[], ["--from", pick(TIMES)], ["--to", pick(TIMES)], ["-g", pick(TEXTS)]]),
        ],
        "subtitles check": lambda: [
            "subtitles",
            "check",
            pick(subtitles),
            *pick([[], ["--json"], ["--lenient"]]),
        ],
        "subtitles convert": lambda: [
            "subtitles",
            "convert",
            pick(subtitles),
            pick(BAD_TARGETS + GOOD_TARGETS + [TRANSCRIPT, "@link-transkript.vtt"]),
            *pick([[], ["--speaker", pick(TEXTS)], ["--lenient"]]),
        ],
        "ingest": ingest,
        "publish": lambda: [
            "publish",
            "--out",
            pick(BAD_TARGETS[:-4]),
            *pick([[], ["--project", pick(PROJECTS)], ["--wait", pick(["-1", "nan", "1e309"])]]),
        ],
        "list": lambda: ["list", "--project", pick(PROJECTS)],
        "verify": lambda: ["verify", "--project", pick(PROJECTS)],
        "serve": lambda: pick(
            [
                ["serve", "--port", pick(PORTS), "--site", pick(["site", *NOT_SITES])],
                ["serve", "--site", pick(NOT_SITES)],
            ]
        ),
        "demo": lambda: ["demo", "--project", pick([".", "recordings", "recordings/foerderung",
                                                     "transcripts", "site", "@link-recordings"])],
    }  # fmt: skip
    for maker in makers.values():
        seen: set[tuple[str, ...]] = set()
        for _ in range(CASES_PER_COMMAND * 4):
            args = maker()
            if tuple(args) not in seen:
                seen.add(tuple(args))
                cases.append(args)
            if len(seen) == CASES_PER_COMMAND:
                break
    return cases


CASES = _generate()


def _names(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _resolve(args: list[str], world: World) -> list[str]:
    def one(arg: str) -> str:
        if arg.startswith("@"):
            return str(world.scratch / arg[1:])
        if arg.startswith("!"):
            return str(world.out / arg[1:])
        return arg

    return [one(a) for a in args]


class FifoWatch:
    """Unblocks a command that opened one of the FIFOs (a bug: it must refuse them unopened)
    by opening the other end after a deadline, so a bug fails the case instead of hanging."""

    def __init__(self, fifos: list[Path]) -> None:
        self.fifos = fifos
        self.opened = False
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        if self.done.wait(FIFO_DEADLINE_S):
            return
        for fifo in self.fifos:
            for flags in (os.O_WRONLY | os.O_NONBLOCK, os.O_RDONLY | os.O_NONBLOCK):
                try:
                    os.close(os.open(fifo, flags))
                    self.opened = True
                except OSError:
                    pass

    def __enter__(self) -> FifoWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()


@needs_fifo
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_bad_input_never_changes_a_file(
    world: World, case: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_server(*args: object, **kwargs: object) -> None:
        raise AssertionError("a server was started: serve must have refused this case")

    monkeypatch.setattr(uvicorn, "run", no_server)
    args = _resolve(case, world)
    with FifoWatch([world.scratch / "fifo.vtt", world.scratch / "fifo.mp4"]) as watch:
        result = run(*args)
    output = result.output
    try:
        assert not watch.opened, f"a FIFO was opened: {output}"
        assert "Traceback" not in output and "internal error" not in output, output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{result.exception!r}\n{output}"
        )
        assert result.exit_code in (0, 1, 2), output
        if result.exit_code == 1:
            errors = [line for line in output.splitlines() if line.startswith("error: ")]
            assert len(errors) == 1 and output.rstrip().endswith(errors[0]), output
        assert tree_hashes(world.root) == world.project_hashes, output
        assert _names(world.root) == world.project_names, output
        assert leftovers(world.root) == [], output
        assert tree_hashes(world.scratch) == world.scratch_hashes, output
        assert not (world.scratch / "gibt-es-nicht.mp4").exists()
    finally:
        for entry in world.out.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def test_the_cases_cover_every_command_and_hundreds_of_inputs() -> None:
    commands = {" ".join(c[:2]) if c[0] in ("ranges", "subtitles") else c[0] for c in CASES}
    assert commands == {
        "probe", "cut", "ranges check", "transcript", "subtitles check", "subtitles convert",
        "ingest", "publish", "list", "verify", "serve", "demo",
    }  # fmt: skip
    assert len(CASES) >= 300
