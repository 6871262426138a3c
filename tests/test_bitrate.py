"""The bitrate rule: a published clip costs at most 1.25x its recording per second.

Measured on three demo-like recordings (like `clipper demo` makes them: a mostly still
picture with some motion, 10 s GOPs, low bitrates, mono sound): H.264 High, H.264
Baseline and VP8/Opus (which is re-encoded whole, and transcoded for its web copy).
Before the rule, clips were encoded at CRF 18 with 128 kbit/s sound: a VP8 clip came out
at 4.6x its recording's bitrate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import one_line_error, run
from tree import tree_hashes

from clipper.cutting.clip import make_clip
from clipper.cutting.execute import EncodeSettings
from clipper.media.bitrate import RateRule, SourceRate, audio_bitrate, video_rate_options
from clipper.media.derive import make_web_copy
from clipper.media.ffmpeg import run_ffmpeg
from clipper.media.probe import probe
from clipper.ranges.read import parse_ranges
from clipper.settings import SettingsError, load_settings
from clipper.workflows import cut_settings

RANGES = "0:03.3 - 0:14.7 eins\n0:21.1 - 0:33.9 zwei\n"
LIMIT = 1.25

VIDEO = (
    "color=c=0x20406a:size=640x360:rate=25:duration=40[bg];"
    "testsrc2=size=160x120:rate=25:duration=40[face];"
    "[bg][face]overlay=x='40+20*sin(t/3)':y=60[v]"
)
AUDIO = "sine=frequency=220:sample_rate=32000:duration=40,volume=0.3[a0];" + (
    "anoisesrc=color=pink:amplitude=0.05:sample_rate=32000:duration=40,volume=1[a1];"
    "[a0][a1]amix=inputs=2[a]"
)
KINDS = {
    "h264-high": (
        ".mp4",
        ["-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-crf", "28",
         "-c:a", "aac", "-b:a", "48k"],
    ),
    "h264-baseline": (
        ".mp4",
        ["-c:v", "libx264", "-profile:v", "baseline", "-preset", "veryfast", "-crf", "28",
         "-c:a", "aac", "-b:a", "48k"],
    ),
    "vp8": (
        ".webm",
        ["-c:v", "libvpx", "-b:v", "250k", "-deadline", "realtime", "-cpu-used", "8",
         "-c:a", "libopus", "-b:a", "48k"],
    ),
}  # fmt: skip


@pytest.fixture(scope="module", params=list(KINDS))
def demo_like(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    suffix, codec = KINDS[request.param]
    path = tmp_path_factory.mktemp("bitrate") / f"{request.param}{suffix}"
    rate = "32000" if suffix == ".mp4" else "48000"
    graph = ["-filter_complex", f"{VIDEO};{AUDIO}", "-map", "[v]", "-map", "[a]"]
    common = ["-g", "250", "-pix_fmt", "yuv420p", "-ac", "1", "-ar", rate, "-y", str(path)]
    run_ffmpeg(graph + codec + common)
    return path


def per_second(path: Path) -> float:
    info = probe(path, scan_keyframes=False)
    return path.stat().st_size / float(info.duration)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["auto", "accurate"])
def test_a_clip_costs_at_most_a_quarter_more_per_second(
    demo_like: Path, mode: str, tmp_path: Path
) -> None:
    result = make_clip(demo_like, parse_ranges(RANGES), tmp_path / "clip.mp4", mode=mode)
    ratio = per_second(result.video) / per_second(demo_like)
    assert ratio <= LIMIT, f"{demo_like.name} {mode}: {ratio:.2f}x the recording's bytes/s"
    # and not starved either: the cap aims at the source, it does not undercut it by far
    assert ratio >= 0.4, f"{demo_like.name} {mode}: only {ratio:.2f}x"


@pytest.mark.slow
def test_a_transcoded_web_copy_costs_at_most_a_quarter_more(
    demo_like: Path, tmp_path: Path
) -> None:
    info = probe(demo_like, scan_keyframes=False)
    mode = make_web_copy(info, tmp_path / "web.mp4")
    ratio = per_second(tmp_path / "web.mp4") / per_second(demo_like)
    assert ratio <= LIMIT, f"{demo_like.name} web copy ({mode}): {ratio:.2f}x"
    assert mode == ("transcode" if demo_like.suffix == ".webm" else "remux")


def test_the_cap_follows_the_source_and_the_settings() -> None:
    rate = SourceRate(total_bps=400_000, audio_bps=48_000)
    assert video_rate_options(RateRule(), rate) == {
        "maxrate": "352k", "bufsize": "352k", "qmax": 32
    }  # fmt: skip
    assert video_rate_options(RateRule(bitrate_percent=200), rate)["maxrate"] == "704k"
    assert audio_bitrate(RateRule(), rate) == "48k"
    assert audio_bitrate(RateRule(), SourceRate(400_000, 320_000)) == "128k"  # the ceiling
    assert audio_bitrate(RateRule(), SourceRate(400_000, 8_000)) == "32k"  # the floor


def test_encoding_settings_come_from_clipper_toml(tmp_path: Path) -> None:
    (tmp_path / "clipper.toml").write_text(
        "[encoding]\ncrf = 20\nbitrate_percent = 150\nmax_qp = 30\naudio_kbps = 96\n"
    )
    encoding = load_settings(tmp_path).encoding
    assert encoding.crf == 20
    assert encoding.rates == RateRule(bitrate_percent=150, max_qp=30, audio_kbps_max=96)
    assert load_settings(tmp_path / "nothing").encoding == EncodeSettings()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[encoding]\nbitrate_percent = 0\n", ("bitrate_percent", "10", "1000")),
        ('[encoding]\ncrf = "hoch"\n', ("crf",)),
        ("[encoding]\nbitrate = 100\n", ("bitrate",)),
    ],
)
def test_a_wrong_encoding_setting_is_one_line(
    tmp_path: Path, text: str, words: tuple[str, ...]
) -> None:
    (tmp_path / "clipper.toml").write_text(text)
    (tmp_path / "recordings").mkdir()
    before = tree_hashes(tmp_path)
    with pytest.raises(SettingsError):
        load_settings(tmp_path)
    one_line_error(run("publish", "--project", tmp_path), *words)
    assert tree_hashes(tmp_path) == before


def test_cut_encodes_by_the_projects_encoding_table_and_the_command_line_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clipper.toml").write_text("[encoding]\ncrf = 30\nbitrate_percent = 150\n")
    (tmp_path / "recordings" / "sitzung").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "recordings" / "sitzung")  # anywhere inside the project
    settings = cut_settings()
    assert settings.crf == 30 and settings.rates == RateRule(bitrate_percent=150)
    assert cut_settings(crf=20, preset="slow").crf == 20
    assert cut_settings(preset="slow").parts_preset == "slow"
    monkeypatch.chdir(tmp_path.parent)  # outside any project: the defaults
    assert cut_settings() == EncodeSettings()


def test_cut_stops_at_a_wrong_encoding_table_before_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source_factory
) -> None:
    from media import SourceSpec

    source = source_factory(SourceSpec(seconds=3.0))
    (tmp_path / "clipper.toml").write_text("[encoding]\ncrf = 99\n")
    monkeypatch.chdir(tmp_path)
    before = tree_hashes(tmp_path)
    result = run("cut", source, "-o", tmp_path / "clip.mp4", "--range", "0:01-0:02")
    one_line_error(result, "crf", "0", "51")
    assert tree_hashes(tmp_path) == before
