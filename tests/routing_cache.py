"""Every test builds its own app (tests/conftest.py ``app``), and building one
binds its ~230 URL rules: werkzeug compiles a URL builder for each rule from
a generated syntax tree, about 85 % of ``create_app``'s CPU time (0.08 s of
0.09 s a test, some 350 s of CPU a suite run). The builder is a function of
what ``Rule._compile_builder`` reads (the rule, its parsed trace, its
defaults as converted to the URL) and takes the rule as its first argument,
so the same function serves every app's copy of a rule: this keeps them for
the session. Each app still gets its own ``Map`` and ``Rule`` objects."""
from __future__ import annotations

from typing import Any, Callable

from werkzeug.routing import Rule

_original = Rule._compile_builder
_builders: dict[tuple, Callable[..., Any]] = {}


def _key(rule: Rule, append_unknown: bool) -> tuple:
    defaults = rule.defaults or {}
    converted = tuple(sorted(
        (name, repr(value), rule._converters[name].to_url(value) if name in rule._converters else None)
        for name, value in defaults.items()))
    return rule.rule, tuple(rule._trace), converted, append_unknown


def _compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., Any]:
    key = _key(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _original(self, append_unknown)
    return builder


def install() -> None:
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]
