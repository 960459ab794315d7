import json
from pathlib import Path

import pytest
from pypdf import PdfReader

import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.build_parser()._subparsers._group_actions[0].choices)


def _run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: isc {command}")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command):
    assert f"isc {command}" in README, f"`isc {command}` is not in README.md"


def test_demo_prints_the_password_and_codes_once(capsys):
    status, out, _ = _run(capsys, "demo")
    assert status == 0
    assert "Facilitator password:" in out and "riverton" in out
    status, out, _ = _run(capsys, "demo")
    assert "already exists" in out and "password" not in out.lower()


def test_teams_json_lists_id_city_slug_and_workshop(capsys):
    _run(capsys, "demo")
    status, out, _ = _run(capsys, "teams", "--json")
    rows = json.loads(out)
    assert status == 0
    assert rows[0] == {"id": 1, "city": "Riverton", "state": "OH", "slug": "riverton",
                       "workshop": "demo-institute"}
    assert len(rows) == 3


def test_export_writes_a_pdf_by_slug_or_id(capsys, tmp_path):
    _run(capsys, "demo")
    for team in ("lakeport", "2"):
        out = tmp_path / f"{team}.pdf"
        status, _, _ = _run(capsys, "export", team, "--format", "pdf", "--out", str(out))
        assert status == 0
        assert PdfReader(out).metadata.title.startswith("Lakeport, MN Blueprint")


def test_export_of_an_unknown_team_exits_2_with_a_plain_message(capsys, tmp_path):
    _run(capsys, "demo")
    status, _, err = _run(capsys, "export", "atlantis", "--out", str(tmp_path / "x.pdf"))
    assert status == 2
    assert "There is no team called 'atlantis'" in err
    assert not (tmp_path / "x.pdf").exists()


def test_backup_copies_and_checks_the_database_and_will_not_overwrite(capsys, tmp_path):
    _run(capsys, "demo")
    target = tmp_path / "copy.db"
    status, out, _ = _run(capsys, "backup", str(target))
    assert status == 0 and "integrity check passed" in out
    status, _, err = _run(capsys, "backup", str(target))
    assert status == 2 and "already exists" in err


def test_password_reset_prints_a_new_password_that_works(capsys):
    from toolkit import auth
    from toolkit.store import Store

    _run(capsys, "demo")
    status, out, _ = _run(capsys, "password", "--reset")
    password = out.rsplit(":", 1)[1].strip()
    with Store() as store:
        assert auth.sign_in_facilitator(store, password).session.role == "facilitator"


def test_export_json_then_import_as_a_new_team_prints_its_id_and_slug(capsys, tmp_path):
    _run(capsys, "demo")
    out = tmp_path / "mesa.json"
    assert _run(capsys, "export", "mesa-verde", "--format", "json", "--out", str(out))[0] == 0
    status, printed, _ = _run(capsys, "import", str(out), "--new-team")
    result = json.loads(printed)
    assert status == 0 and result["slug"] == "mesa-verde-2" and result["join_code"]


def test_import_refuses_a_bad_file_naming_the_field(capsys, tmp_path):
    _run(capsys, "demo")
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "isc-blueprint", "schema_version": 1, "team": {}}')
    status, _, err = _run(capsys, "import", str(bad), "--new-team")
    assert status == 2 and "Field 'team.slug'" in err


def test_replacing_a_teams_work_needs_yes(capsys, tmp_path):
    _run(capsys, "demo")
    out = tmp_path / "r.json"
    _run(capsys, "export", "riverton", "--format", "json", "--out", str(out))
    status, _, err = _run(capsys, "import", str(out), "--into", "lakeport")
    assert status == 2 and "--yes" in err
    assert _run(capsys, "import", str(out), "--into", "lakeport", "--yes")[0] == 0


def test_export_all_writes_a_file_per_team(capsys, tmp_path):
    _run(capsys, "demo")
    status, out, _ = _run(capsys, "export", "--all", "--format", "pdf", "--out",
                          str(tmp_path / "all"))
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "lakeport-blueprint.pdf", "mesa-verde-blueprint.pdf", "riverton-blueprint.pdf"]


