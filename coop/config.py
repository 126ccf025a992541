"""Default configuration. ``instance/config.py`` and the environment override it."""
import os
from datetime import timedelta


class DefaultConfig:
    # Overridden by instance/config.py, by SECRET_KEY in the environment, or
    # generated once into instance/secret_key (see create_app).
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Session and cookie hardening. COOP_HTTPS=1 marks cookies Secure and
    # sends HSTS; plain http://127.0.0.1 on an office PC keeps them usable.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("COOP_HTTPS") == "1"
    SESSION_COOKIE_NAME = "coop_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = os.environ.get("COOP_HTTPS") == "1"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

    WTF_CSRF_TIME_LIMIT = None  # tied to the session, which expires itself
    WTF_I18N_ENABLED = False  # WTForms' own Chinese messages (coop.forms.CoopForm), no Babel
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # uploads (Excel imports)

    # Login throttling: this many failures inside the window lock the
    # account (and, at IP_LIMIT, the address) until the window has passed.
    LOGIN_FAILURE_LIMIT = 5
    LOGIN_IP_FAILURE_LIMIT = 20
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)

    # In-process cache of figures that are exact for a given state of the
    # data (the share register is append-only): one per worker process.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 24 * 3600
    CACHE_THRESHOLD = 200

    PASSWORD_HASH_METHOD = "scrypt"
    PAGE_SIZE = 50
