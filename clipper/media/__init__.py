"""Media: locating and running ffmpeg, and probing files with PyAV."""
