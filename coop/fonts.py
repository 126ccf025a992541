"""Finding a CJK font on the system for the PDFs (WeasyPrint draws with fontconfig).

No Flask, no database. ``find_cjk_font()`` asks fontconfig (``fc-list :lang=zh``)
for a font that covers Chinese and prefers the common Simplified Chinese
families. When none is installed it returns None and the PDF actions say so,
instead of producing a PDF full of empty boxes.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

# Families preferred in this order when several are installed; any other font
# that fontconfig says covers Chinese is taken after these.
PREFERRED = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
    "AR PL UKai CN",
)

DEBIAN_PACKAGE = "fonts-noto-cjk"

NO_FONT_MESSAGE = (
    "无法生成 PDF：服务器上没有安装中文字体，生成的文件中汉字会显示为方框。"
    f"请管理员安装中文字体（Debian/Ubuntu：apt-get install {DEBIAN_PACKAGE}）后再试；"
    "在此之前可以用浏览器的“打印”功能打印或另存为 PDF。"
)


@dataclass(frozen=True)
class CJKFont:
    family: str
    path: str


def parse_fc_list(output: str) -> list[CJKFont]:
    """Lines of ``fc-list :lang=zh family file`` -> fonts (first family name of each)."""
    fonts = []
    for line in output.splitlines():
        path, sep, families = line.partition(":")
        if not sep or not families.strip():
            continue
        for family in families.split(","):
            family = family.strip()
            if family:
                fonts.append(CJKFont(family=family, path=path.strip()))
    return fonts


def choose(fonts: list[CJKFont]) -> CJKFont | None:
    by_family = {f.family: f for f in fonts}
    for family in PREFERRED:
        if family in by_family:
            return by_family[family]
    return min(fonts, key=lambda f: f.family) if fonts else None


def find_cjk_font() -> CJKFont | None:
    """A font that covers Chinese, or None (also when fontconfig is missing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run([fc_list, ":lang=zh", "family", "file"], capture_output=True,
                                text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    # ``fc-list ... family file`` prints "path: family[,family...]"
    return choose(parse_fc_list(result.stdout))
