"""Every test builds its own app, and with it a Jinja environment that
compiled each template it rendered from its source again (parsing it and
generating Python: a sixth of the CPU of a test of the views). Production
keeps compiled templates in Jinja's bytecode cache (coop/gunicorn_conf.py);
the tests keep them in memory for the session, checked against the source's
checksum as Jinja's own caches are."""
from __future__ import annotations

from types import CodeType

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._codes: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self._codes.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._codes[bucket.key] = (bucket.checksum, bucket.code)


SHARED = MemoryBytecodeCache()


def use(app: Flask) -> None:
    app.jinja_env.bytecode_cache = SHARED
