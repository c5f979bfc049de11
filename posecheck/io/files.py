"""Files: why one cannot be read or written, in words, and writing one so a reader sees the
old content or the new, never half of one."""

from __future__ import annotations

import errno
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


def unwritable(path: Path, exc: OSError) -> str:
    """Why `path` could not be written, from the error's errno, and what to do about it:
    free some space only when the disk is full; otherwise choose another path."""
    folder = path.parent
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{exc.strerror or 'the disk is full'} (free some space or choose another path)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (choose another path)"
    if exc.errno == errno.EROFS:
        return "the disk is read-only (choose another path)"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if not folder.is_dir():
            return f"folder {folder} does not exist (choose another path)"
        return f"{folder} is not a folder files can be saved in (choose another path)"
    return f"{exc.strerror or str(exc) or type(exc).__name__} (choose another path)"


def try_creating_in(folder: Path) -> None:
    """Create and remove an empty hidden file in `folder`: raises the OSError a real write
    would meet (a system folder such as /proc, a read-only disk), leaving nothing behind."""
    probe = folder / f".posecheck-probe.{os.getpid()}.{id(folder)}"
    os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    probe.unlink()


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
