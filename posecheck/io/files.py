"""Writing a file so a reader sees the old content or the new, never half of one."""

from __future__ import annotations

import os
from pathlib import Path


def unreadable(path: Path) -> str | None:
    """Why `path` cannot be read as a file: "directory", "missing", "denied" or "empty";
    None when it can. Each caller words the reason for what it expected to find."""
    if path.is_dir():
        return "directory"
    if not path.exists():
        return "missing"
    if not os.access(path, os.R_OK):
        return "denied"
    if path.stat().st_size == 0:
        return "empty"
    return None


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`. On any
    failure the temporary file is removed and the error raised; `path` is untouched."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
