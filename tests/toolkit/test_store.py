import threading
from typing import ClassVar

import pytest
from pydantic import BaseModel

from tests.helpers import FACILITATOR, GUEST, member
from toolkit import workshop as ws
from toolkit.store import SYSTEM, AccessDenied, Conflict, NotFound, StaleVersion, Store, migrations


class Notes(BaseModel):
    KIND: ClassVar[str] = "notes_for_test"
    items: list[str] = []


def test_migrations_are_recorded_and_running_them_twice_changes_nothing(isolated_db):
    with Store(isolated_db) as first:
        applied = [m.name for m in migrations.applied(first.db)]
    with Store(isolated_db) as second:
        assert [m.name for m in migrations.applied(second.db)] == applied
    assert applied[0] == "001_core"


def test_the_database_runs_in_wal_mode_with_foreign_keys(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_new_document_loads_as_defaults_at_version_zero(store, teams):
    saved = store.load(member(teams["riverton"]), teams["riverton"].id, Notes)
    assert saved.version == 0 and saved.body == Notes()


def test_each_save_bumps_the_version_and_keeps_a_revision(store, teams):
    team = teams["riverton"]
    ana = member(team)
    first = store.save(ana, team.id, Notes(items=["a"]), base_version=0)
    second = store.save(ana, team.id, Notes(items=["a", "b"]), base_version=first.version)
    assert (first.version, second.version) == (1, 2)
    history = store.revisions(ana, team.id, Notes)
    assert [r.version for r in history] == [2, 1]
    assert store.revision_body(ana, team.id, Notes, history[1].id) == Notes(items=["a"])


def test_revisions_can_be_limited_to_the_latest(store, teams):
    team = teams["riverton"]
    ana = member(team)
    version = 0
    for n in range(5):
        version = store.save(ana, team.id, Notes(items=[str(n)]), base_version=version).version
    assert [r.version for r in store.revisions(ana, team.id, Notes, limit=2)] == [5, 4]
    assert len(store.revisions(ana, team.id, Notes)) == 5


def test_a_stale_save_is_refused_and_the_teammates_work_survives(store, teams):
    team = teams["riverton"]
    store.save(member(team, "Ana"), team.id, Notes(items=["Ana's"]), base_version=0)
    with pytest.raises(StaleVersion) as caught:
        store.save(member(team, "Ben"), team.id, Notes(items=["Ben's"]), base_version=0)
    assert "Ana" in str(caught.value)
    assert caught.value.current.body.items == ["Ana's"]
    assert store.load(SYSTEM, team.id, Notes).body.items == ["Ana's"]


def test_restoring_an_old_version_adds_a_new_version_and_keeps_history(store, teams):
    team = teams["riverton"]
    ana = member(team)
    store.save(ana, team.id, Notes(items=["one"]), base_version=0)
    store.save(ana, team.id, Notes(items=["two"]), base_version=1)
    oldest = store.revisions(ana, team.id, Notes)[-1]
    restored = store.restore(ana, team.id, Notes, oldest.id, base_version=2)
    assert restored.version == 3 and restored.body.items == ["one"]
    assert store.revisions(ana, team.id, Notes)[0].restored_from == oldest.id


def test_a_team_member_cannot_read_or_write_another_teams_work(store, teams):
    intruder = member(teams["lakeport"], "Lee")
    target = teams["riverton"].id
    for call in (
        lambda: store.load(intruder, target, ws.Initiative),
        lambda: store.save(intruder, target, Notes(), base_version=0),
        lambda: store.get_team(intruder, target),
        lambda: store.revisions(intruder, target, ws.Initiative),
        lambda: store.document_bodies(intruder, target),
        lambda: store.last_activity(intruder, target),
    ):
        with pytest.raises(AccessDenied):
            call()
    assert [t.slug for t in store.list_teams(intruder)] == ["lakeport"]


def test_a_team_member_never_sees_join_codes_even_their_own(store, teams):
    ana = member(teams["riverton"])
    assert store.get_team(ana, teams["riverton"].id).join_sealed is None
    assert store.get_team(FACILITATOR, teams["riverton"].id).join_sealed


def test_an_expert_guest_can_read_every_team_but_change_nothing(store, teams):
    team = teams["mesa-verde"]
    assert store.load(GUEST, team.id, ws.Initiative).body.title
    with pytest.raises(AccessDenied, match="not change"):
        store.save(GUEST, team.id, Notes(), base_version=0)


def test_only_facilitators_create_workshops_and_teams(store, teams):
    ana = member(teams["riverton"])
    with pytest.raises(AccessDenied):
        store.create_workshop(ana, slug="x", name="X")
    with pytest.raises(AccessDenied):
        store.create_team(ana, workshop_id=1, slug="x", join_digest="d", join_sealed="s")


def test_duplicate_short_names_are_refused_plainly(store, teams):
    with pytest.raises(Conflict, match="already exists"):
        store.create_workshop(FACILITATOR, slug="demo-institute", name="Again")


def test_find_team_accepts_an_id_or_a_slug_and_names_a_missing_one(store, teams):
    assert store.find_team(SYSTEM, "lakeport").id == teams["lakeport"].id
    assert store.find_team(SYSTEM, str(teams["lakeport"].id)).slug == "lakeport"
    with pytest.raises(NotFound, match="isc teams"):
        store.find_team(SYSTEM, "atlantis")


def test_thirty_threads_saving_at_once_lose_nothing(isolated_db, teams):
    """Each thread appends its own item with retry-on-stale; every item must land."""
    team = teams["riverton"]
    errors: list[Exception] = []

    def worker(n: int) -> None:
        with Store(isolated_db, migrate=False) as s:
            actor = member(team, f"person {n}")
            for _ in range(200):
                current = s.load(actor, team.id, Notes)
                try:
                    s.save(actor, team.id, Notes(items=[*current.body.items, f"item {n}"]),
                           base_version=current.version)
                    return
                except StaleVersion:
                    continue
                except Exception as exc:  # "database is locked" would land here
                    errors.append(exc)
                    return
            errors.append(RuntimeError(f"thread {n} never saved"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(isolated_db) as s:
        final = s.load(SYSTEM, team.id, Notes)
        assert sorted(final.body.items) == sorted(f"item {n}" for n in range(30))
        assert final.version == 30
        assert len(s.revisions(SYSTEM, team.id, Notes)) == 30
        assert s.integrity_ok()


def test_backup_is_a_consistent_copy(store, teams, tmp_path):
    copy = store.backup(tmp_path / "copy.db")
    with Store(copy, migrate=False) as restored:
        assert restored.integrity_ok()
        assert [t.slug for t in restored.list_teams(SYSTEM)] == ["riverton", "lakeport",
                                                                  "mesa-verde"]
