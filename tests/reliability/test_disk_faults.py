"""A full disk, a read-only database, a lock held too long: a plain error, nothing partial,
reads keep working, and the next save works once the fault is gone.

See faults.py for how the faults are made (SQLite's own switches, so they work as root and
on any filesystem); the last tests here also fill and remount a real tiny filesystem when the
machine allows mounting one.
"""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from tests.reliability.cohort import BUDGETS, OKLAHOMA, budget, make_cohort
from tests.reliability.faults import LONG
from toolkit import budget as bg
from toolkit import clinic, editing, guidebook
from toolkit import workshop as ws
from toolkit.store import SYSTEM, Actor, Store, StoreUnavailable

FRAN = Actor(role="facilitator", name="Fran")
needs_budgets = pytest.mark.skipif(not BUDGETS.is_dir(),
                                   reason=f"the shared real budget files are not at {BUDGETS}")


def _counts(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("documents", "revisions", "budget_imports", "budget_lines",
                              "feedback", "feedback_replies", "guide_entries", "sessions",
                              "audit_log")}


def _every_kind_of_save(store: Store, team, me: Actor) -> list[tuple[str, object]]:
    """Try each kind of write a page makes; return (what, error) for each."""
    attempts = {
        "field": lambda: editing.save_field(
            store, me, team.id, ws.Initiative, "problem", LONG,
            base=store.load(me, team.id, ws.Initiative)),
        "row": lambda: editing.edit_list(
            store, me, team.id, bg.BudgetPlan, "cost_items",
            # Thirty rows at once: more than a page, so the write needs the disk to grow.
            upserts=[bg.CostItem(name=f"Analyst {n} {LONG[:140]}", category="staff")
                     for n in range(30)],
            base=store.load(me, team.id, bg.BudgetPlan)),
        "budget import": lambda: bg.save_import(store, me, team.id, budget(OKLAHOMA)),
        "feedback": lambda: clinic.give_feedback(store, FRAN, team.id, tool="budget",
                                                 kind="comment", text=LONG[:1900]),
        "reply": lambda: clinic.reply(store, me, store.feedback(me, team.id)[0]["id"],
                                      LONG[:1900]),
        "guidebook": lambda: guidebook.contribute(store, me, {
            "kind": "organization", "name": "Riverside Civic Lab", "topics": ["procurement"],
            "help_with": LONG[:590], "website": "https://civic-lab.example.org"}),
    }
    outcomes = []
    for what, attempt in attempts.items():
        try:
            attempt()
            outcomes.append((what, None))
        except Exception as exc:  # noqa: BLE001 - the test names whatever comes out
            outcomes.append((what, exc))
        # The failed write let go of its transaction: the next one starts clean.
        assert not store.conn.in_transaction
    return outcomes


@pytest.fixture
def cohort(isolated_db):
    with Store(isolated_db) as store:
        team = make_cohort(store, isolated_db, 2)[0]
        clinic.give_feedback(store, FRAN, team.id, tool="home", kind="question",
                             text="Which neighbourhoods?")
        bg.save_import(store, SYSTEM, team.id, budget(OKLAHOMA))
    return team


@needs_budgets
@pytest.mark.parametrize("fault, words", [
    ("full", "The workshop database cannot save right now (the disk is full)."),
    ("read-only", "The workshop database is read-only, so it cannot save right now."),
])
def test_a_disk_fault_refuses_every_kind_of_save_plainly_and_keeps_nothing_half_written(
        isolated_db, faults, cohort, fault, words):
    team, me = cohort, Actor(role="team", name="Ana", team_id=cohort.id)
    before = _counts(isolated_db)
    faults.full(isolated_db) if fault == "full" else faults.read_only()
    with Store(isolated_db, migrate=False) as store:
        outcomes = _every_kind_of_save(store, team, me)
        for what, error in outcomes:
            assert isinstance(error, StoreUnavailable), (what, error)
            assert str(error) == f"{words} Nothing was changed; tell a facilitator."
            assert error.reason == fault
        # Reading keeps working on the same connection.
        assert store.load(me, team.id, ws.Initiative).version == 1
        assert store.current_budget(me, team.id).line_count == len(budget(OKLAHOMA).lines)
        assert store.budget_totals(me, team.id, "department")
        assert store.feedback(me, team.id)[0]["text"] == "Which neighbourhoods?"
    assert _counts(isolated_db) == before
    # Nothing holds the write lock: another connection writes at once.
    with closing(sqlite3.connect(isolated_db, timeout=0.1)) as other:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    faults.clear()
    with Store(isolated_db, migrate=False) as store:
        for what, error in _every_kind_of_save(store, team, me):
            assert error is None, (what, error)
        assert store.integrity_ok()


