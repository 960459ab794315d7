import json
import re

import pytest

from toolkit import auth, portable
from toolkit import budget as bg
from toolkit import workshop as ws
from toolkit.demo import create_demo
from toolkit.store import SYSTEM, Store


def _export(store, team_id) -> str:
    return portable.dumps(portable.export_team(store, SYSTEM, team_id))


def test_export_import_export_gives_the_same_file(store, teams, tmp_path):
    first = _export(store, teams["riverton"].id)
    with Store(tmp_path / "other.db") as other:
        key = auth.server_key(other.path)
        create_demo(other, key)  # a fresh instance with its own Riverton
        workshop = other.create_workshop(SYSTEM, slug="spring", name="Spring cohort")
        team, code = portable.import_team(other, SYSTEM, key, first, workshop_id=workshop.id)
        assert code and team.slug == "riverton-2"
        again = _export(other, team.id)
    assert again.replace('"riverton-2"', '"riverton"').replace('"spring"',
                                                               '"demo-institute"') == first


def test_the_export_holds_every_document_and_every_budget_line(store, teams):
    data = json.loads(_export(store, teams["riverton"].id))
    assert data["schema_version"] == portable.SCHEMA_VERSION
    assert {"profile", "initiative", "budget", "assessment"} <= set(data["documents"])
    assert len(data["budget"]["lines"]) == 253
    assert sum(line[6] for line in data["budget"]["lines"]) == 370_420_300_00


def test_importing_into_an_existing_team_keeps_its_history(store, teams, key):
    source = _export(store, teams["riverton"].id)
    target = teams["lakeport"]
    before = store.load(SYSTEM, target.id, ws.Initiative)
    portable.import_team(store, SYSTEM, key, source, workshop_id=target.workshop_id,
                         into_team_id=target.id)
    after = store.load(SYSTEM, target.id, ws.Initiative)
    assert after.body.title.startswith("Cut gun homicides")
    assert [r.version for r in store.revisions(SYSTEM, target.id, ws.Initiative)][-1] == 1
    assert store.revision_body(SYSTEM, target.id, ws.Initiative,
                               store.revisions(SYSTEM, target.id, ws.Initiative)[-1].id
                               ) == before.body
    assert store.load(SYSTEM, target.id, bg.BudgetPlan).body.proposal is not None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe\x00", "not text"),
        (b"{not json", "not valid JSON (line 1"),
        (b'{"schema": "other"}', "not an ISC Blueprint file"),
        (b'{"schema": "isc-blueprint", "schema_version": 99}', "Update this app"),
        (b'{"schema": "isc-blueprint", "schema_version": 0}', "Export it again"),
        (b'{"schema": "isc-blueprint", "schema_version": 1, "team": {"slug": "x"}, '
         b'"documents": {}}', "Field 'team.workshop': Field required"),
        (b'{"schema": "isc-blueprint", "schema_version": 1, "team": {"slug": "x", '
         b'"workshop": "w"}, "documents": {"spaceship": {}}}', "no tool called 'spaceship'"),
        (b'{"schema": "isc-blueprint", "schema_version": 1, "team": {"slug": "x", '
         b'"workshop": "w"}, "documents": {"initiative": {"title": ' + b'"x' * 0 + b'"'
         + b"y" * 200 + b'"}}}', "Field 'documents.initiative.title'"),
    ],
)
def test_a_file_that_does_not_validate_is_refused_with_the_field_named(raw, message):
    with pytest.raises(portable.PortableError, match=re.escape(message)):
        portable.parse(raw)


def test_nothing_is_written_when_a_file_is_refused(store, teams, key):
    count = len(store.list_teams(SYSTEM))
    with pytest.raises(portable.PortableError):
        portable.import_team(store, SYSTEM, key, b'{"schema": "isc-blueprint"}',
                             workshop_id=teams["riverton"].workshop_id)
    assert len(store.list_teams(SYSTEM)) == count
