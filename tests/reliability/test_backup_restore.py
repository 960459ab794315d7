"""An online backup while teams write is whole and consistent, and restores (`isc restore`).

Ten teams save fields and a budget import runs while `Store.backup` copies the database. The
copy must pass PRAGMA integrity_check, hold every save confirmed before the backup began, and
be one moment's state (each document the newest of its history, each import whole). Restoring
it, with the app's connection still open, brings exactly that state back, and keeps the
database as it was beside it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from contextlib import closing

from tests.reliability.cohort import OKLAHOMA, assert_whole, budget, make_cohort
from toolkit import budget as bg
from toolkit import editing
from toolkit import workshop as ws
from toolkit.store import SYSTEM, Actor, Store, restore

TEAMS = 10


def _writer(db, team, stop: threading.Event, confirmed: list, errors: list) -> None:
    me = Actor(role="team", name=f"{team.slug} writer", team_id=team.id)
    n = 0
    try:
        while not stop.is_set():
            n += 1
            with Store(db, migrate=False) as store:
                value = f"{team.slug} title {n}"
                result = editing.save_field(store, me, team.id, ws.Initiative, "title", value,
                                            base=store.load(me, team.id, ws.Initiative))
            if result.outcome == "saved":
                confirmed.append((team.id, result.saved.version, value))
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(f"{me.name}: {type(exc).__name__}: {exc}")


def _importer(db, team, stop: threading.Event, errors: list) -> None:
    try:
        while not stop.is_set():
            with Store(db, migrate=False) as store:
                bg.save_import(store, SYSTEM, team.id, budget(OKLAHOMA))
    except Exception as exc:  # noqa: BLE001
        errors.append(f"importer: {type(exc).__name__}: {exc}")


def _snapshot(db) -> dict:
    with closing(sqlite3.connect(db)) as conn:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("documents", "revisions", "budget_imports", "teams")} | {
            "lines": conn.execute("SELECT count(*), sum(amount_cents) FROM budget_lines"
                                  ).fetchone()}


def test_a_backup_taken_while_teams_write_is_whole_and_restoring_it_brings_that_moment_back(
        isolated_db, tmp_path):
    with Store(isolated_db) as store:
        teams = make_cohort(store, isolated_db, TEAMS)
    budget(OKLAHOMA)
    confirmed: list[tuple[int, int, str]] = []
    errors: list[str] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_writer, args=(isolated_db, t, stop, confirmed, errors))
               for t in teams]
    threads.append(threading.Thread(target=_importer,
                                    args=(isolated_db, teams[0], stop, errors)))
    for t in threads:
        t.start()
    try:
        while len(confirmed) < 100 and not errors:
            stop.wait(0.01)
        before_backup = list(confirmed)
        copy = tmp_path / "backup.db"
        with Store(isolated_db, migrate=False) as store:
            store.backup(copy)
        while len(confirmed) < len(before_backup) + 100 and not errors:
            stop.wait(0.01)  # teams keep writing after the copy
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []

    with closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as conn:
        assert_whole(conn)
        kept = {(team_id, version): body for team_id, version, body in conn.execute(
            "SELECT team_id, version, json_extract(body, '$.title') FROM revisions "
            "WHERE kind = 'initiative'")}
        imports = conn.execute("SELECT count(*) FROM budget_imports").fetchone()[0]
    for team_id, version, value in before_backup:
        assert kept[(team_id, version)] == value
    assert len(kept) < TEAMS + len(confirmed)  # a moment mid-stream, not the end
    assert imports >= 1

    final = _snapshot(isolated_db)
    backup_state = _snapshot(copy)
    app = Store(isolated_db, migrate=False)  # a running app's connection stays open
    try:
        app.load(SYSTEM, teams[1].id, ws.Initiative)
        aside = restore(copy, isolated_db, dt.datetime(2026, 11, 22, 15, 30, tzinfo=dt.UTC))
        assert aside.name == "isc.db.before-restore-20261122T153000Z"
        # The open connection reads the restored state, not a mix.
        version = app.load(SYSTEM, teams[1].id, ws.Initiative).version
        assert version == max(v for (t, v) in kept if t == teams[1].id)
    finally:
        app.close()
    assert _snapshot(isolated_db) == backup_state
    assert _snapshot(aside) == final  # nothing written after the backup is thrown away
    with closing(sqlite3.connect(isolated_db)) as conn:
        assert_whole(conn)
