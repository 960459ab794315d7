"""Schema changes: running them twice changes nothing, a database from any older version
upgrades with its data intact, and processes starting at once migrate exactly once."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import sqlite_utils

from tests.reliability.cohort import OKLAHOMA, assert_whole, budget, make_cohort
from toolkit import budget as bg
from toolkit import clinic, guidebook
from toolkit import workshop as ws
from toolkit.store import SYSTEM, Actor, Store, migrations, restore, schema_names

SCHEMA = schema_names()


def _schema(db: Path) -> tuple:
    with closing(sqlite3.connect(db)) as conn:
        return (conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall(),
                conn.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id"
                             ).fetchall())


def _older_database(db: Path, upto: str) -> None:
    """A database as a version of the app that stopped at migration `upto` made it."""
    later = SCHEMA[SCHEMA.index(upto) + 1:]
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        migrations.apply(sqlite_utils.Database(conn), stop_before=later)
        conn.commit()


def _fill(db: Path, applied: list[str]) -> dict:
    """Work of the kinds that version could store, saved through that version's tables."""
    with Store(db, migrate=False) as store:
        team = make_cohort(store, db, 2)[0]
        me = Actor(role="team", name="Ana", team_id=team.id)
        initiative = ws.Initiative(title="Safer East Side", problem="Gun homicides doubled.")
        store.save(me, team.id, initiative, base_version=1)
        made = {"team": team, "initiative": initiative}
        if "002_budget" in applied:
            made["import"] = bg.save_import(store, me, team.id, budget(OKLAHOMA))
        if "003_guidebook" in applied:
            guidebook.seed_guidebook(store)
            made["entry"] = guidebook.contribute(store, me, {
                "kind": "organization", "name": "Riverside Civic Lab",
                "topics": ["procurement"], "help_with": "Helps cities buy software well.",
                "website": "https://civic-lab.example.org"})
        if "004_clinic_and_invites" in applied:
            clinic.give_feedback(store, Actor(role="facilitator", name="Fran"), team.id,
                                 tool="home", kind="question", text="Which streets?")
    return made


def test_migrating_again_changes_nothing(isolated_db):
    with Store(isolated_db) as store:
        make_cohort(store, isolated_db, 2)
    before = _schema(isolated_db)
    for _ in range(2):
        with Store(isolated_db) as store:
            store.migrate()
            assert not migrations.pending(store.db)
    assert _schema(isolated_db) == before
    assert [name for _, name in before[1]] == SCHEMA


@pytest.mark.parametrize("upto", SCHEMA[:-1])
def test_a_database_from_an_older_version_upgrades_with_its_data_intact(isolated_db, upto):
    _older_database(isolated_db, upto)
    applied = SCHEMA[:SCHEMA.index(upto) + 1]
    assert [name for _, name in _schema(isolated_db)[1]] == applied
    made = _fill(isolated_db, applied)
    team = made["team"]
    with Store(isolated_db) as store:  # the new version starts on the old file
        assert not migrations.pending(store.db)
        assert store.load(SYSTEM, team.id, ws.Initiative).body == made["initiative"]
        assert [r.version for r in store.revisions(SYSTEM, team.id, ws.Initiative)] == [2, 1]
        if "import" in made:
            assert store.current_budget(SYSTEM, team.id) == made["import"]
        if "entry" in made:
            assert store.guide_entry(SYSTEM, made["entry"].id) == made["entry"]
        if "004_clinic_and_invites" in applied:
            assert store.feedback(SYSTEM, team.id)[0]["text"] == "Which streets?"
        # And the new version's features work on the upgraded data.
        clinic.give_feedback(store, Actor(role="facilitator", name="Fran"), team.id,
                             tool="budget", kind="comment", text="Good start.")
        store.create_webinar(SYSTEM, team.workshop_id, title="Three months on",
                             starts_at=dt.datetime(2027, 2, 1, 16, tzinfo=dt.UTC),
                             timezone="America/Chicago", duration_minutes=60)
    assert [name for _, name in _schema(isolated_db)[1]] == SCHEMA
    with closing(sqlite3.connect(isolated_db)) as conn:
        assert_whole(conn)


def test_restoring_a_backup_from_an_older_version_upgrades_it(isolated_db, tmp_path):
    old = tmp_path / "old-backup.db"
    _older_database(old, "002_budget")
    made = _fill(old, SCHEMA[:2])
    with Store(isolated_db) as store:
        make_cohort(store, isolated_db, 1)
    restore(old, isolated_db, dt.datetime.now(dt.UTC))
    with Store(isolated_db, migrate=False) as store:
        assert not migrations.pending(store.db)
        assert store.current_budget(SYSTEM, made["team"].id) == made["import"]
    assert _schema(old)[1][-1][1] == "002_budget"  # the backup itself is left as it was


def _start_app(db: Path, barrier) -> None:
    barrier.wait()  # every process is ready: they open the database at the same moment
    Store(db).close()


@pytest.mark.parametrize("start_from", ["nothing", "001_core"])
def test_processes_starting_at_once_migrate_exactly_once(isolated_db, start_from):
    if start_from != "nothing":
        _older_database(isolated_db, start_from)
    # Forked, so the children start at once without importing the app again; each is its
    # own process with its own connection and file locks, like the app and a CLI call.
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(4)
    procs = [context.Process(target=_start_app, args=(isolated_db, barrier)) for _ in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    assert [name for _, name in _schema(isolated_db)[1]] == SCHEMA
    with Store(isolated_db) as store:
        assert store.integrity_ok()
