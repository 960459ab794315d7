"""The load script still drives the app: a tiny run has no errors and no lost edit."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_small_load_run_confirms_every_edit_and_exports(tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "benchmarks/load_workshop.py", "--teams", "2", "--people", "5",
         "--facilitators", "1", "--minutes", "0.25", "--ramp", "2", "--think", "1.5",
         "--settle", "1", "--session-ttl", "5", "--rounds", "1", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert figures["errors"] == 0 and figures["lost_edits"] == 0
    assert figures["edits_checked"] == 10  # every person's field checked in the database
    for what in ("edit confirmed", "Blueprint PDF", "budget upload and import",
                 "dashboard refresh"):
        assert figures["timings"][what]["count"] > 0, what
