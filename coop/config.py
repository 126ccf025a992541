"""Default configuration. ``instance/config.py`` and the environment override it."""
from datetime import timedelta
from typing import Any, Mapping
from urllib.parse import urlsplit

# The password of every login of the demo cooperatives wljs and hxnj (flask
# --app coop demo), published in the README; their staff and members log in with it.
DEMO_PASSWORD = "wljs2023"

MIN_SECRET_KEY_LENGTH = 32


class DefaultConfig:
    # Overridden by instance/config.py, by SECRET_KEY in the environment, or
    # generated once into instance/secret_key (see create_app).
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    # hide_parameters: an SQL error (logged with its traceback) never carries
    # the values of the statement, which may be a name or a resident ID
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    # The address people type, e.g. "https://coop.example.cn" (environment
    # COOP_PUBLIC_URL overrides it). `flask --app coop preflight` (make serve,
    # deploy/coop-web.service) refuses to start without it and without a
    # SECRET_KEY set here or in the environment.
    COOP_PUBLIC_URL: str | None = None

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
    # The township and county warnings (coop.oversight.rules): receivables over
    # a year old from this amount, and single cash payments (cash dividend
    # payments, expenses) from this amount, in fen
    OVERSIGHT_OLD_RECEIVABLES_FEN = 1_000_000
    OVERSIGHT_LARGE_CASH_FEN = 5_000_000

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

    # Compressed responses (Flask-Compress, its algorithms: zstd, brotli, gzip
    # or deflate as the browser asks; static files, sent as streams, without
    # gzip): pages, htmx fragments, CSS, JS and JSON, whether gunicorn is
    # reached directly or through nginx.
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "text/plain", "image/svg+xml"]

    PASSWORD_HASH_METHOD = "scrypt"
    PAGE_SIZE = 50


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """What keeps an app with this configuration from serving for real, in
    Chinese, one line each (empty when it may start): ``flask --app coop
    preflight`` and gunicorn's start (coop.gunicorn_conf) refuse on any."""
    problems = []
    key = config.get("SECRET_KEY")
    if not key or config.get("COOP_SECRET_KEY_GENERATED"):
        problems.append("缺少 SECRET_KEY：请在环境变量 SECRET_KEY 或 instance/config.py 中设置一个随机长字符串"
                        "（可用 python3 -c 'import secrets; print(secrets.token_hex(32))' 生成）；"
                        "正式运行不使用自动生成的密钥。")
    elif len(str(key)) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY 太短：至少 {MIN_SECRET_KEY_LENGTH} 个字符（建议 64 个十六进制字符）。")
    url = config.get("COOP_PUBLIC_URL")
    if not url:
        problems.append("缺少 COOP_PUBLIC_URL：请在环境变量或 instance/config.py 中设置用户访问本系统的地址，"
                        "例如 https://coop.example.cn")
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append(f"COOP_PUBLIC_URL 应以 http:// 或 https:// 开头并写明主机名，现为 {url!r}")
    return problems
