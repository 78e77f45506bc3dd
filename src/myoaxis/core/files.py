"""Writing files whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from myoaxis.core.errors import ExportError, MyoAxisError


def atomic_write(path: Path, write: Callable[[Path], object], *, what: str | None = None) -> Path:
    """Write ``path`` by ``write(tmp)`` on a temporary file beside it, then rename it into place.

    On any error the temporary file is removed and an existing ``path`` is left untouched. With
    ``what`` (a format name), an unexpected error becomes an :class:`ExportError` naming the
    file; errors of ours pass unchanged. The file gets the permissions the umask allows.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if what is None or isinstance(exc, MyoAxisError) or not isinstance(exc, Exception):
            raise
        raise ExportError(f"{path}: could not write {what} ({exc})") from exc
    return path