def test_a_save_that_waits_too_long_for_the_lock_says_busy_not_database_is_locked(
        isolated_db, cohort, monkeypatch):
    import toolkit.store

    monkeypatch.setattr(toolkit.store, "BUSY_TIMEOUT_MS", 200)
    me = Actor(role="team", name="Ana", team_id=cohort.id)
    holder = sqlite3.connect(isolated_db)
    holder.execute("BEGIN IMMEDIATE")  # a long backup or import elsewhere holds the lock
    try:
        with Store(isolated_db, migrate=False) as store:
            with pytest.raises(StoreUnavailable) as refused:
                editing.save_field(store, me, cohort.id, ws.Initiative, "title", "Safer streets",
                                   base=store.load(me, cohort.id, ws.Initiative))
            assert str(refused.value) == ("The workshop database is too busy to save right "
                                          "now. Nothing was changed; try again in a moment.")
            assert store.load(me, cohort.id, ws.Initiative).body.title == "Initiative 0"
    finally:
        holder.execute("ROLLBACK")
        holder.close()


class _CommitFails:
    """A connection whose COMMIT fails the way a disk that fills at that moment makes it
    fail, leaving the transaction open (SQLite only sometimes rolls back by itself)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def execute(self, sql, *args):
        if sql == "COMMIT":
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise error
        return self._conn.execute(sql, *args)


def test_a_commit_that_fails_rolls_back_and_lets_go_of_the_write_lock(isolated_db, cohort):
    me = Actor(role="team", name="Ana", team_id=cohort.id)
    with Store(isolated_db, migrate=False) as store:
        store.conn = _CommitFails(store.conn)
        with pytest.raises(StoreUnavailable, match="the disk is full"):
            store.save(me, cohort.id, ws.Initiative(title="Safer streets"), base_version=1)
        assert not store.conn.in_transaction
        with closing(sqlite3.connect(isolated_db, timeout=0.1)) as other:
            other.execute("BEGIN IMMEDIATE")  # "database is locked" if the lock were held
            other.execute("ROLLBACK")
        assert store.load(me, cohort.id, ws.Initiative).body.title == "Initiative 0"


def test_sqlite_errors_that_are_not_about_writing_are_not_disguised_as_a_full_disk():
    corrupt = sqlite3.DatabaseError("database disk image is malformed")
    corrupt.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    assert StoreUnavailable.from_sqlite(corrupt) is None
    moved = sqlite3.OperationalError("attempt to write a readonly database")
    moved.sqlite_errorcode = 1032  # SQLITE_READONLY_DBMOVED: an extended code
    assert StoreUnavailable.from_sqlite(moved).reason == "read-only"


# --- the same against a real filesystem, where the machine lets the test mount one ----------


@pytest.fixture
def tiny_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                       check=True, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("cannot mount a small filesystem here (needs root and CAP_SYS_ADMIN); "
                    "the pragma-based tests above cover the same code path")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True)


def test_a_really_full_disk_and_a_really_read_only_mount_give_the_same_plain_errors(tiny_disk):
    db = tiny_disk / "isc.db"
    with Store(db) as store:
        team = make_cohort(store, db, 1)[0]
        me = Actor(role="team", name="Ana", team_id=team.id)
        saved = 0
        with pytest.raises(StoreUnavailable) as full:
            for n in range(2000):  # 2 MB fill up after a few hundred saves of 3.6 kB
                current = store.load(me, team.id, ws.Initiative)
                store.save(me, team.id, ws.Initiative(problem=f"{n} {LONG}"),
                           base_version=current.version)
                saved += 1
        assert full.value.reason == "full"
        assert not store.conn.in_transaction
        current = store.load(me, team.id, ws.Initiative)
        assert current.version == saved + 1
        assert current.body.problem.startswith(f"{saved - 1} ")
        assert store.integrity_ok()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True, timeout=10)
    with Store(db) as store:
        assert store.load(me, team.id, ws.Initiative).version == saved + 1
        with pytest.raises(StoreUnavailable) as read_only:
            store.save(me, team.id, ws.Initiative(title="x"), base_version=saved + 1)
        assert read_only.value.reason == "read-only"
