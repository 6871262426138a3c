"""Subtitles: the cue model, WebVTT reading/writing, and retiming to a cut."""
