"""Password hashing, checking and the rules a new password must meet.

The rules (``password_error``): at least 10 characters (a few words make a
good one), not a common password, not derived from the account's username
or the person's name (also in pinyin). Common passwords and easily guessed
patterns (repeats, sequences, keyboard rows, dates, dictionary words) are
judged by zxcvbn, which ships its lists (the 30,000 most common passwords
among them) and works offline: a password whose estimated guesses stay below
10^8 (zxcvbn score under 3) is refused, with a message naming the reason.
"""
from __future__ import annotations

import re
import secrets
from functools import lru_cache

from flask import current_app
from pypinyin import Style, lazy_pinyin
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128
# zxcvbn's score 3: more than 10^8 guesses, "safely unguessable" against
# online attacks and a slow hash offline.
MIN_SCORE = 3

# Easy to read aloud and to type on a phone: no 0/O, 1/l/I.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_NOT_LETTERS = re.compile(r"[\W\d_]+")

TOO_SHORT = f"密码至少 {MIN_LENGTH} 位（几个词连成的一句话也可以）"
TOO_LONG = f"密码不能超过 {MAX_LENGTH} 位"
FROM_IDENTITY = "密码不能由用户名、姓名或姓名拼音加数字、符号组成，请换一个"
COMMON = "这是很常见的密码，容易被猜中，请换一个"
TOO_SIMPLE = "密码太简单（重复、连续的字符或常见的词、日期），容易被猜中，请换一个更长、不规则的密码"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; without a hash (no such user) a dummy hash
    of the same method is checked, so an unknown username costs the same time."""
    stored = password_hash or _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
    return check_password_hash(stored, password) and password_hash is not None


def generate_initial_password(length: int = MIN_LENGTH) -> str:
    """A random one-time password that meets the rules."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if password_error(password) is None:
            return password


def identity_words(username: str, display_name: str) -> set[str]:
    """The username and the name, the name also in pinyin (whole, surname last, initials)."""
    words = {username.strip().lower(), "".join(display_name.split()).lower()}
    syllables = [s.lower() for s in lazy_pinyin(display_name.strip()) if s.strip()]
    if syllables:
        words.add("".join(syllables))
        words.add("".join(syllables[1:] + syllables[:1]))
        words.add("".join(s[0] for s in syllables))
        words.update(s for s in syllables if len(s) >= 3)
    return {w for w in words if len(w) >= 2}


def _repeats(core: str, word: str) -> bool:
    return len(core) % len(word) == 0 and core == word * (len(core) // len(word))


def password_error(password: str, username: str = "", display_name: str = "") -> str | None:
    """Why ``password`` may not be used by this account, or None."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    identity = identity_words(username, display_name)
    core = _NOT_LETTERS.sub("", password.lower())
    if core and any(_repeats(core, word) for word in identity):
        return FROM_IDENTITY
    result = zxcvbn(password, user_inputs=sorted(identity))
    if result["score"] >= MIN_SCORE:
        return None
    sources = {m.get("dictionary_name") for m in result["sequence"]}
    if "user_inputs" in sources:
        return FROM_IDENTITY
    if "passwords" in sources:
        return COMMON
    return TOO_SIMPLE
