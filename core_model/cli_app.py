"""What `medfl-client` and `medfl-server` share: a typer app with `--verbose` logging, and an entry point
that turns a MedflError into one line on stderr (exit code 2) instead of a traceback.

Anything else escaping a command is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging
import sys

import typer

from medfl.core_model.errors import MedflError


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )


def new_app(help: str) -> typer.Typer:
    """A typer app whose root callback takes `--verbose/-v` (debug logging) before any command."""
    app = typer.Typer(add_completion=False, no_args_is_help=True, help=help)

    @app.callback()
    def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging.")) -> None:
        _setup_logging(verbose)

    return app


def run_app(app: typer.Typer, prog: str) -> None:
    """Console-script entry: user errors become `PROG: error: MESSAGE` on stderr and exit code 2."""
    try:
        app()
    except MedflError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        sys.exit(2)
