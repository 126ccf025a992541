"""The address people type to reach the app (``COOP_PUBLIC_URL``) and its QR
code, for what is printed: the members' password slips, the disclosure
poster on the village board. Never the address the secretary's own browser
used (often 127.0.0.1 on the village computer)."""
from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

import segno
from flask import current_app

PRINTS_NEED = "打印件才能印上网址和二维码"


def missing_url_message(prints_need: str = PRINTS_NEED) -> str:
    """Why there is no address to print: COOP_PUBLIC_URL is not set, or it is
    set to an address no member can open (this computer's own, or not a web
    address), and what to set instead."""
    given = (current_app.config.get("COOP_PUBLIC_URL") or "").strip()
    example = "例如 https://coop.example.cn，或局域网内的 http://192.168.1.10:8000"
    if not given:
        return (f"尚未设置对外访问地址：请在环境变量或 instance/config.py 中设置 COOP_PUBLIC_URL"
                f"（{example}），{prints_need}。")
    return (f"对外访问地址 COOP_PUBLIC_URL 现为 {given}：这是这台电脑自己的地址或不是网址，"
            f"成员的手机打不开。请改为成员能打开的网址（{example}），{prints_need}。")


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
