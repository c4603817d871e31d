"""benchmarks/abuse.py keeps running: one quick case end to end, and its table.

Whether a case is handled is the script's report, not this test's: it only
checks that the script runs the real command line and says what it saw.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "benchmarks" / "abuse.py"


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, cwd=REPO, timeout=900, check=False)


def test_the_abuse_script_runs_a_case_against_the_cli_and_reports_it() -> None:
    result = run_script("--only", "6,10h", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["case"] for r in rows] == ["6", "10h"]
    for row in rows:
        assert set(row) == {"case", "done", "expected", "observed", "handled", "seconds"}
        assert row["handled"] in (True, False, None)
        assert row["observed"] and "the case itself failed" not in row["done"], row
    # Case 10h is this branch's own fix: the script must see it from outside.
    assert rows[1]["handled"] is True, rows[1]


def test_an_unknown_case_is_refused() -> None:
    result = run_script("--only", "99")
    assert result.returncode != 0 and "no case 99" in result.stderr
