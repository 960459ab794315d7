"""A workshop-sized cohort and real budget files, shared by the reliability battery."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from functools import cache
from pathlib import Path

from toolkit import auth
from toolkit import budget_import as bi
from toolkit import workshop as ws
from toolkit.store import SYSTEM, Store, Team

ROOT = Path(__file__).resolve().parents[2]
BUDGETS = ROOT.parent / "shared" / "data" / "budgets"
CHICAGO = BUDGETS / "chicago_2021_budget_ordinance_appropriations.csv"
OKLAHOMA = BUDGETS / "oklahoma_city_fy2016_expense_budget.csv"


def make_cohort(store: Store, db: Path, teams: int) -> list[Team]:
    """A workshop of `teams` city teams, each with a profile and an empty initiative."""
    key = auth.server_key(db)
    workshop = store.create_workshop(SYSTEM, slug="battery", name="Reliability battery")
    made = []
    for n in range(teams):
        team, _code = ws.add_team(store, SYSTEM, key, workshop_id=workshop.id,
                                  profile=ws.TeamProfile(city=f"City {n:02d}", state="OH"),
                                  initiative=ws.Initiative(title=f"Initiative {n}"))
        made.append(team)
    return made


@cache
def budget(path: Path) -> bi.BudgetImport:
    """A real city budget file read as the app reads it (cached: parsing is the slow part)."""
    return bi.read_budget(path.read_bytes(), path.name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    """`streamlit run server.py` on `db`, as `isc serve` starts it; returns once /healthz
    answers (the caller stops it)."""
    out = open(log, "a")  # noqa: SIM115 - the child holds it; closed when the test ends
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "ISC_DB": str(db)}, stdout=out, stderr=subprocess.STDOUT)
    out.close()
    deadline = time.monotonic() + 60
    while health(port) is None:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise AssertionError("The app did not start:\n" + log.read_text())
        time.sleep(0.3)
    return proc


def health(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


def assert_whole(conn: sqlite3.Connection) -> None:
    """The invariants a database keeps after any crash or copy: integrity, each document the
    newest of its gap-free history, each budget import all its lines or none."""
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM revisions r "
        "WHERE r.team_id = d.team_id AND r.kind = d.kind AND r.version = d.version "
        "AND r.body = d.body) OR d.version != (SELECT count(*) FROM revisions r "
        "WHERE r.team_id = d.team_id AND r.kind = d.kind)").fetchone() == (0,)
    for import_id, count, total in conn.execute(
            "SELECT id, line_count, total_cents FROM budget_imports").fetchall():
        assert conn.execute("SELECT count(*), coalesce(sum(amount_cents), 0) FROM "
                            "budget_lines WHERE import_id = ?",
                            (import_id,)).fetchone() == (count, total)
    assert conn.execute("SELECT count(*) FROM budget_lines WHERE import_id NOT IN "
                        "(SELECT id FROM budget_imports)").fetchone() == (0,)
    assert conn.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM budget_imports "
                        "WHERE is_current GROUP BY team_id)").fetchone()[0] in (None, 1)
