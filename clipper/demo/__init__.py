"""A demo event: a synthetic but realistic recorded video call with transcript and clip list.

`create_demo_event(project_dir)` lets people try clipper (and tests exercise it) without any
real recording: German speech from espeak-ng, a video-call gallery drawn by ffmpeg, an exact
WebVTT transcript and a summary clip's ranges.
"""

from clipper.demo.build import create_demo_event

__all__ = ["create_demo_event"]
