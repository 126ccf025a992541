"""What login asks of the domains above auth without importing them.

A member's login belongs to a member record, which lives above auth. Before a
login succeeds, ``login_checked`` is sent with the ``User``; a receiver that
knows why the account may not log in (the member has died, withdrawn or lost
membership) answers with the Chinese message, and the login is refused
(coop/portal/receivers.py). With nobody answering every enabled account may
log in.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

login_checked = _signals.signal(
    "auth-login-checked",
    doc="Sent with a User whose password was right; a receiver returns a refusal "
        "message (str) when the account may not log in, else None.")


def login_refusal(user: object) -> str | None:
    """The first refusal any receiver gives ``user``, or None."""
    for _receiver, answer in login_checked.send(user):
        if isinstance(answer, str) and answer:
            return answer
    return None
