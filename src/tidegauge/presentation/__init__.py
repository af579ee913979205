"""Presentation: terminal output, files, charts and the message catalog."""
