"""Default configuration. ``instance/config.py`` and the environment override it."""
from datetime import timedelta

# The password of every login of the demo cooperatives wljs and hxnj (flask
# --app coop demo), published in the README; their staff and members log in with it.
DEMO_PASSWORD = "wljs2023"


class DefaultConfig:
    # Overridden by instance/config.py, by SECRET_KEY in the environment, or
    # generated once into instance/secret_key (see create_app).
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Session and cookie hardening. COOP_HTTPS=1 in the environment (or
    # COOP_HTTPS = True here) marks every cookie Secure and sends HSTS; plain
    # http://127.0.0.1 on an office PC keeps them usable.
    COOP_HTTPS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "coop_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False

    # Behind reverse proxies: how many of them set X-Forwarded-For and
    # X-Forwarded-Proto (Werkzeug's ProxyFix), so that throttling sees each
    # client's own address. 0: the headers are ignored. COOP_PROXY_HOPS in the
    # environment overrides it.
    COOP_PROXY_HOPS = 0
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

    WTF_CSRF_TIME_LIMIT = None  # tied to the session, which expires itself
    WTF_I18N_ENABLED = False  # WTForms' own Chinese messages (coop.forms.CoopForm), no Babel
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # uploads (Excel imports)

    # Login throttling (coop.auth.throttle): failures inside the window lock
    # an account at one address, then the account at all addresses but those
    # it logged in from lately, and an address for every username.
    LOGIN_FAILURE_LIMIT = 5
    LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    LOGIN_KNOWN_ADDRESS_DAYS = 30
    LOGIN_IP_FAILURE_LIMIT = 20
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)

    # In-process cache of figures that are exact for a given state of the
    # data (the share register is append-only): one per worker process.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 24 * 3600
    CACHE_THRESHOLD = 200

    # Task queue (Huey) for statement PDF batches, worked by `flask --app coop
    # worker` (`make run` starts it). Its queue is a SQLite file under
    # instance/ unless COOP_REDIS_URL (here or in the environment, which
    # overrides it) names a Redis server. HUEY_IMMEDIATE runs each task at
    # once in the process that queues it (the tests).
    COOP_REDIS_URL: str | None = None
    HUEY_SQLITE_PATH: str | None = None  # default instance/huey.sqlite3
    HUEY_IMMEDIATE = False
    HUEY_WORKERS = 2  # worker threads: batches of this many cooperatives at once
    HUEY_SHUTDOWN_TIMEOUT = 10  # seconds a stopping worker lets a job in progress go on
    STATEMENT_JOBS_PER_USER = 2  # a user's queued or running batch PDFs

    PASSWORD_HASH_METHOD = "scrypt"
    PAGE_SIZE = 50
