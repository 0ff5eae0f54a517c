"""Pure media work on files: what a file is, its metadata, renditions, video frames, document text."""
