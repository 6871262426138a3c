"""Automatic transcripts: speech to readable German WebVTT captions, offline (faster-whisper).

cues.py (pure: words to captions), prompt.py (name hints), model.py (which model, the
bundled `base` joined and checked), audio.py (decode once, chunks), engine.py (faster-whisper,
imported only when used: it is an optional extra), run.py (progress, resume, the VTT file).
"""
