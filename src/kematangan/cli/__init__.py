"""The ``kematangan`` command line."""

from kematangan.cli.app import app, cli_reference, main

__all__ = ["app", "cli_reference", "main"]
