"""The ``kematangan`` command line."""

from kematangan.cli.app import app, main

__all__ = ["app", "main"]
