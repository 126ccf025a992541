"""The domain boundaries of issue 18, as import-linter contracts in
pyproject.toml ([tool.importlinter]): the layers (wiring > portal >
statements > dividends > shares > machinery > members > auth > cooperatives >
audit > core) and each domain used by the others only through its ``api``
module. Running them here puts them in ``make test`` and in CI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_import_contracts_are_kept():
    run = subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "BROKEN" not in report and "0 broken" in report, report