def _initiative_title(slug: str) -> str:
    from toolkit import workshop as ws
    from toolkit.store import SYSTEM, Store

    with Store() as store:
        return store.load(SYSTEM, store.find_team(SYSTEM, slug).id, ws.Initiative).body.title


def _retitle(slug: str, title: str) -> None:
    from tests.helpers import put
    from toolkit import workshop as ws
    from toolkit.store import SYSTEM, Store

    with Store() as store:
        put(store, SYSTEM, store.find_team(SYSTEM, slug).id, ws.Initiative(title=title))


def test_restore_puts_a_backup_back_and_keeps_the_current_database_aside(capsys, tmp_path,
                                                                         isolated_db):
    _run(capsys, "demo")
    original = _initiative_title("riverton")
    backup = tmp_path / "before.db"
    assert _run(capsys, "backup", str(backup))[0] == 0
    _retitle("riverton", "Changed after the backup")
    status, _, err = _run(capsys, "restore", str(backup))
    assert status == 2 and "--yes" in err  # no terminal to ask: nothing happens without it
    assert _initiative_title("riverton") == "Changed after the backup"
    status, out, _ = _run(capsys, "restore", str(backup), "--yes")
    assert status == 0 and "3 teams; integrity check passed" in out
    assert _initiative_title("riverton") == original
    [aside] = isolated_db.parent.glob("isc.db.before-restore-*")
    assert str(aside) in out
    from toolkit.store import SYSTEM, Store

    with Store(aside, migrate=False) as kept:
        assert kept.integrity_ok()
        team = kept.find_team(SYSTEM, "riverton")
        from toolkit import workshop as ws

        assert kept.load(SYSTEM, team.id, ws.Initiative).body.title == "Changed after the backup"


def test_restore_asks_for_yes_at_a_terminal(capsys, tmp_path, monkeypatch):
    _run(capsys, "demo")
    backup = tmp_path / "before.db"
    _run(capsys, "backup", str(backup))
    _retitle("riverton", "Changed after the backup")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: "no")
    status, _, err = _run(capsys, "restore", str(backup))
    assert status == 2 and "Nothing was restored" in err
    assert _initiative_title("riverton") == "Changed after the backup"
    monkeypatch.setattr("builtins.input", lambda question: "yes")
    assert _run(capsys, "restore", str(backup))[0] == 0
    assert _initiative_title("riverton") != "Changed after the backup"


def test_restore_refuses_files_that_are_not_a_whole_isc_database(capsys, tmp_path):
    import sqlite3
    from contextlib import closing

    _run(capsys, "demo")
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some notes")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    future = tmp_path / "future.db"
    _run(capsys, "backup", str(future))
    with sqlite3.connect(future) as conn:
        conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                     "VALUES ('isc', '999_from_the_future', '2030-01-01')")
    conn.close()
    damaged, scratched = tmp_path / "damaged.db", tmp_path / "scratched.db"
    _run(capsys, "backup", str(damaged))
    _run(capsys, "backup", str(scratched))
    data = bytearray(damaged.read_bytes())
    data[4096 * 3: 4096 * 3 + 200] = b"\xff" * 200  # too damaged for SQLite to open
    damaged.write_bytes(bytes(data))
    with closing(sqlite3.connect(scratched)) as conn:
        # An index that no longer matches its table: SQLite opens it, integrity_check lists it.
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX budget_lines_by_import ON "
                     "budget_lines(row_no)' WHERE name = 'budget_lines_by_import'")
        conn.commit()
    cases = {
        tmp_path / "missing.db": "does not exist",
        text: "notes.db is not an ISC Blueprint database (it is not a SQLite database at all)",
        other: "other.db is not an ISC Blueprint database.",
        future: "future.db comes from a newer version of ISC Blueprint (it has "
                "999_from_the_future). Update the app first",
        damaged: "damaged.db failed its integrity check (database disk image is malformed)",
        scratched: "scratched.db failed its integrity check (row 1 missing from index",
    }
    for path, message in cases.items():
        status, _, err = _run(capsys, "restore", str(path), "--yes")
        assert status == 2 and message in err, (path.name, err)
    assert _initiative_title("riverton")  # the database is untouched
