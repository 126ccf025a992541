"""Static files under fingerprinted names, cached by browsers for a year.

Every template links a static file with ``url_for('static', filename=...)``;
the app turns that name into one that carries a digest of the file's content
(``css/app.css`` -> ``css/app.3f2a9c01d4e5.css``). A browser on a slow
village link then downloads htmx and the CSS once: the fingerprinted URL is
served with ``Cache-Control: max-age=31536000, immutable``, and a
changed file gets a new name, so nobody keeps an old copy. The plain name
still works (revalidated on every use, as before).

The digest is taken when a URL is first built and taken again when the file's
size or modification time changes, so no build step is needed (the wheel and
a checkout behave alike) and ``make run`` picks up an edited file within a
second: a file is looked at again at most once a second (every page links
four static files; a look costs a ``stat``).
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from flask import Flask, Response, send_from_directory
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600
ONE_DAY = 24 * 3600
DIGEST_LENGTH = 12
RECHECK_SECONDS = 1.0
FINGERPRINTED = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[^./]+)$")


@dataclass(frozen=True)
class _Stamp:
    size: int
    mtime_ns: int
    digest: str
    checked: float  # the monotonic clock at the last look at the file


class StaticFingerprints:
    """The digests of the files under one static folder."""

    def __init__(self, folder: str | Path, recheck_seconds: float = RECHECK_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic):
        self.folder = Path(folder)
        self.recheck_seconds = recheck_seconds
        self._monotonic = monotonic
        self._stamps: dict[str, _Stamp] = {}

    def digest(self, filename: str) -> str | None:
        """The content digest of ``filename`` (relative to the folder), or None
        when it is not a file there."""
        now = self._monotonic()
        stamp = self._stamps.get(filename)
        if stamp is not None and now - stamp.checked < self.recheck_seconds:
            return stamp.digest
        path = safe_join(str(self.folder), filename)
        if path is None:
            return None
        try:
            stat = Path(path).stat()
        except OSError:
            self._stamps.pop(filename, None)
            return None
        if stamp is None or (stamp.size, stamp.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:DIGEST_LENGTH]
        else:
            digest = stamp.digest
        self._stamps[filename] = _Stamp(stat.st_size, stat.st_mtime_ns, digest, now)
        return digest

    def fingerprinted(self, filename: str) -> str:
        """``css/app.css`` -> ``css/app.<digest>.css`` (unchanged if there is no such file)."""
        digest = self.digest(filename)
        if digest is None:
            return filename
        head, dot, suffix = filename.rpartition(".")
        if not dot or "/" in suffix:
            return f"{filename}.{digest}"
        return f"{head}.{digest}.{suffix}"

    def original(self, requested: str) -> tuple[str, bool]:
        """The file a requested name stands for, and whether the name carries
        the file's current digest (only then may it be cached for good): an
        older digest stands for today's file too."""
        match = FINGERPRINTED.match(requested)
        if match is None:
            return requested, False
        filename = match["stem"] + match["suffix"]
        digest = self.digest(filename)
        if digest is None:
            return requested, False
        return filename, digest == match["digest"]


def init_app(app: Flask) -> None:
    """Fingerprint every ``url_for('static', ...)`` and serve both kinds of name."""
    if not app.static_folder:
        return
    fingerprints = StaticFingerprints(app.static_folder)
    app.extensions["coop.assets"] = fingerprints

    def fingerprint_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and isinstance(values.get("filename"), str):
            values["filename"] = fingerprints.fingerprinted(values["filename"])

    def serve_static(filename: str) -> Response:
        original, current = fingerprints.original(filename)
        if not current:
            # a plain name, or an older digest asked by a page a worker being
            # restarted had drawn: today's file, revalidated on every use
            return app.send_static_file(original)
        resp = send_from_directory(fingerprints.folder, original, max_age=ONE_YEAR)
        resp.cache_control.immutable = True
        return resp

    def favicon() -> Response:
        # browsers ask every site for /favicon.ico, whatever its pages link
        return send_from_directory(fingerprints.folder, "favicon.svg", mimetype="image/svg+xml",
                                   max_age=ONE_DAY)

    app.url_defaults(fingerprint_static)
    app.view_functions["static"] = serve_static
    favicon.allowed_roles = None  # public, like the static files
    app.add_url_rule("/favicon.ico", "favicon", favicon)
