"""The demo's picture: a 2x2 video-call gallery, made by ffmpeg filter graphs.

The static gallery (tiles, silhouettes, name plates) is drawn once into a PNG; the recording
then only adds the timed active-speaker frames and a clock, which keeps encoding fast.
Text is drawn with the bundled DejaVu font (no fontconfig needed), so paths and texts in
filter graphs are escaped here for both levels ffmpeg parses them at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from clipper.demo.script import Speaker

WIDTH = 1280
HEIGHT = 720
FPS = 25
BACKGROUND = "0x1b1c1f"
ACTIVE_COLOUR = "0xf5d90a"
ACTIVE_THICKNESS = 6
TILE_W = 620
TILE_H = 348
_GAP_X = (WIDTH - 2 * TILE_W) // 3
_GAP_Y = (HEIGHT - 2 * TILE_H) // 3

FONT_DIR = Path(__file__).parent / "fonts"
FONT = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class Tile:
    x: int
    y: int


def tiles() -> list[Tile]:
    """Gallery positions: top left, top right, bottom left, bottom right."""
    xs = (_GAP_X, 2 * _GAP_X + TILE_W)
    ys = (_GAP_Y, 2 * _GAP_Y + TILE_H)
    return [Tile(x, y) for y in ys for x in xs]


def escape_option(value: str) -> str:
    """Escape a filter option value (first level: `\\`, `'` and `:` are special)."""
    return "".join("\\" + c if c in "\\':" else c for c in value)


def escape_graph(text: str) -> str:
    """Escape a filter's arguments for the filter graph (second level: `\\ ' [ ] , ;`)."""
    return "".join("\\" + c if c in "\\'[],;" else c for c in text)


def filter_value(value: str) -> str:
    """A literal option value, safe inside a -filter_complex graph."""
    return escape_graph(escape_option(value))


def filter_path(path: PurePath | str) -> str:
    """A file path as a filter option value (e.g. a font for drawtext).

    PurePaths are written with forward slashes (ffmpeg accepts them on Windows too); the drive
    colon of `C:` and any backslash, quote, comma or bracket are escaped for both levels.
    """
    text = path.as_posix() if isinstance(path, PurePath) else str(path)
    return filter_value(text)


def _opts(**options: str | int) -> str:
    return ":".join(f"{key}={value}" for key, value in options.items())


def _silhouette_mask() -> str:
    """geq expression (0-255) of a head and shoulders, anti-aliased by one pixel; computed
    once and shared by all tiles because per-pixel expressions are slow."""
    cx, head_y, head_r = TILE_W // 2, 140, 58
    body_y, body_rx, body_ry = TILE_H + 28, 150, 138
    head = f"clip({head_r}+0.5-hypot(X-{cx},Y-{head_y}),0,1)"
    body = (
        f"clip((1-sqrt(pow((X-{cx})/{body_rx},2)+pow((Y-{body_y})/{body_ry},2)))*{body_ry}+0.5,0,1)"
    )
    return f"255*max({head},{body})"


def _lighter(colour: str, amount: int = 70) -> str:
    value = int(colour.removeprefix("0x").removeprefix("#"), 16)
    r, g, b = (min(255, (value >> shift & 255) + amount) for shift in (16, 8, 0))
    return f"0x{r:02x}{g:02x}{b:02x}"


def gallery_graph(speakers: Sequence[Speaker]) -> str:
    """Filter graph (no inputs, one output `[out]`) of one still frame of the gallery."""
    font, bold = filter_path(FONT), filter_path(FONT_BOLD)
    size = f"{TILE_W}x{TILE_H}"
    count = len(speakers)
    masks = "".join(f"[m{i}]" for i in range(count))
    chains = [
        f"color=c={BACKGROUND}:s={WIDTH}x{HEIGHT}:d=1,format=rgb24[bg]",
        f"color=c=black:s={size}:d=1,format=gray,"
        f"geq=lum={filter_value(_silhouette_mask())},split={count}{masks}",
    ]
    for i, speaker in enumerate(speakers):
        plate_y = TILE_H - 62
        name = _opts(
            fontfile=bold,
            text=filter_value(speaker.name),
            expansion="none",
            fontcolor="white",
            fontsize=21,
            x=22,
            y=plate_y + 8,
        )
        role = _opts(
            fontfile=font,
            text=filter_value(speaker.role),
            expansion="none",
            fontcolor="0xdddddd",
            fontsize=16,
            x=22,
            y=plate_y + 34,
        )
        chains += [
            f"color=c={_lighter(speaker.colour)}:s={size}:d=1,format=rgba[c{i}]",
            f"[c{i}][m{i}]alphamerge[p{i}]",
            f"color=c={speaker.colour}:s={size}:d=1,format=rgb24[b{i}]",
            f"[b{i}][p{i}]overlay=format=rgb,"
            f"drawbox=x=12:y={plate_y}:w=370:h=54:color=black@0.55:t=fill,"
            f"drawtext={name},drawtext={role}[t{i}]",
        ]
    last = "bg"
    for i, tile in enumerate(tiles()[:count]):
        out = "out" if i == count - 1 else f"g{i}"
        chains.append(f"[{last}][t{i}]overlay=x={tile.x}:y={tile.y}:format=rgb[{out}]")
        last = out
    return ";".join(chains)


def first_frame(ms: int) -> int:
    """The first frame shown at or after `ms` (frame n is shown from n/FPS seconds)."""
    return -(-ms * FPS // 1000)


def _enable(spans: Sequence[tuple[int, int]]) -> str:
    """An `enable` expression for the frames of [start, end) spans; frame numbers, not float
    seconds, so the switch lands on exactly the frame where the new speaker starts."""
    terms = [f"between(n,{first_frame(s)},{first_frame(e) - 1})" for s, e in spans]
    return filter_value("+".join(terms))


def recording_graph(
    speakers: Sequence[Speaker],
    spans: Sequence[tuple[Speaker, int, int]],
    *,
    video_in: str = "0:v",
    audio_in: str = "1:a",
) -> str:
    """Filter graph from the still gallery to the call picture `[v]` and the audio `[a]`:
    the still repeated at 25 fps, a bright frame round the active speaker, a small clock."""
    chain = [f"[{video_in}]format=yuv420p,loop=loop=-1:size=1:start=0,setpts=N/({FPS}*TB)"]
    t = ACTIVE_THICKNESS
    for speaker, tile in zip(speakers, tiles(), strict=False):
        own = [(s, e) for who, s, e in spans if who == speaker]
        if not own:
            continue
        box = _opts(
            x=tile.x - t // 2,
            y=tile.y - t // 2,
            w=TILE_W + t,
            h=TILE_H + t,
            color=ACTIVE_COLOUR,
            t=t,
            enable=_enable(own),
        )
        chain.append(f"drawbox={box}")
    clock = _opts(
        fontfile=filter_path(FONT),
        text=filter_value("● REC  %{pts:hms}  #%{n}"),
        fontcolor="white",
        fontsize=18,
        box=1,
        boxcolor="black@0.6",
        boxborderw=6,
        x=f"w-tw-{_GAP_X + 14}",
        y=_GAP_Y + 12,
    )
    chain.append(f"drawtext={clock}[v]")
    audio = f"[{audio_in}]aresample=32000,aformat=sample_fmts=fltp:channel_layouts=mono[a]"
    return ",".join(chain) + ";" + audio
