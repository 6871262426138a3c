"""Project settings: `clipper.toml` in the project folder (next to `recordings/`).

The language of clipper's messages (`language = "de"` or `"en"`; CLIPPER_LANG wins), and
site-wide facts that no single event knows: the site's title and public address, who
publishes it, where the imprint is, and what the accessibility statement says (BITV 2.0
requires one, with a contact for feedback). Every key is optional; without the file the
site is still published, and `missing_legal_info` says which legally required facts are
absent so `clipper publish` can warn about them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from clipper.cutting.execute import EncodeSettings
from clipper.errors import ClipperError
from clipper.files.toml import as_date, load_toml, unknown_key
from clipper.i18n import LANGUAGES, _
from clipper.media.bitrate import RateRule

SETTINGS_FILE = "clipper.toml"

# BITV 2.0 / EU 2018/1523: a site is fully, partially or not compliant.
STATUS_TEXTS = {
    "vollständig": "vollständig vereinbar",
    "teilweise": "teilweise vereinbar",
    "nicht": "nicht vereinbar",
}


class SettingsError(ClipperError):
    """clipper.toml is malformed or has a wrong value."""


@dataclass(frozen=True)
class AccessibilitySettings:
    """What the Erklärung zur Barrierefreiheit states."""

    contact_email: str | None = None
    contact_phone: str | None = None
    contact_address: str | None = None
    status: str = "teilweise"
    statement_date: dt.date | None = None
    known_issues: str = ""  # Markdown
    enforcement_url: str = "https://www.schlichtungsstelle-bgg.de/"

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone or self.contact_address)

    @property
    def status_text(self) -> str:
        return STATUS_TEXTS[self.status]


@dataclass(frozen=True)
class Settings:
    """All project settings, with defaults that publish a working (if anonymous) site."""

    title: str = "Videoarchiv"
    description: str = "Aufzeichnungen von Veranstaltungen mit Untertiteln und Transkript."
    base_url: str | None = None  # e.g. "https://video.musterhausen.de/" (ends with /)
    publisher: str | None = None
    imprint_url: str | None = None
    privacy_contact: str | None = None
    accessibility: AccessibilitySettings = field(default_factory=AccessibilitySettings)
    encoding: EncodeSettings = field(default_factory=EncodeSettings)  # [encoding]
    language: str | None = None  # "de" or "en" for clipper's messages; CLIPPER_LANG wins
    source: Path | None = None  # the file read, if any

    def missing_legal_info(self) -> list[str]:
        """Warnings for facts a public body's site must state (and clipper cannot invent)."""
        where = str(self.source or SETTINGS_FILE)
        warnings = []
        if not self.accessibility.has_contact:
            warnings.append(
                _(
                    "{where}: no feedback contact for the accessibility "
                    "statement (BITV 2.0 requires one): set [accessibility] contact_email"
                ).format(where=where)
            )
        if not self.imprint_url:
            warnings.append(
                _("{where}: no imprint link: set [site] imprint_url").format(where=where)
            )
        return warnings


_SITE_KEYS = {"title", "description", "base_url", "publisher", "imprint_url", "privacy_contact"}
_A11Y_KEYS = {
    "contact_email",
    "contact_phone",
    "contact_address",
    "status",
    "statement_date",
    "known_issues",
    "enforcement_url",
}
# The `[encoding]` table of clipper.toml: how much a re-encoded clip or web copy may cost.
#
# By default clipper aims at the recording's own bitrate (see clipper.media.bitrate), so a
# published clip is about as big per second as the recording. Who wants sharper clips and
# accepts bigger files raises `bitrate_percent` or lowers `crf`:
#
#     [encoding]
#     crf = 18              # x264 quality aimed at (lower is better, 18 is near-lossless)
#     bitrate_percent = 100 # video at most this share of the recording's video bitrate
#     max_qp = 32           # quality floor: where the cap would go below it, quality wins
#     audio_kbps = 128      # the most the sound may take (it follows the recording's)

ENCODING_KEYS = {"crf", "bitrate_percent", "max_qp", "audio_kbps"}
_EXAMPLES = {"crf": 18, "bitrate_percent": 150, "max_qp": 32, "audio_kbps": 96}
_LIMITS = {
    "crf": (0, 51),
    "bitrate_percent": (10, 1000),
    "max_qp": (10, 51),
    "audio_kbps": (32, 320),
}


