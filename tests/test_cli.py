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
