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


WHO_FIXES = ("网址由安装本系统的技术人员（系统管理员）设置，请把这条提示转告他们"
             "（设置方法见说明书 README 的 Serve 一节）。设置好以前，打印后请在网址一栏手写成员能打开的网址。")


def missing_url_message(prints_need: str = PRINTS_NEED) -> str:
    """Why there is no address to print, in the words of the secretary who
    reads it: no address members can open is set (COOP_PUBLIC_URL is not
    set, or set to this computer's own address or to no web address), who
    sets it (the installer, not the secretary) and what to do meanwhile."""
    given = (current_app.config.get("COOP_PUBLIC_URL") or "").strip()
    if not given:
        return f"本系统还没有设置成员用手机能打开的网址，设置后{prints_need}。{WHO_FIXES}"
    return (f"本系统设置的网址 {given} 只能在这台电脑上打开（或不是网址），成员的手机打不开；"
            f"改为成员能打开的网址后{prints_need}。{WHO_FIXES}")


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
