"""The `isc` command line: serve the app, create the demo, list teams, export, back up, restore."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from toolkit import auth
from toolkit.content import ContentError
from toolkit.demo import create_demo
from toolkit.guidebook import seed_guidebook
from toolkit.store import SYSTEM, Store, StoreError, db_path

ROOT = Path(__file__).resolve().parent


class CommandError(Exception):
    """A plain-language reason the command cannot do what was asked (exit status 2)."""


def _store() -> Store:
    return Store(db_path())


def _print_secrets(password: str | None, codes: dict[str, str] | None) -> None:
    if password:
        print(f"\n  Facilitator password: {password}")
        print("  (shown once; `isc password --reset` sets a new one)")
    if codes:
        print("\n  Demo teams and their join codes:")
        for slug, code in codes.items():
            print(f"    {slug:<14} {code}")
    if password or codes:
        print()


def prepare(*, demo: bool) -> None:
    """Migrate, create the facilitator password and (once) the demo workshop; print secrets once."""
    with _store() as store:
        key = auth.server_key(store.path)
        password = auth.ensure_facilitator_password(store)
        codes = create_demo(store, key) if demo and not store.list_workshops(SYSTEM) else None
        # New or updated seed entries of the guidebook reach existing databases too.
        seed_guidebook(store)
        teams = store.list_teams(SYSTEM)
    print(f"ISC Blueprint database: {db_path()} ({len(teams)} teams)")
    _print_secrets(password, codes)
    if not password:
        print("  The facilitator password was shown when this database was created.")
        print("  Forgot it? Run `isc password --reset`.")


def cmd_serve(args: argparse.Namespace) -> None:
    prepare(demo=not args.no_demo)
    print(f"  Open http://localhost:{args.port} in a browser. Press Ctrl+C to stop.\n")
    os.chdir(ROOT)  # Streamlit reads .streamlit/config.toml from here
    command = [sys.executable, "-m", "streamlit", "run", "server.py",
               "--server.port", str(args.port), "--server.address", args.address]
    os.execv(sys.executable, command)


def cmd_demo(args: argparse.Namespace) -> None:
    with _store() as store:
        key = auth.server_key(store.path)
        password = auth.ensure_facilitator_password(store)
        codes = create_demo(store, key)
    if codes is None:
        print("The demo workshop already exists; nothing changed.")
    _print_secrets(password, codes)


def cmd_teams(args: argparse.Namespace) -> None:
    with _store() as store:
        workshops = {w.id: w for w in store.list_workshops(SYSTEM)}
        teams = store.list_teams(SYSTEM)
    rows = [
        {"id": t.id, "city": t.city, "state": t.state, "slug": t.slug,
         "workshop": workshops[t.workshop_id].slug}
        for t in teams
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        print("No teams yet. `isc demo` creates the demo workshop.")
    for r in rows:
        print(f"{r['id']:>4}  {r['slug']:<20} {r['city']}, {r['state']}  ({r['workshop']})")


def _render(store: Store, team_id: int, fmt: str) -> bytes:
    from exports import blueprint
    from toolkit import portable

    if fmt == "json":
        return portable.dumps(portable.export_team(store, SYSTEM, team_id)).encode()
    bp = blueprint.gather(store, SYSTEM, team_id, with_lines=fmt == "xlsx")
    return blueprint.render_pdf(bp) if fmt == "pdf" else blueprint.render_xlsx(bp)


def cmd_export(args: argparse.Namespace) -> None:
    if args.all == bool(args.team):
        raise CommandError("Name one TEAM, or use --all to export every team.")
    out = Path(args.out)
    with _store() as store:
        if args.all:
            out.mkdir(parents=True, exist_ok=True)
            teams = store.list_teams(SYSTEM)
            for team in teams:
                path = out / f"{team.slug}-blueprint.{args.format}"
                path.write_bytes(_render(store, team.id, args.format))
            print(f"Wrote {len(teams)} files to {out}")
            return
        team = store.find_team(SYSTEM, args.team)
        data = _render(store, team.id, args.format)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"Wrote {out} ({len(data):,} bytes)")


def cmd_import(args: argparse.Namespace) -> None:
    from toolkit import portable

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path} does not exist or is not a file.")
    if args.new_team == bool(args.into):
        raise CommandError("Choose --new-team, or --into TEAM to replace a team's work.")
    if args.into and not args.yes:
        raise CommandError(f"This replaces the work of team {args.into}. Earlier versions "
                           "stay in its history. Add --yes to confirm.")
    with _store() as store:
        workshops = store.list_workshops(SYSTEM)
        if args.workshop:
            chosen = [w for w in workshops if w.slug == args.workshop]
            if not chosen:
                raise CommandError(f"There is no workshop '{args.workshop}'. Workshops: "
                                   + ", ".join(w.slug for w in workshops))
            workshop = chosen[0]
        elif workshops:
            workshop = workshops[-1]
        else:
            raise CommandError("There is no workshop yet. Run `isc demo` or create one in "
                               "the app first.")
        into = store.find_team(SYSTEM, args.into).id if args.into else None
        try:
            team, code = portable.import_team(store, SYSTEM, auth.server_key(store.path),
                                              path.read_bytes(), workshop_id=workshop.id,
                                              into_team_id=into)
        except portable.PortableError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
    print(json.dumps({"id": team.id, "slug": team.slug, "workshop": workshop.slug,
                      "join_code": code}))


def cmd_progress(args: argparse.Namespace) -> None:
    import datetime as dt

    from exports.followup import progress_report_pdf

    out = Path(args.out)
    with _store() as store:
        team = store.find_team(SYSTEM, args.team)
        data = progress_report_pdf(store, SYSTEM, team.id, dt.date.today())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"Wrote {out} ({len(data):,} bytes)")


def cmd_webinars(args: argparse.Namespace) -> None:
    from toolkit import followup

    if not args.ics:
        raise CommandError("Add --ics: the webinar series is written as a calendar file.")
    with _store() as store:
        workshops = store.list_workshops(SYSTEM)
        if args.workshop:
            chosen = [w for w in workshops if w.slug == args.workshop]
            if not chosen:
                raise CommandError(f"There is no workshop '{args.workshop}'. Workshops: "
                                   + ", ".join(w.slug for w in workshops))
            workshop = chosen[0]
        elif len(workshops) == 1:
            workshop = workshops[0]
        elif not workshops:
            raise CommandError("There is no workshop yet. Run `isc demo` or create one in "
                               "the app first.")
        else:
            raise CommandError("There are several workshops; choose one with --workshop: "
                               + ", ".join(w.slug for w in workshops))
        webinars = store.webinars(SYSTEM, workshop.id)
    if not webinars:
        raise CommandError(f"Workshop '{workshop.slug}' has no webinars scheduled yet.")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(followup.series_ics(webinars, f"{workshop.name}: webinars"),
                   encoding="utf-8", newline="")
    print(f"Wrote {out} ({len(webinars)} webinars)")


def cmd_budget_inspect(args: argparse.Namespace) -> None:
    from toolkit import budget_import as bi

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path} does not exist or is not a file.")
    try:
        result = bi.read_budget(path.read_bytes(), path.name, sheet=args.sheet,
                                amount=args.amount, year=args.year)
    except bi.BudgetFileError as exc:
        raise CommandError(str(exc)) from None
    summary = bi.to_json_summary(result)
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    print(f"{summary['file']}: {summary['rows']:,} line items, total {summary['total']} "
          f"from column '{summary['amount_column']}'")
    for role, column in summary["mapping"].items():
        print(f"  {role:<11} {column or '-'}")
    print(f"  {len(summary['skipped'])} rows left out; {len(summary['warnings'])} warnings")
    for warning in summary["warnings"]:
        print(f"  ! {warning}")


def cmd_backup(args: argparse.Namespace) -> None:
    dest = Path(args.file)
    if dest.exists() and not args.force:
        raise CommandError(f"{dest} already exists. Choose another name or add --force.")
    with _store() as store:
        store.backup(dest)
    with Store(dest, migrate=False) as copy:
        if not copy.integrity_ok():
            raise CommandError(f"The backup at {dest} failed its integrity check.")
    print(f"Backed up {db_path()} to {dest} (integrity check passed)")


def cmd_restore(args: argparse.Namespace) -> None:
    import datetime as dt

    from toolkit.store import check_backup, restore, schema_names

    source, target = Path(args.file), db_path()
    applied = check_backup(source)  # refuse a bad file before asking anything
    if not args.yes:
        question = (f"This replaces all the work in {target} with the backup {source}. The "
                    "database as it is now is kept beside it. Type yes to restore: ")
        if not sys.stdin.isatty():
            raise CommandError(f"This replaces all the work in {target} with {source}. "
                               "Add --yes to confirm.")
        if input(question).strip().lower() != "yes":
            raise CommandError("Nothing was restored.")
    aside = restore(source, target, dt.datetime.now(dt.UTC))
    with Store(target, migrate=False) as store:
        teams = len(store.list_teams(SYSTEM))
    print(f"Restored {source} into {target} ({teams} teams; integrity check passed).")
    if applied != schema_names():
        print(f"  The backup was from an older version; it was brought up to date "
              f"({len(schema_names()) - len(applied)} database changes applied).")
    if aside:
        print(f"  The database as it was is kept at {aside}.")
    print("  Anyone who signed in after the backup was made signs in again.")


def cmd_password(args: argparse.Namespace) -> None:
    if not args.reset:
        raise CommandError("Add --reset to set a new facilitator password.")
    password = os.environ.get("ISC_FACILITATOR_PASSWORD") or auth.new_password()
    with _store() as store:
        auth.set_facilitator_password(store, password)
        store.audit("facilitator-password", "reset", actor="isc command line")
    if "ISC_FACILITATOR_PASSWORD" in os.environ:
        print("Facilitator password set from ISC_FACILITATOR_PASSWORD.")
    else:
        print(f"New facilitator password: {password}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isc",
        description="ISC Blueprint: the workshop app of the Mayors Leadership Institute on "
                    "Smart Cities. Every command uses the database at $ISC_DB "
                    f"(default {Path('data/isc.db')}).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("serve", cmd_serve, "Start the app (creates the demo workshop on first start).")
    p.add_argument("--port", type=int, default=int(os.environ.get("ISC_PORT", 8501)),
                   help="port to listen on (default 8501, or $ISC_PORT)")
    p.add_argument("--address", default=os.environ.get("ISC_ADDRESS", "localhost"),
                   help="address to listen on (default localhost; 0.0.0.0 for a room network)")
    p.add_argument("--no-demo", action="store_true", help="do not create the demo workshop")

    add("demo", cmd_demo, "Create the demo workshop with three fictional cities, once.")

    p = add("teams", cmd_teams, "List every team: id, city, slug and workshop.")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = add("export", cmd_export, "Write a team's Blueprint (or every team's) to files.")
    p.add_argument("team", metavar="TEAM", nargs="?",
                   help="the team's id or slug (see `isc teams`)")
    p.add_argument("--all", action="store_true", help="every team, into the folder --out")
    p.add_argument("--format", choices=["pdf", "xlsx", "json"], default="pdf",
                   help="pdf (the Blueprint), xlsx (the workbook) or json (the portable "
                        "file `isc import` reads); default pdf")
    p.add_argument("--out", required=True, metavar="FILE_OR_DIR",
                   help="the file to write (a folder with --all)")

    p = add("import", cmd_import, "Restore a team from a Blueprint JSON file.")
    p.add_argument("file", metavar="FILE", help="a file written by `isc export --format json`")
    p.add_argument("--new-team", action="store_true", help="create a new team from the file")
    p.add_argument("--into", metavar="TEAM", help="replace this team's work instead")
    p.add_argument("--yes", action="store_true", help="confirm replacing a team's work")
    p.add_argument("--workshop", metavar="SLUG",
                   help="the workshop for a new team (default: the newest)")

    p = add("progress", cmd_progress, "Write a team's progress report (PDF) after the Institute.")
    p.add_argument("team", metavar="TEAM", help="the team's id or slug (see `isc teams`)")
    p.add_argument("--out", required=True, metavar="FILE", help="the PDF file to write")

    p = add("webinars", cmd_webinars, "Write the calendar (.ics) of a workshop's webinars.")
    p.add_argument("--ics", action="store_true", help="write an iCalendar file (required)")
    p.add_argument("--out", required=True, metavar="FILE", help="the .ics file to write")
    p.add_argument("--workshop", metavar="SLUG",
                   help="the workshop (needed when there are several)")

    budget = sub.add_parser("budget", help="Budget files: check one before a team uploads it.",
                            description="Budget files: check one before a team uploads it.")
    budget_sub = budget.add_subparsers(dest="budget_command", required=True, metavar="ACTION")
    p = budget_sub.add_parser(
        "inspect", help="Read a budget file and report what the importer makes of it.",
        description="Read a budget file (CSV or XLSX) exactly as the app would and report "
                    "the lines kept, the total, the column mapping and every row left out.")
    p.set_defaults(func=cmd_budget_inspect)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--sheet", help="the sheet to read (default: the first with data)")
    p.add_argument("--amount", metavar="COLUMN", help="the amount column (default: proposed)")
    p.add_argument("--year", help="the fiscal year to keep, for files with a year column")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = add("backup", cmd_backup, "Copy the database safely while the app is running.")
    p.add_argument("file", metavar="FILE", help="where to write the copy")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    p = add("restore", cmd_restore,
            "Put a backup in place of the database (the current one is kept beside it).")
    p.add_argument("file", metavar="FILE", help="a file written by `isc backup`")
    p.add_argument("--yes", action="store_true", help="restore without asking to confirm")

    p = add("password", cmd_password, "Set a new facilitator password and print it.")
    p.add_argument("--reset", action="store_true", help="confirm: replace the current password")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (CommandError, StoreError, ContentError, auth.SignInError) as exc:
        print(f"isc {args.command}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
