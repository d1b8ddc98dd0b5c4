"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Temp file in the same directory (so `os.replace` is a rename on one file system), fsync, replace; the temp
file is removed if anything fails. Checkpoints keep their own variant (core_model/checkpoint.py) because
their temp names are part of the checkpoint-dir protocol.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write `data` (str as UTF-8) to `path` atomically, creating parent directories."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_json_atomic(path: str | Path, obj: Any) -> Path:
    """`obj` as indented JSON (non-JSON values via str) plus a final newline, atomically."""
    return write_atomic(path, json.dumps(obj, indent=2, default=str) + "\n")
