"""Subtitles: the cue model, reading WebVTT and SRT, writing WebVTT, retiming to a cut.

`read_subtitles` is the one entry point for reading a user's subtitle file.
"""

from clipper.subtitles.model import Cue, Track
from clipper.subtitles.read import read_subtitles

__all__ = ["Cue", "Track", "read_subtitles"]
