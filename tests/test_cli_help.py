"""Every command of ``flask --app coop`` speaks Chinese in its ``--help``: the
help of each group and command, and of each of its options, has Chinese
characters and no English sentence (option names and metavars may be Latin)."""
from __future__ import annotations

import re

import click
import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")
# Three English words in a row make a sentence; codes and names (CODE, --by, .xlsx) do not.
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}\b[ ,]+\b[A-Za-z]{2,}\b[ ,]+\b[A-Za-z]{2,}\b")
# Flask's own commands, not ours.
FOREIGN = {"run", "shell", "routes", "db"}


def _walk(command: click.Command, path: str):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _walk(sub, f"{path} {name}")


def _ours(app) -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(app.cli.commands.items()):
        if name not in FOREIGN:
            found.extend(_walk(command, name))
    return found


def _problems(text: str) -> list[str]:
    problems = []
    if not HAN.search(text or ""):
        problems.append("no Chinese")
    sentence = ENGLISH_SENTENCE.search(text or "")
    if sentence:
        problems.append(f"English: {sentence.group(0)!r}")
    return problems


def test_the_app_has_commands_to_check(app):
    paths = [path for path, _ in _ours(app)]
    assert "members import" in paths and "shares import" in paths and "init" in paths
    assert len(paths) > 20


def test_every_command_and_option_help_is_chinese(app):
    bad = []
    for path, command in _ours(app):
        for problem in _problems(command.help or ""):
            bad.append(f"{path}: {problem}")
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                for problem in _problems(param.help or ""):
                    bad.append(f"{path} {param.opts[0]}: {problem}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("argv", [["--help"], ["members", "--help"], ["shares", "import", "--help"]])
def test_help_output_shows_the_chinese_text(app, argv):
    result = app.test_cli_runner().invoke(args=argv)
    assert result.exit_code == 0
    assert HAN.search(result.output)
