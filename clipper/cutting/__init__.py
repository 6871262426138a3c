"""Cutting: plan which frames each range keeps (pure), then run ffmpeg to make the clip."""
