"""Publishing, last phase before the swap: the web server's set-up, delivered with the site.

What the pages cannot say themselves the server must send: `frame-ancestors` (a meta tag
cannot carry it), the `text/vtt` type (IIS serves no unknown type), cache headers. Apache
reads `.htaccess`, IIS `web.config`, both from the site's root; nginx has no such file,
so `nginx-clipper.conf` is an example to copy into its configuration. docs/webserver.md
("Auf den Webserver bringen") explains them to staff and IT.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from string import Template

from clipper.files.guard import SITE_MARKER
from clipper.site.environment import CSP

FILES = {
    ".htaccess": "server.htaccess",
    "web.config": "server.web.config",
    "nginx-clipper.conf": "server.nginx.conf",
}
SITE_ANCESTORS = "'self'"  # the archive's own pages are framed by nobody else
EMBED_ANCESTORS = "*"  # the embeds are made for other sites (the city's CMS)


def server_files() -> dict[str, str]:
    """The three files' texts by name (pure: the same for every site of this version)."""
    values = {
        "csp": CSP,
        "site_ancestors": SITE_ANCESTORS,
        "embed_ancestors": EMBED_ANCESTORS,
        "marker": SITE_MARKER,
    }
    templates = resources.files("clipper") / "templates"
    return {
        name: Template((templates / source).read_text(encoding="utf-8")).substitute(values)
        for name, source in FILES.items()
    }


def write_server_config(site_dir: Path) -> None:
    for name, text in server_files().items():
        (site_dir / name).write_text(text, encoding="utf-8", newline="\n")