def _number(table: dict[str, Any], key: str, path: Path, error: type[ClipperError]) -> int | None:
    if key not in table:
        return None
    value = table[key]
    low, high = _LIMITS[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise error(
            _("[encoding] {key} = {value!r} must be a whole number from {low} to {high}").format(
                key=key, value=value, low=low, high=high
            ),
            path=path,
            hint=_("e.g. {key} = {example}").format(key=key, example=_EXAMPLES[key]),
        )
    return value


def read_encoding(table: dict[str, Any], path: Path, error: type[ClipperError]) -> EncodeSettings:
    """The encoder settings an `[encoding]` table asks for (defaults for missing keys)."""
    base = EncodeSettings()
    rule = RateRule()
    crf = _number(table, "crf", path, error)
    percent = _number(table, "bitrate_percent", path, error)
    max_qp = _number(table, "max_qp", path, error)
    audio = _number(table, "audio_kbps", path, error)
    rule = replace(
        rule,
        bitrate_percent=rule.bitrate_percent if percent is None else percent,
        max_qp=rule.max_qp if max_qp is None else max_qp,
        audio_kbps_max=rule.audio_kbps_max if audio is None else audio,
        audio_kbps_min=min(rule.audio_kbps_min, audio or rule.audio_kbps_min),
    )
    return replace(base, crf=base.crf if crf is None else crf, rates=rule)


_TABLES = {"site": _SITE_KEYS, "accessibility": _A11Y_KEYS, "encoding": ENCODING_KEYS}


def _unknown(key: str, known: set[str], path: Path, where: str) -> ClipperError:
    return unknown_key(key, known, path, where, SettingsError)


def _text(table: dict[str, Any], key: str, path: Path, name: str) -> str | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(
            _("[{name}] {key} must be a non-empty text in quotes").format(name=name, key=key),
            path=path,
            hint=f'{key} = "..."',
        )
    return value.strip()


def _url(table: dict[str, Any], key: str, path: Path, name: str) -> str | None:
    value = _text(table, key, path, name)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(
            _("[{name}] {key} = {value!r} is not a web address").format(
                name=name, key=key, value=value
            ),
            path=path,
            hint=_('write the full address, e.g. {key} = "https://www.example.de/..."').format(
                key=key
            ),
        )
    return value


def _date(table: dict[str, Any], key: str, path: Path) -> dt.date | None:
    if key not in table:
        return None
    value = table[key]
    day = as_date(value)
    if day is not None:
        return day
    raise SettingsError(
        _("[accessibility] {key} = {value!r} is not a date").format(key=key, value=value),
        path=path,
        hint=f"{key} = 2026-11-01",
    )


def _language(data: dict[str, Any], path: Path) -> str | None:
    """`language = "de"` or `"en"` at the top level: the language of clipper's messages."""
    value = data.get("language")
    if value is None:
        return None
    if not isinstance(value, str) or value.strip().lower() not in LANGUAGES:
        raise SettingsError(
            _("language = {value!r} is not a language clipper speaks").format(value=value),
            path=path,
            hint=_('write language = "de" (German) or language = "en" (English)'),
        )
    return value.strip().lower()


def project_language(project_dir: Path) -> str | None:
    """The `language` in the project's clipper.toml, read before a command runs (so its
    messages follow it); None if there is none or the file cannot be read (the command
    reports a broken file itself when it loads the settings)."""
    import tomllib

    try:
        with (Path(project_dir) / SETTINGS_FILE).open("rb") as f:
            value = tomllib.load(f).get("language")
    except (OSError, ValueError):
        return None
    return value.strip().lower() if isinstance(value, str) else None


def load_settings(project_dir: Path) -> Settings:
    """Read `clipper.toml` from the project folder; defaults when there is none."""
    path = Path(project_dir) / SETTINGS_FILE
    if not path.exists():
        return Settings()
    data = load_toml(path, SettingsError, "clipper.toml")
    language = _language(data, path)
    for key, value in data.items():
        if key == "language":
            continue
        if key not in _TABLES:
            raise SettingsError(
                _("unknown key {key!r} at the top level").format(key=key),
                path=path,
                hint=_top_level_hint(key),
            )
        if not isinstance(value, dict):
            raise SettingsError(
                _("{key!r} must be a table").format(key=key),
                path=path,
                hint=_("write [{key}]").format(key=key),
            )
        for inner in value:
            if inner not in _TABLES[key]:
                raise _unknown(inner, _TABLES[key], path, f" in [{key}]")
    site: dict[str, Any] = data.get("site", {})
    a11y: dict[str, Any] = data.get("accessibility", {})
    base_url = _url(site, "base_url", path, "site")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    status = _text(a11y, "status", path, "accessibility") or "teilweise"
    if status not in STATUS_TEXTS:
        raise SettingsError(
            _("[accessibility] status = {status!r} is not a known status").format(status=status),
            path=path,
            hint=_("use one of: {known}").format(known=", ".join(f'"{s}"' for s in STATUS_TEXTS)),
        )
    email = _text(a11y, "contact_email", path, "accessibility")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise SettingsError(
            _("[accessibility] contact_email = {email!r} is not an e-mail address").format(
                email=email
            ),
            path=path,
            hint=_('e.g. contact_email = "barrierefreiheit@musterhausen.de"'),
        )
    defaults = Settings()
    return Settings(
        language=language,
        title=_text(site, "title", path, "site") or defaults.title,
        description=_text(site, "description", path, "site") or defaults.description,
        base_url=base_url,
        publisher=_text(site, "publisher", path, "site"),
        imprint_url=_url(site, "imprint_url", path, "site"),
        privacy_contact=_text(site, "privacy_contact", path, "site"),
        accessibility=AccessibilitySettings(
            contact_email=email,
            contact_phone=_text(a11y, "contact_phone", path, "accessibility"),
            contact_address=_text(a11y, "contact_address", path, "accessibility"),
            status=status,
            statement_date=_date(a11y, "statement_date", path),
            known_issues=_text(a11y, "known_issues", path, "accessibility") or "",
            enforcement_url=_url(a11y, "enforcement_url", path, "accessibility")
            or AccessibilitySettings().enforcement_url,
        ),
        encoding=read_encoding(data.get("encoding", {}), path, SettingsError),
        source=path,
    )


def _top_level_hint(key: str) -> str:
    """Point a key written outside its table to the table it belongs in."""
    for table, keys in _TABLES.items():
        if key in keys:
            return _("put it under [{table}]").format(table=table)
    close = difflib.get_close_matches(key, sorted(_TABLES), n=1)
    if close:
        return _("did you mean [{close}]?").format(close=close[0])
    return _("known tables: [site], [accessibility], [encoding]")
