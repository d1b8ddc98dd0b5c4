"""`medfl-client`: the hospital-site command line. Thin: each command calls into a library module.

Several commands are added to this file by different people: keep one function per command, import
heavy modules (torch, presidio) inside the command so `--help` stays fast.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer

from medfl.core_model.errors import MedflError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="medfl hospital-site tools.")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging.")) -> None:
    _setup_logging(verbose)


# ---- commands (one function each) -------------------------------------------------------------


def main() -> None:
    """Console-script entry: user errors become one line on stderr and exit code 2."""
    try:
        app()
    except MedflError as e:
        print(f"medfl-client: error: {e}", file=sys.stderr)
        sys.exit(2)


__all__ = ["app", "main", "Path"]
