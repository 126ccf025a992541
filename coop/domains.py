"""The domains of the app, in dependency order, and their optional modules.

Each domain is a package ``coop/<name>/`` that may have ``models.py``,
``views.py`` (a blueprint ``bp``), ``cli.py`` (a click group ``group``, and/or
``extends``: {a lower domain's group name: [commands to add to it]}),
``receivers.py`` (answers to a lower domain's blinker signals, connected when
the app factory imports it), ``demo.py`` and ``demo_fsc.py`` (``load(coop)``,
a step of ``flask --app coop demo`` for wljs and for hxnj). The order
here is the order of demo steps: a domain comes after the ones it needs (and
membership after the demo's register and distributions, which its people
must not change).
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Iterator

DOMAINS = (
    "cooperatives",
    "auth",
    "audit",
    "members",
    "governance",
    "machinery",
    "shares",
    "accounts",
    "dividends",
    "disclosure",
    "statements",
    "portal",
    # last: its demo adds people who must not be in the register's founding
    # allocation or the demo's 2024 and 2025 distributions
    "membership",
    # the township and county view reads every domain's figures
    "oversight",
)


def domain_modules(kind: str) -> Iterator[ModuleType]:
    """``coop.<domain>.<kind>`` for each domain that has one, in order."""
    for name in DOMAINS:
        module_name = f"coop.{name}.{kind}"
        try:
            yield importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name not in (module_name, f"coop.{name}"):
                raise  # a real import error inside an existing module
