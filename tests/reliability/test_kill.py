"""SIGKILL in the middle of saves: the database opens clean and every confirmed save is in it.

A child process saves through the real app code (editing.save_field, editing.edit_list,
budget.save_import) and prints a line after each save the store confirmed. The test kills it
with SIGKILL at random points, several times over the same database, once while a real budget
file is half-way into its write transaction. After each kill it opens the database the way a
restarted app would and checks: PRAGMA integrity_check, every confirmed save present in the
version that confirmed it, documents and their history in step, every budget import whole or
absent, and the write-ahead log recovered and checkpointed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.reliability.cohort import (
    BUDGETS,
    CHICAGO,
    OKLAHOMA,
    ROOT,
    assert_whole,
    budget,
    make_cohort,
)
from toolkit import budget as bg
from toolkit import workshop as ws
from toolkit.store import SYSTEM, Store

WRITER = Path(__file__).with_name("crash_writer.py")
needs_budgets = pytest.mark.skipif(not BUDGETS.is_dir(),
                                   reason=f"the shared real budget files are not at {BUDGETS}")


def _run_and_kill(db: Path, team_id: int, seed: int, *extra: str, until) -> list[dict]:
    """Start the writer, read its confirmations until `until(events)` says so, SIGKILL it,
    and return every confirmation it printed (including any still in the pipe)."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(team_id), str(seed), *extra],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(120, proc.kill)  # a stuck writer fails the test, not the suite
    watchdog.start()
    events: list[dict] = []
    try:
        for line in proc.stdout:
            events.append(json.loads(line))
            if until(events):
                os.kill(proc.pid, signal.SIGKILL)
                break
        rest = proc.stdout.read()
        proc.wait()
    finally:
        watchdog.cancel()
    # A line cut off by the kill was never shown to anyone: it is not a confirmation.
    events += [json.loads(line) for line in rest.split("\n")[:-1] if line]
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    proc.stderr.close()
    return events


def _check_after_crash(db: Path, team_id: int, confirmed: list[dict], *,
                       committed_in_log: bool = True) -> None:
    wal = db.with_name(db.name + "-wal")
    if committed_in_log:  # the kill left confirmed work in the log, to be recovered from it
        assert wal.exists() and wal.stat().st_size > 0
    raw = sqlite3.connect(db)
    try:
        assert_whole(raw)
    finally:
        raw.close()
    with Store(db) as store:  # the app restarting: migrations check, then reads
        initiative = {r.version: store.revision_body(SYSTEM, team_id, ws.Initiative, r.id)
                      for r in store.revisions(SYSTEM, team_id, ws.Initiative)}
        plans = {r.version: store.revision_body(SYSTEM, team_id, bg.BudgetPlan, r.id)
                 for r in store.revisions(SYSTEM, team_id, bg.BudgetPlan)}
        imports = {i.id: i for i in store.budget_imports(SYSTEM, team_id)}
        for event in confirmed:
            if event["event"] == "saved" and event["kind"] == "initiative":
                assert getattr(initiative[event["version"]], event["field"]) == event["value"]
            elif event["event"] == "saved":
                rows = {i.id: i.name for i in plans[event["version"]].cost_items}
                assert rows[event["row"]] == event["name"]
            elif event["event"] == "imported":
                info = imports[event["import_id"]]
                assert (info.line_count, info.total_cents) == (event["lines"], event["total"])
        # The log folds back into the database and empties: nothing was left stuck in it.
        busy, _, _ = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
    # The last connection to close removes an empty log, as after a clean shutdown.
    assert not wal.exists() or wal.stat().st_size == 0


@needs_budgets
def test_killing_a_writer_at_random_points_never_loses_a_confirmed_save(isolated_db):
    with Store(isolated_db) as store:
        team = make_cohort(store, isolated_db, 1)[0]
    rng = random.Random(12)
    confirmed: list[dict] = []
    for seed in range(5):
        stop_after = rng.randint(3, 40)
        events = _run_and_kill(
            isolated_db, team.id, seed, "--import", str(OKLAHOMA),
            until=lambda ev, n=stop_after: sum(e["event"] != "ready" for e in ev) >= n)
        confirmed += [e for e in events if e["event"] in ("saved", "imported")]
        _check_after_crash(isolated_db, team.id, confirmed)
    kinds = {e.get("kind", e["event"]) for e in confirmed}
    assert kinds == {"initiative", "budget", "imported"}  # every kind of save was killed near


@needs_budgets
def test_a_budget_import_killed_inside_its_transaction_leaves_no_lines_and_the_old_budget(
        isolated_db):
    with Store(isolated_db) as store:
        team = make_cohort(store, isolated_db, 1)[0]
        earlier = bg.save_import(store, SYSTEM, team.id, budget(OKLAHOMA))
    events = _run_and_kill(isolated_db, team.id, 99, "--import", str(CHICAGO), "--stall",
                           until=lambda ev: ev[-1]["event"] == "writing lines")
    assert [e["event"] for e in events] == ["ready", "importing", "writing lines"]
    _check_after_crash(isolated_db, team.id, [], committed_in_log=False)
    with Store(isolated_db) as store:
        assert [i.id for i in store.budget_imports(SYSTEM, team.id)] == [earlier.id]
        assert store.current_budget(SYSTEM, team.id) == earlier
        assert store.conn.execute("SELECT count(*) FROM budget_lines").fetchone()[0] == len(
            budget(OKLAHOMA).lines)
