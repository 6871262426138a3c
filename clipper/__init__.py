"""clipper: cut, subtitle and publish recorded video conferences."""

__version__ = "0.1.0"
