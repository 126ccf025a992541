"""The address people type to reach the app (``COOP_PUBLIC_URL``) and its QR
code, for what is printed: the members' password slips, the disclosure
poster on the village board. Never the address the secretary's own browser
used (often 127.0.0.1 on the village computer)."""
from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

import segno
from flask import current_app

NO_PUBLIC_URL = ("尚未设置对外访问地址：请在环境变量或 instance/config.py 中设置 COOP_PUBLIC_URL"
                 "（例如 https://coop.example.cn），打印件才能印上网址和二维码。")


def public_url() -> str | None:
    """The address people type (``COOP_PUBLIC_URL``), or None when it is not
    set or names this computer itself (127.0.0.1, localhost), which no member
    can reach."""
    url = (current_app.config.get("COOP_PUBLIC_URL") or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        if ip_address(host).is_loopback or ip_address(host).is_unspecified:
            return None
    except ValueError:
        pass
    return url


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as a PNG data URI (drawn inline, by browser and PDF alike)."""
    return segno.make(url, error="m").png_data_uri(scale=4, border=2)
