"""The command line: parsing, calling the domain functions, and rendering. No SQL here."""

from .app import app, main

__all__ = ["app", "main"]
