"""The only module that talks to SQLite: workshops, teams, versioned documents, sessions, audit.

Every call that touches a team's work takes an `Actor` and refuses what that actor may not
see, whatever the page asked for. Writes run in `BEGIN IMMEDIATE` transactions so that two
writers queue on the busy timeout instead of failing half-way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

import sqlite_utils
from pydantic import BaseModel
from sqlite_utils.migrations import Migrations

DEFAULT_DB = "data/isc.db"
BUSY_TIMEOUT_MS = 30_000

Role = Literal["facilitator", "team", "guest", "system"]


class StoreError(Exception):
    """Base for errors a person can act on; the message is written for them."""


class AccessDenied(StoreError):
    pass


class NotFound(StoreError):
    pass


class StaleVersion(StoreError):
    """Someone saved this document after the version the caller edited."""

    def __init__(self, kind: str, current: Saved):
        self.current = current
        who = current.saved_by or "someone"
        super().__init__(
            f"{who} saved a newer version of this {kind.replace('_', ' ')} "
            f"at {current.saved_at:%H:%M} UTC while you were editing. "
            "Their version is shown now; your text is kept below so you can copy it back."
        )


class Conflict(StoreError):
    pass


class StoreUnavailable(StoreError):
    """The database cannot take a write right now (disk full, read-only, too busy). The
    transaction was rolled back, everything saved before is safe, and reading still works.

    `problem` and `advice` let a page put what it kept in between, e.g. "Your text is still
    in the box".
    """

    def __init__(self, reason: Literal["full", "read-only", "disk", "busy"]):
        self.reason = reason
        self.problem = {
            "full": "The workshop database cannot save right now (the disk is full).",
            "read-only": "The workshop database is read-only, so it cannot save right now.",
            "disk": "The workshop database cannot save right now (the disk cannot be "
                    "written to).",
            "busy": "The workshop database is too busy to save right now.",
        }[reason]
        self.advice = "try again in a moment" if reason == "busy" else "tell a facilitator"
        super().__init__(self.explain("Nothing was changed"))

    def explain(self, kept: str) -> str:
        return f"{self.problem} {kept}; {self.advice}."

    @classmethod
    def from_sqlite(cls, exc: sqlite3.Error) -> StoreUnavailable | None:
        """The person-facing error for SQLite's "cannot write" failures; None for others."""
        # Extended codes (SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE, ...) share the low byte.
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        reason = {sqlite3.SQLITE_FULL: "full", sqlite3.SQLITE_READONLY: "read-only",
                  sqlite3.SQLITE_PERM: "read-only", sqlite3.SQLITE_IOERR: "disk",
                  sqlite3.SQLITE_CANTOPEN: "disk", sqlite3.SQLITE_BUSY: "busy"}.get(code)
        return cls(reason) if reason else None


@dataclass(frozen=True)
class Actor:
    """Who is asking. Pages build one from the signed-in session; the CLI acts as `system`."""

    role: Role
    name: str
    team_id: int | None = None
    # Teams whose case study this team reviews in an open peer round (read only).
    peers: frozenset[int] = frozenset()
    # A facilitator opens a team's pages read-only until choosing to edit them.
    read_only: bool = False

    def can_read(self, team_id: int) -> bool:
        if self.role in ("facilitator", "system", "guest"):
            return True
        return self.role == "team" and (self.team_id == team_id or team_id in self.peers)

    def peer_only(self, team_id: int) -> bool:
        """True when this actor reads the team's case study only as its peer reviewer: the
        case study, not its clinic feedback, reviews from others or its history."""
        return self.role == "team" and team_id != self.team_id

    def can_write(self, team_id: int) -> bool:
        if self.read_only:
            return False
        if self.role in ("facilitator", "system"):
            return True
        return self.role == "team" and self.team_id == team_id

    @property
    def is_staff(self) -> bool:
        return self.role in ("facilitator", "system")


SYSTEM = Actor(role="system", name="isc command line")

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Saved(Generic[M]):
    body: M
    version: int  # 0 means "never saved": the body is the model's defaults
    saved_at: dt.datetime | None = None
    saved_by: str | None = None


@dataclass(frozen=True)
class Revision:
    id: int
    version: int
    saved_at: dt.datetime
    saved_by: str
    restored_from: int | None


@dataclass(frozen=True)
class Workshop:
    id: int
    slug: str
    name: str
    place: str
    starts_on: dt.date | None
    ends_on: dt.date | None


@dataclass(frozen=True)
class Team:
    id: int
    workshop_id: int
    slug: str
    city: str
    state: str
    join_sealed: str | None = None  # encrypted join code; only staff see it (see auth.py)


@dataclass(frozen=True)
class BudgetImportInfo:
    id: int
    filename: str
    format: str
    sheet: str | None
    amount_column: str
    year: str | None
    expenses_only: bool
    line_count: int
    total_cents: int
    details: dict[str, Any]  # mapping, skipped rows, warnings, counts: as the importer said
    imported_at: dt.datetime
    imported_by: str
    is_current: bool


# Kinds of document whose bodies a team member may ask for across the cohort: only to compute
# figures that name no team (the self-assessment's medians, five teams at least).
COHORT_KINDS = frozenset({"assessment"})

BUDGET_DIMENSIONS = ("department", "division", "category", "fund", "year")


@dataclass(frozen=True)
class Session:
    id: int
    role: Role
    name: str
    team_id: int | None
    expires_at: dt.datetime

    @property
    def actor(self) -> Actor:
        return Actor(role=self.role, name=self.name, team_id=self.team_id)


# --- the resource guidebook ----------------------------------------------------------------

GUIDE_KINDS = ("organization", "program", "case_study", "person")
GUIDE_STATUSES = ("pending", "approved", "rejected", "withdrawn")
# What a person edits; the rest (status, who, when) the store keeps itself.
GUIDE_FIELDS = ("kind", "name", "title", "organization", "city", "state", "topics", "summary",
                "help_with", "contact", "website", "source", "last_verified", "verify_note",
                "consent_given")
GUIDE_SEED_BY = "guidebook content"  # `updated_by` of a seed entry nobody has edited since
GUIDE_LISTED = ("approved", "pending")  # what searches show unless asked for more
# Full-text columns and their bm25 weights: a hit in the name counts most.
GUIDE_FTS_COLUMNS = ("name", "title", "organization", "summary", "help_with", "topics_text", "city")
GUIDE_FTS_WEIGHTS = (10.0, 3.0, 5.0, 1.5, 2.0, 4.0, 1.0)
GUIDE_NOTE_LIMIT = 600
GUIDE_REASON_LIMIT = 400


class InvalidEntry(StoreError):
    """A guidebook change the store will not keep (no consent, no reason, a bad status)."""


class DuplicateEntry(Conflict):
    """The entry is already in the guidebook; `existing_id` names the one to use instead."""

    def __init__(self, message: str, existing_id: int):
        super().__init__(message)
        self.existing_id = existing_id


@dataclass(frozen=True)
class GuideEntry:
    id: int
    content_id: str | None  # the seed's id in content/guidebook.yaml; None for contributions
    workshop_id: int | None  # None: listed for every cohort
    kind: str
    name: str
    title: str
    organization: str
    city: str
    state: str
    topics: tuple[str, ...]
    summary: str
    help_with: str
    contact: str | None  # None when the caller asked for an entry without contact details
    website: str
    source: str
    last_verified: dt.date | None
    verify_note: str
    consent_given: bool
    status: str
    reject_reason: str
    contributed_by_team_id: int | None
    version: int
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str

    def fields(self) -> dict[str, Any]:
        """The editable fields, as a form or a CSV row starts from."""
        return {name: getattr(self, name) for name in GUIDE_FIELDS}


@dataclass(frozen=True)
class GuideResults:
    entries: list[GuideEntry]
    total: int  # how many match in all, beyond `limit`


@dataclass(frozen=True)
class GuideChange:
    """One line of an entry's history: what happened, who did it, and the entry after it."""

    id: int
    entry_id: int
    version: int
    action: str  # created, seeded, imported, edited, approved, rejected, withdrawn
    changed: tuple[str, ...]
    reason: str
    snapshot: dict[str, Any]
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class SavedGuideEntry:
    """An entry on a team's "who we will call" list, with the team's note on why."""

    team_id: int
    entry_id: int
    note: str
    saved_by: str
    saved_at: dt.datetime
    entry: GuideEntry | None  # None once the entry is withdrawn or no longer shared


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _parse_time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _parse_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def kind_of(model: type[BaseModel]) -> str:
    kind = getattr(model, "KIND", None)
    if not kind:
        raise TypeError(f"{model.__name__} needs a KIND class attribute to be stored")
    return kind


# --- schema ---------------------------------------------------------------------------

migrations = Migrations("isc")


@migrations(name="001_core")
def _m001_core(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE workshops (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            starts_on TEXT,
            ends_on TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE teams (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            slug TEXT NOT NULL UNIQUE,
            join_digest TEXT UNIQUE,
            join_sealed TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE documents (
            team_id INTEGER NOT NULL REFERENCES teams(id),
            kind TEXT NOT NULL,
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            saved_by TEXT NOT NULL,
            PRIMARY KEY (team_id, kind)
        );
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            kind TEXT NOT NULL,
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            saved_by TEXT NOT NULL,
            restored_from INTEGER REFERENCES revisions(id)
        );
        CREATE UNIQUE INDEX revisions_by_doc ON revisions(team_id, kind, version);
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            token_digest TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            team_id INTEGER REFERENCES teams(id),
            name TEXT NOT NULL,
            client TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT
        );
        CREATE TABLE auth_tickets (
            digest TEXT PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            token TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            outcome TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            team_id INTEGER,
            subject TEXT NOT NULL DEFAULT '',
            client TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_by_event_time ON audit_log(event, at);
        """
    )


@migrations(name="002_budget")
def _m002_budget(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE budget_imports (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            filename TEXT NOT NULL,
            format TEXT NOT NULL,
            sheet TEXT,
            amount_column TEXT NOT NULL,
            year TEXT,
            expenses_only INTEGER NOT NULL DEFAULT 0,
            line_count INTEGER NOT NULL,
            total_cents INTEGER NOT NULL,
            details TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL,
            is_current INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX budget_imports_by_team ON budget_imports(team_id, is_current);
        CREATE TABLE budget_lines (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES budget_imports(id) ON DELETE CASCADE,
            row_no INTEGER NOT NULL,
            department TEXT NOT NULL,
            division TEXT NOT NULL,
            category TEXT NOT NULL,
            fund TEXT NOT NULL,
            year TEXT NOT NULL,
            amount_cents INTEGER NOT NULL,
            amount_missing INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX budget_lines_by_import ON budget_lines(import_id);
        """
    )


@migrations(name="003_guidebook")
def _m003_guidebook(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE guide_entries (
            id INTEGER PRIMARY KEY,
            content_id TEXT UNIQUE,
            workshop_id INTEGER REFERENCES workshops(id),
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            organization TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT '',
            topics TEXT NOT NULL DEFAULT '[]',
            topics_text TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            help_with TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            website TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            last_verified TEXT,
            verify_note TEXT NOT NULL DEFAULT '',
            consent_given INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
            reject_reason TEXT NOT NULL DEFAULT '',
            contributed_by_team_id INTEGER REFERENCES teams(id),
            name_key TEXT NOT NULL,
            website_key TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            CHECK (kind != 'person' OR consent_given = 1)
        );
        CREATE INDEX guide_entries_by_name_key ON guide_entries(name_key);
        CREATE INDEX guide_entries_by_website_key ON guide_entries(website_key);
        CREATE INDEX guide_entries_by_status ON guide_entries(status, contributed_by_team_id);
        CREATE TABLE guide_entry_history (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES guide_entries(id),
            version INTEGER NOT NULL,
            action TEXT NOT NULL,
            changed TEXT NOT NULL DEFAULT '[]',
            reason TEXT NOT NULL DEFAULT '',
            snapshot TEXT NOT NULL,
            at TEXT NOT NULL,
            by TEXT NOT NULL
        );
        CREATE INDEX guide_history_by_entry ON guide_entry_history(entry_id, id);
        CREATE TABLE guide_saved (
            team_id INTEGER NOT NULL REFERENCES teams(id),
            entry_id INTEGER NOT NULL REFERENCES guide_entries(id),
            note TEXT NOT NULL DEFAULT '',
            saved_by TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            PRIMARY KEY (team_id, entry_id)
        );
        """
    )
    # Porter stemming lets "permit" find "permitting"; the triggers keep the index in step
    # with every insert, update and delete, so no code path can forget to reindex.
    db["guide_entries"].enable_fts(
        GUIDE_FTS_COLUMNS, create_triggers=True,
        tokenize="porter unicode61 remove_diacritics 2",
    )


@migrations(name="004_clinic_and_invites")
def _m004_clinic_and_invites(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            tool TEXT NOT NULL,
            item TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            author_role TEXT NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            resolved_by TEXT,
            resolved_at TEXT
        );
        CREATE INDEX feedback_by_team ON feedback(team_id, status);
        CREATE TABLE feedback_replies (
            id INTEGER PRIMARY KEY,
            feedback_id INTEGER NOT NULL REFERENCES feedback(id),
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            author_role TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE clinic_ratings (
            team_id INTEGER NOT NULL REFERENCES teams(id),
            tool TEXT NOT NULL,
            rating TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (team_id, tool)
        );
        CREATE TABLE invites (
            id INTEGER PRIMARY KEY,
            role TEXT NOT NULL,
            name TEXT NOT NULL,
            code_digest TEXT NOT NULL UNIQUE,
            sealed TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        """
    )


@migrations(name="005_peer_rounds")
def _m005_peer_rounds(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE peer_rounds (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            name TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE peer_reviews (
            round_id INTEGER NOT NULL REFERENCES peer_rounds(id),
            reviewer_team_id INTEGER NOT NULL REFERENCES teams(id),
            reviewed_team_id INTEGER NOT NULL REFERENCES teams(id),
            strong TEXT NOT NULL DEFAULT '',
            questions TEXT NOT NULL DEFAULT '',
            suggestion TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            saved_at TEXT,
            takeaway TEXT NOT NULL DEFAULT '',
            takeaway_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (round_id, reviewer_team_id, reviewed_team_id)
        );
        """
    )


@migrations(name="006_webinars")
def _m006_webinars(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE webinars (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            title TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            timezone TEXT NOT NULL,
            duration_minutes INTEGER NOT NULL,
            agenda TEXT NOT NULL DEFAULT '',
            join_link TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX webinars_workshop ON webinars(workshop_id, starts_at);
        CREATE TABLE webinar_attendance (
            webinar_id INTEGER NOT NULL REFERENCES webinars(id) ON DELETE CASCADE,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            attended INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (webinar_id, team_id)
        );
        """
    )


@migrations(name="007_session_invites")
def _m007_session_invites(db: sqlite_utils.Database) -> None:
    # Which invitation a session signed in with, so withdrawing it ends those sessions too.
    db.execute("ALTER TABLE sessions ADD COLUMN invite_id INTEGER REFERENCES invites(id)")


@dataclass(frozen=True)
class Webinar:
    id: int
    workshop_id: int
    title: str
    starts_at: dt.datetime  # UTC
    timezone: str  # IANA name the facilitator chose; calendars show the time in it
    duration_minutes: int
    agenda: str
    join_link: str
    created_by: str
    created_at: dt.datetime


WEBINAR_TITLE_MAX = 160
WEBINAR_AGENDA_MAX = 3000
WEBINAR_LINK_MAX = 500


# --- the store ------------------------------------------------------------------------


def db_path() -> Path:
    return Path(os.environ.get("ISC_DB") or DEFAULT_DB)


class Store:
    """A connection to the workshop database. Cheap to open: open one per page run."""

    def __init__(self, path: str | Path | None = None, *, migrate: bool = True):
        self.path = Path(path) if path is not None else db_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves; Python's implicit
        # deferred transactions would upgrade to a write lock mid-way and fail.
        self.conn = sqlite3.connect(
            str(self.path),
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if str(self.path) != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        self.db = sqlite_utils.Database(self.conn)
        if migrate:
            self.migrate()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> None:
        if not migrations.pending(self.db):
            return
        # Two processes starting at once (the app and a CLI call) must not both migrate:
        # the write lock serialises them and the second finds nothing pending.
        with self._write():
            migrations.apply(self.db)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self._rollback()
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self._rollback()  # a COMMIT that failed (disk full) can leave it open
                raise
        except sqlite3.OperationalError as exc:
            # A full disk, a read-only file or a lock held too long: the page says so plainly
            # instead of crashing on "database or disk is full".
            unavailable = StoreUnavailable.from_sqlite(exc)
            if unavailable is None:
                raise
            raise unavailable from exc

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def _one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        cursor = self.conn.execute(sql, params)
        cursor.row_factory = sqlite3.Row
        return cursor.fetchone()

    def _all(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        cursor = self.conn.execute(sql, params)
        cursor.row_factory = sqlite3.Row
        return cursor.fetchall()

    # --- settings (server-side, never shown to users) ---

    def get_setting(self, key: str) -> str | None:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- workshops and teams ---

    def create_workshop(
        self,
        actor: Actor,
        *,
        slug: str,
        name: str,
        place: str = "",
        starts_on: dt.date | None = None,
        ends_on: dt.date | None = None,
    ) -> Workshop:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can create a workshop.")
        try:
            with self._write() as conn:
                cursor = conn.execute(
                    "INSERT INTO workshops(slug, name, place, starts_on, ends_on, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        slug,
                        name,
                        place,
                        starts_on.isoformat() if starts_on else None,
                        ends_on.isoformat() if ends_on else None,
                        _iso(utcnow()),
                    ),
                )
        except sqlite3.IntegrityError:
            raise Conflict(f"A workshop with the short name '{slug}' already exists.") from None
        return self.get_workshop(actor, cursor.lastrowid)

    def get_workshop(self, actor: Actor, workshop_id: int) -> Workshop:
        # A team member is refused before the lookup, so the answer is the same whether or
        # not the workshop exists.
        if actor.role == "team":
            team = self.get_team(actor, actor.team_id or -1)
            if team.workshop_id != workshop_id:
                raise AccessDenied("You can only see your own workshop.")
        row = self._one("SELECT * FROM workshops WHERE id = ?", (workshop_id,))
        if row is None:
            raise NotFound("That workshop does not exist.")
        return _workshop(row)

    def list_workshops(self, actor: Actor) -> list[Workshop]:
        if actor.role == "team":
            team = self.get_team(actor, actor.team_id or -1)
            return [self.get_workshop(actor, team.workshop_id)]
        return [_workshop(r) for r in self._all("SELECT * FROM workshops ORDER BY id")]

    _TEAM_SQL = """
        SELECT t.id, t.workshop_id, t.slug, t.join_sealed,
               coalesce(json_extract(p.body, '$.city'), '') AS city,
               coalesce(json_extract(p.body, '$.state'), '') AS state
        FROM teams t LEFT JOIN documents p ON p.team_id = t.id AND p.kind = 'profile'
    """

    def create_team(
        self,
        actor: Actor,
        *,
        workshop_id: int,
        slug: str,
        join_digest: str,
        join_sealed: str,
        documents: list[BaseModel] = (),
    ) -> Team:
        """A team and its first documents, in one transaction: all of it or none of it."""
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can add a team.")
        now = _iso(utcnow())
        try:
            with self._write() as conn:
                cursor = conn.execute(
                    "INSERT INTO teams(workshop_id, slug, join_digest, join_sealed, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (workshop_id, slug, join_digest, join_sealed, now),
                )
                team_id = cursor.lastrowid
                for body in documents:
                    self._insert_version(conn, team_id, kind_of(type(body)), 1, body, actor, now)
        except sqlite3.IntegrityError as exc:
            if "slug" in str(exc):
                raise Conflict(f"A team with the short name '{slug}' already exists.") from None
            raise
        return self.get_team(actor, team_id)

    def get_team(self, actor: Actor, team_id: int) -> Team:
        if not actor.can_read(team_id):
            raise AccessDenied("You can only open your own team's work.")
        row = self._one(self._TEAM_SQL + " WHERE t.id = ?", (team_id,))
        if row is None:
            raise NotFound(f"There is no team with id {team_id}.")
        return _team(row, with_code=actor.is_staff)

    def find_team(self, actor: Actor, id_or_slug: str) -> Team:
        """A team by numeric id or by slug, as typed on the command line."""
        text = str(id_or_slug).strip()
        if text.isdigit():
            return self.get_team(actor, int(text))
        row = self._one("SELECT id FROM teams WHERE slug = ?", (text.lower(),))
        if row is None and actor.role == "team":
            raise AccessDenied("You can only open your own team's work.")
        if row is None:
            raise NotFound(f"There is no team called '{text}'. `isc teams` lists them.")
        return self.get_team(actor, row["id"])

    def list_teams(self, actor: Actor, workshop_id: int | None = None) -> list[Team]:
        if actor.role == "team":
            return [self.get_team(actor, actor.team_id or -1)]
        sql, params = self._TEAM_SQL, ()
        if workshop_id is not None:
            sql, params = sql + " WHERE t.workshop_id = ?", (workshop_id,)
        rows = self._all(sql + " ORDER BY t.workshop_id, t.id", params)
        return [_team(r, with_code=actor.is_staff) for r in rows]

    def team_id_for_join_digest(self, digest: str) -> int | None:
        """Sign-in lookup; auth.py calls it before anyone is signed in."""
        row = self._one("SELECT id FROM teams WHERE join_digest = ?", (digest,))
        return row["id"] if row else None

    def set_join_code(self, actor: Actor, team_id: int, digest: str, sealed: str) -> None:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can issue a new join code.")
        with self._write() as conn:
            conn.execute(
                "UPDATE teams SET join_digest = ?, join_sealed = ? WHERE id = ?",
                (digest, sealed, team_id),
            )

    # --- documents ---

    def load(self, actor: Actor, team_id: int, model: type[M]) -> Saved[M]:
        """The team's current document of this kind, or the model's defaults at version 0."""
        if not actor.can_read(team_id):
            raise AccessDenied("You can only open your own team's work.")
        row = self._one(
            "SELECT * FROM documents WHERE team_id = ? AND kind = ?", (team_id, kind_of(model))
        )
        if row is None:
            return Saved(body=model(), version=0)
        return _saved(row, model)

    def save(self, actor: Actor, team_id: int, body: M, *, base_version: int) -> Saved[M]:
        """Save `body` if nobody saved since `base_version`; otherwise raise StaleVersion."""
        if not actor.can_write(team_id):
            raise AccessDenied(
                "You can read this team's work but not change it."
                if actor.can_read(team_id)
                else "You can only change your own team's work."
            )
        model, kind = type(body), kind_of(type(body))
        now = _iso(utcnow())
        with self._write() as conn:
            row = self._one(
                "SELECT version FROM documents WHERE team_id = ? AND kind = ?", (team_id, kind)
            )
            current = row["version"] if row else 0
            if current != base_version:
                conn.execute("ROLLBACK")
                raise StaleVersion(kind, self.load(actor, team_id, model))
            self._insert_version(conn, team_id, kind, current + 1, body, actor, now)
        return Saved(body, current + 1, _parse_time(now), actor.name)

    def _insert_version(
        self,
        conn: sqlite3.Connection,
        team_id: int,
        kind: str,
        version: int,
        body: BaseModel,
        actor: Actor,
        now: str,
        restored_from: int | None = None,
    ) -> None:
        text = body.model_dump_json()
        conn.execute(
            "INSERT INTO documents(team_id, kind, version, body, saved_at, saved_by) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(team_id, kind) DO UPDATE SET "
            "version = excluded.version, body = excluded.body, "
            "saved_at = excluded.saved_at, saved_by = excluded.saved_by",
            (team_id, kind, version, text, now, actor.name),
        )
        conn.execute(
            "INSERT INTO revisions(team_id, kind, version, body, saved_at, saved_by, "
            "restored_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (team_id, kind, version, text, now, actor.name, restored_from),
        )

    def revisions(self, actor: Actor, team_id: int, model: type[BaseModel],
                  *, limit: int = -1) -> list[Revision]:
        """The saved versions of a document, newest first: every one, or the latest `limit`."""
        self._may_read_private(actor, team_id)
        rows = self._all(
            "SELECT id, version, saved_at, saved_by, restored_from FROM revisions "
            "WHERE team_id = ? AND kind = ? ORDER BY version DESC LIMIT ?",
            (team_id, kind_of(model), limit),
        )
        return [
            Revision(r["id"], r["version"], _parse_time(r["saved_at"]), r["saved_by"],
                     r["restored_from"])
            for r in rows
        ]

    def revision_body(self, actor: Actor, team_id: int, model: type[M], revision_id: int) -> M:
        self._may_read_private(actor, team_id)
        row = self._one(
            "SELECT body FROM revisions WHERE id = ? AND team_id = ? AND kind = ?",
            (revision_id, team_id, kind_of(model)),
        )
        if row is None:
            raise NotFound("That earlier version does not exist for this team.")
        return model.model_validate_json(row["body"])

    def restore(
        self, actor: Actor, team_id: int, model: type[M], revision_id: int, *, base_version: int
    ) -> Saved[M]:
        """Make an earlier version current again, as a new version; history is never rewritten."""
        body = self.revision_body(actor, team_id, model, revision_id)
        if not actor.can_write(team_id):
            raise AccessDenied("You can only change your own team's work.")
        kind, now = kind_of(model), _iso(utcnow())
        with self._write() as conn:
            row = self._one(
                "SELECT version FROM documents WHERE team_id = ? AND kind = ?", (team_id, kind)
            )
            current = row["version"] if row else 0
            if current != base_version:
                conn.execute("ROLLBACK")
                raise StaleVersion(kind, self.load(actor, team_id, model))
            self._insert_version(conn, team_id, kind, current + 1, body, actor, now, revision_id)
        return Saved(body, current + 1, _parse_time(now), actor.name)

    @staticmethod
    def _may_read_private(actor: Actor, team_id: int,
                          message: str = "You can only open your own team's work.") -> None:
        """Reading what is not part of the case study a peer reviewer was given: history,
        clinic feedback and reviews from others."""
        if not actor.can_read(team_id) or actor.peer_only(team_id):
            raise AccessDenied(message)

    def last_activity(self, actor: Actor, team_id: int) -> dt.datetime | None:
        if not actor.can_read(team_id):
            raise AccessDenied("You can only open your own team's work.")
        row = self._one("SELECT max(saved_at) AS at FROM documents WHERE team_id = ?", (team_id,))
        return _parse_time(row["at"]) if row else None

    def document_bodies(self, actor: Actor, team_id: int) -> dict[str, Any]:
        """Every document of a team as plain JSON data, keyed by kind (for exports)."""
        if not actor.can_read(team_id):
            raise AccessDenied("You can only open your own team's work.")
        rows = self._all("SELECT kind, body FROM documents WHERE team_id = ?", (team_id,))
        return {r["kind"]: json.loads(r["body"]) for r in rows}

    def cohort_documents(self, actor: Actor, workshop_id: int, kind: str) -> list[str]:
        """The JSON bodies of one kind of document for every team in a workshop, in no
        particular order and without team ids: for cohort figures a team may see (medians),
        never for naming another city. Team members get their own workshop only."""
        if actor.role == "team":
            if kind not in COHORT_KINDS:
                raise AccessDenied("Teams see cohort figures only, not other teams' work.")
            own = self.get_team(actor, actor.team_id or -1)
            if own.workshop_id != workshop_id:
                raise AccessDenied("You can only see figures for your own workshop.")
        rows = self._all(
            "SELECT d.body FROM documents d JOIN teams t ON t.id = d.team_id "
            "WHERE t.workshop_id = ? AND d.kind = ? ORDER BY random()",
            (workshop_id, kind),
        )
        return [r["body"] for r in rows]

    # --- budget lines (a real table: a city budget has thousands of lines) ---

    def save_budget_import(
        self,
        actor: Actor,
        team_id: int,
        *,
        meta: dict[str, Any],
        lines: list[tuple[int, str, str, str, str, str, int, bool]],
    ) -> BudgetImportInfo:
        """Store an import and make it current, all or nothing; earlier imports are kept."""
        if not actor.can_write(team_id):
            raise AccessDenied("You can only change your own team's budget.")
        now = _iso(utcnow())
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO budget_imports(team_id, filename, format, sheet, amount_column, "
                "year, expenses_only, line_count, total_cents, details, imported_at, "
                "imported_by, is_current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (team_id, meta["filename"], meta["format"], meta.get("sheet"),
                 meta["amount_column"], meta.get("year"), int(bool(meta.get("expenses_only"))),
                 len(lines), sum(line[6] for line in lines), json.dumps(meta["details"]),
                 now, actor.name),
            )
            import_id = cursor.lastrowid
            conn.executemany(
                "INSERT INTO budget_lines(import_id, row_no, department, division, category, "
                "fund, year, amount_cents, amount_missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((import_id, *line[:7], int(line[7])) for line in lines),
            )
            conn.execute("UPDATE budget_imports SET is_current = (id = ?) WHERE team_id = ?",
                         (import_id, team_id))
        return self.current_budget(actor, team_id)

    def budget_imports(self, actor: Actor, team_id: int) -> list[BudgetImportInfo]:
        if not actor.can_read(team_id):
            raise AccessDenied("You can only open your own team's work.")
        rows = self._all("SELECT * FROM budget_imports WHERE team_id = ? ORDER BY id DESC",
                         (team_id,))
        return [_budget_import(r) for r in rows]

    def current_budget(self, actor: Actor, team_id: int) -> BudgetImportInfo | None:
        if not actor.can_read(team_id):
            raise AccessDenied("You can only open your own team's work.")
        row = self._one("SELECT * FROM budget_imports WHERE team_id = ? AND is_current = 1",
                        (team_id,))
        return _budget_import(row) if row else None

    def use_budget_import(self, actor: Actor, team_id: int, import_id: int) -> None:
        if not actor.can_write(team_id):
            raise AccessDenied("You can only change your own team's budget.")
        with self._write() as conn:
            found = conn.execute("SELECT 1 FROM budget_imports WHERE id = ? AND team_id = ?",
                                 (import_id, team_id)).fetchone()
            if not found:
                raise NotFound("That budget file is not one of your team's imports.")
            conn.execute("UPDATE budget_imports SET is_current = (id = ?) WHERE team_id = ?",
                         (import_id, team_id))

    def _current_import_id(self, actor: Actor, team_id: int) -> int | None:
        info = self.current_budget(actor, team_id)
        return info.id if info else None

    def budget_totals(
        self, actor: Actor, team_id: int, by: str, *, where: dict[str, str] | None = None
    ) -> list[tuple[str, int, int]]:
        """(value, total cents, line count) per value of one dimension, largest first."""
        import_id = self._current_import_id(actor, team_id)
        if import_id is None:
            return []
        clause, params = self._budget_where(where)
        column = _dimension(by)
        rows = self._all(
            f"SELECT {column} AS value, sum(amount_cents) AS cents, count(*) AS n "  # noqa: S608
            f"FROM budget_lines WHERE import_id = ?{clause} GROUP BY {column} "
            "ORDER BY cents DESC, value",
            (import_id, *params),
        )
        return [(r["value"], r["cents"], r["n"]) for r in rows]

    def budget_pairs(self, actor: Actor, team_id: int, first: str, second: str
                     ) -> list[tuple[str, str, int]]:
        """Totals by two dimensions at once, e.g. (category, department), for allocations."""
        import_id = self._current_import_id(actor, team_id)
        if import_id is None:
            return []
        a, b = _dimension(first), _dimension(second)
        rows = self._all(
            f"SELECT {a} AS a, {b} AS b, sum(amount_cents) AS cents "  # noqa: S608
            f"FROM budget_lines WHERE import_id = ? GROUP BY {a}, {b}",
            (import_id,),
        )
        return [(r["a"], r["b"], r["cents"]) for r in rows]

    def budget_lines(
        self,
        actor: Actor,
        team_id: int,
        *,
        search: str = "",
        where: dict[str, str] | None = None,
        limit: int = 200,
        offset: int = 0,
        largest_first: bool = True,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of lines matching a text search and filters, and how many match in all."""
        import_id = self._current_import_id(actor, team_id)
        if import_id is None:
            return [], 0
        clause, params = self._budget_where(where)
        if search.strip():
            like = f"%{search.strip()}%"
            clause += (" AND (department LIKE ? OR division LIKE ? OR category LIKE ? "
                       "OR fund LIKE ?)")
            params += [like] * 4
        order = "abs(amount_cents) DESC" if largest_first else "row_no"
        rows = self._all(
            "SELECT id, row_no, department, division, category, fund, year, amount_cents, "  # noqa: S608 - only known column names are interpolated
            f"amount_missing FROM budget_lines WHERE import_id = ?{clause} "
            f"ORDER BY {order}, id LIMIT ? OFFSET ?",
            (import_id, *params, limit, offset),
        )
        total = self._one(
            f"SELECT count(*) AS n FROM budget_lines WHERE import_id = ?{clause}",  # noqa: S608
            (import_id, *params),
        )["n"]
        return [dict(r) for r in rows], total

    def budget_lines_by_id(self, actor: Actor, team_id: int, ids: list[int]
                           ) -> dict[int, dict[str, Any]]:
        import_id = self._current_import_id(actor, team_id)
        if import_id is None or not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._all(
            "SELECT id, row_no, department, division, category, fund, year, amount_cents "  # noqa: S608 - placeholders only
            f"FROM budget_lines WHERE import_id = ? AND id IN ({marks})",
            (import_id, *ids),
        )
        return {r["id"]: dict(r) for r in rows}

    def all_budget_lines(self, actor: Actor, team_id: int) -> list[tuple]:
        """Every line of the current import, in file order: (row, department, division,
        category, fund, year, amount cents, amount missing) — for exports."""
        import_id = self._current_import_id(actor, team_id)
        if import_id is None:
            return []
        return self.conn.execute(
            "SELECT row_no, department, division, category, fund, year, amount_cents, "
            "amount_missing FROM budget_lines WHERE import_id = ? ORDER BY row_no, id",
            (import_id,),
        ).fetchall()

    @staticmethod
    def _budget_where(where: dict[str, str] | None) -> tuple[str, list[Any]]:
        clause, params = "", []
        for column, value in (where or {}).items():
            clause += f" AND {_dimension(column)} = ?"
            params.append(value)
        return clause, params

    # --- the resource guidebook (a shared directory, not a team document) ---
    #
    # Who sees what: approved entries, everyone signed in; a pending, rejected or withdrawn
    # entry, only the team that contributed it and the facilitators. Contact details go out
    # unless the caller passes include_contact=False (a future public view).

    @staticmethod
    def _guide_visible(actor: Actor) -> tuple[str, list[Any]]:
        if actor.is_staff:
            return "1", []
        if actor.role == "team":
            return "(e.status = 'approved' OR e.contributed_by_team_id = ?)", [actor.team_id]
        return "e.status = 'approved'", []

    def _guide_row(self, entry_id: int) -> sqlite3.Row | None:
        return self._one("SELECT * FROM guide_entries e WHERE e.id = ?", (entry_id,))

    def _guide_row_for(self, actor: Actor, entry_id: int) -> sqlite3.Row:
        clause, params = self._guide_visible(actor)
        row = self._one(f"SELECT * FROM guide_entries e WHERE e.id = ? AND {clause}",  # noqa: S608 - clause is fixed SQL
                        (entry_id, *params))
        if row is None:
            raise NotFound("That guidebook entry does not exist or is not shared with you.")
        return row

    def guide_entry(self, actor: Actor, entry_id: int, *, include_contact: bool = True
                    ) -> GuideEntry:
        return _guide_entry(self._guide_row_for(actor, entry_id), include_contact)

    def guide_search(
        self,
        actor: Actor,
        query: str = "",
        *,
        kind: str | None = None,
        topic: str | None = None,
        city: str | None = None,
        state: str | None = None,
        statuses: tuple[str, ...] = GUIDE_LISTED,
        contributed_by: int | None = None,
        limit: int = 50,
        offset: int = 0,
        include_contact: bool = True,
        topic_first: bool = False,
    ) -> GuideResults:
        """Entries the actor may see, best match first (bm25); by name when there is no query
        (or, with `topic_first`, entries that name `topic` first, then by name).

        Every word must match (as a prefix, so "perm" finds permits); when that finds
        nothing, any word may match, still ranked by relevance.
        """
        clause, params = self._guide_visible(actor)
        where, args = [clause], list(params)
        unknown = set(statuses) - set(GUIDE_STATUSES)
        if unknown or not statuses:
            raise ValueError(f"unknown guidebook statuses {sorted(unknown)}")
        where.append(f"e.status IN ({','.join('?' * len(statuses))})")
        args += list(statuses)
        if kind:
            where.append("e.kind = ?")
            args.append(kind)
        if topic:
            where.append("EXISTS (SELECT 1 FROM json_each(e.topics) WHERE json_each.value = ?)")
            args.append(topic)
        if city and city.strip():
            where.append("e.city = ? COLLATE NOCASE")
            args.append(city.strip())
        if state and state.strip():
            where.append("e.state = ?")
            args.append(state.strip().upper())
        if contributed_by is not None:
            where.append("e.contributed_by_team_id = ?")
            args.append(contributed_by)
        limit, offset = max(0, min(int(limit), 500)), max(0, int(offset))
        words = _fts_words(query)
        if not words:
            sql_where = " AND ".join(where)
            total = self._one(f"SELECT count(*) AS n FROM guide_entries e WHERE {sql_where}",  # noqa: S608 - fixed clauses, bound values
                              tuple(args))["n"]
            order, order_args = "e.name COLLATE NOCASE, e.id", []
            if topic_first and topic:
                # json_each's key is the position in the list: 0 for an entry's main topic.
                order = ("(SELECT json_each.key FROM json_each(e.topics) WHERE json_each.value "
                         "= ?), json_array_length(e.topics), e.name COLLATE NOCASE, e.id")
                order_args = [topic]
            rows = self._all(
                f"SELECT e.* FROM guide_entries e WHERE {sql_where} "  # noqa: S608
                f"ORDER BY {order} LIMIT ? OFFSET ?",
                (*args, *order_args, limit, offset))
            return GuideResults([_guide_entry(r, include_contact) for r in rows], total)
        weights = ", ".join(str(w) for w in GUIDE_FTS_WEIGHTS)
        for joiner in (" ", " OR ") if len(words) > 1 else (" ",):
            match = joiner.join(f'"{w}"*' for w in words)
            sql_where = " AND ".join(["guide_entries_fts MATCH ?", *where])
            base = ("FROM guide_entries_fts JOIN guide_entries e "
                    f"ON e.id = guide_entries_fts.rowid WHERE {sql_where}")
            total = self._one(f"SELECT count(*) AS n {base}", (match, *args))["n"]  # noqa: S608
            if total:
                break
        rows = self._all(
            f"SELECT e.*, bm25(guide_entries_fts, {weights}) AS rank {base} "  # noqa: S608
            "ORDER BY rank, e.name COLLATE NOCASE, e.id LIMIT ? OFFSET ?",
            (match, *args, limit, offset))
        return GuideResults([_guide_entry(r, include_contact) for r in rows], total)

    def guide_places(self, actor: Actor) -> tuple[list[str], list[str]]:
        """The cities and states of the entries the actor can find, for the filters."""
        clause, params = self._guide_visible(actor)
        rows = self._all(
            f"SELECT DISTINCT e.city, e.state FROM guide_entries e WHERE {clause} "  # noqa: S608
            "AND e.status IN ('approved', 'pending')", tuple(params))
        cities = sorted({r["city"] for r in rows if r["city"]}, key=str.casefold)
        states = sorted({r["state"] for r in rows if r["state"]})
        return cities, states

    def _guide_duplicate(self, fields: dict[str, Any], exclude_id: int | None = None
                         ) -> sqlite3.Row | None:
        """A listed entry with the same name and organization, or (for organizations,
        programs and case studies) the same website."""
        # Two lookups rather than one OR, so that each uses its index.
        listed = ("SELECT id, name, kind, status FROM guide_entries "
                  "WHERE status IN ('approved', 'pending') AND id != ? AND ")
        order = " ORDER BY status = 'approved' DESC, id LIMIT 1"
        name_key = guide_name_key(fields["name"], fields.get("organization") or "")
        row = self._one(listed + "name_key = ?" + order, (exclude_id or -1, name_key))
        website_key = guide_website_key(fields.get("website") or "")
        if row is None and website_key and fields["kind"] != "person":
            row = self._one(listed + "website_key = ? AND kind != 'person'" + order,
                            (exclude_id or -1, website_key))
        return row

    @staticmethod
    def _guide_duplicate_message(row: sqlite3.Row) -> str:
        waiting = " It is waiting for a facilitator's review." if row["status"] == "pending" else ""
        return (f"This looks like an entry already in the guidebook: \"{row['name']}\" "
                f"({row['kind'].replace('_', ' ')}, entry {row['id']}).{waiting} "
                "Save that entry to your list, or ask a facilitator to update it.")

    def _guide_check(self, fields: dict[str, Any]) -> dict[str, Any]:
        """The store's own guard on what it keeps, whatever form or file the fields came from."""
        missing = [f for f in ("kind", "name", "help_with") if not fields.get(f)]
        if missing:
            raise InvalidEntry(f"A guidebook entry needs: {', '.join(missing)}.")
        if fields["kind"] not in GUIDE_KINDS:
            raise InvalidEntry(f"'{fields['kind']}' is not a kind of guidebook entry.")
        if fields["kind"] == "person" and not fields.get("consent_given"):
            raise InvalidEntry("A person can only be listed after they agree to it. "
                               "Tick the box that says they agreed.")
        website = fields.get("website") or ""
        if website and not website.startswith("https://"):
            raise InvalidEntry("A website must start with https://.")
        return {name: fields.get(name) for name in GUIDE_FIELDS} | {
            "topics_text": fields.get("topics_text")
            or " ".join(t.replace("_", " ") for t in fields.get("topics") or [])}

    def _guide_values(self, fields: dict[str, Any]) -> dict[str, Any]:
        last = fields.get("last_verified")
        return {
            "kind": fields["kind"], "name": fields["name"],
            "title": fields.get("title") or "", "organization": fields.get("organization") or "",
            "city": fields.get("city") or "", "state": (fields.get("state") or "").upper(),
            "topics": json.dumps(list(fields.get("topics") or [])),
            "topics_text": fields.get("topics_text") or "",
            "summary": fields.get("summary") or "", "help_with": fields["help_with"],
            "contact": fields.get("contact") or "", "website": fields.get("website") or "",
            "source": fields.get("source") or "",
            "last_verified": last.isoformat() if isinstance(last, dt.date) else (last or None),
            "verify_note": fields.get("verify_note") or "",
            "consent_given": int(bool(fields.get("consent_given"))),
            "name_key": guide_name_key(fields["name"], fields.get("organization") or ""),
            "website_key": guide_website_key(fields.get("website") or ""),
        }

    def _guide_insert(self, conn: sqlite3.Connection, values: dict[str, Any], *, status: str,
                      content_id: str | None, workshop_id: int | None, team_id: int | None,
                      by: str, now: str, action: str) -> int:
        row = {**values, "status": status, "content_id": content_id, "workshop_id": workshop_id,
               "contributed_by_team_id": team_id, "version": 1, "created_at": now,
               "created_by": by, "updated_at": now, "updated_by": by}
        columns = ", ".join(row)
        cursor = conn.execute(
            f"INSERT INTO guide_entries({columns}) VALUES ({', '.join('?' * len(row))})",  # noqa: S608 - our own column names
            tuple(row.values()))
        self._guide_log(conn, cursor.lastrowid, action, list(GUIDE_FIELDS), "", by, now)
        return cursor.lastrowid

    def _guide_log(self, conn: sqlite3.Connection, entry_id: int, action: str,
                   changed: list[str], reason: str, by: str, now: str) -> None:
        row = self._guide_row(entry_id)
        snapshot = _guide_entry(row, True)
        data = {**snapshot.fields(), "status": snapshot.status,
                "reject_reason": snapshot.reject_reason}
        data["last_verified"] = row["last_verified"]
        data["topics"] = list(snapshot.topics)
        conn.execute(
            "INSERT INTO guide_entry_history(entry_id, version, action, changed, reason, "
            "snapshot, at, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (entry_id, row["version"], action, json.dumps(changed), reason, json.dumps(data),
             now, by))

    def guide_seed(self, actor: Actor, entries: list[dict[str, Any]]) -> tuple[int, int]:
        """Add the content seed, keyed by each entry's `content_id`; (added, updated).

        Running it again adds nothing. A seed entry nobody has touched since is refreshed from
        content; one a facilitator edited, withdrew or approved is left as they made it.
        """
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can load the guidebook's seed entries.")
        added = updated = 0
        now = _iso(utcnow())
        with self._write() as conn:
            for item in entries:
                content_id = item["content_id"]
                values = self._guide_values(self._guide_check(item))
                row = self._one("SELECT * FROM guide_entries WHERE content_id = ?", (content_id,))
                if row is None:
                    self._guide_insert(conn, values, status="approved", content_id=content_id,
                                       workshop_id=None, team_id=None, by=GUIDE_SEED_BY,
                                       now=now, action="seeded")
                    added += 1
                    continue
                changed = [k for k, v in values.items() if row[k] != v]
                if not changed or row["updated_by"] != GUIDE_SEED_BY:
                    continue
                sets = ", ".join(f"{k} = ?" for k in changed)
                conn.execute(
                    f"UPDATE guide_entries SET {sets}, version = version + 1, "  # noqa: S608 - our own column names
                    "updated_at = ? WHERE id = ?",
                    (*[values[k] for k in changed], now, row["id"]))
                self._guide_log(conn, row["id"], "seeded",
                                [k for k in changed if k in GUIDE_FIELDS], "", GUIDE_SEED_BY, now)
                updated += 1
        return added, updated

    def guide_add(self, actor: Actor, fields: dict[str, Any]) -> GuideEntry:
        """A team's contribution waits for a facilitator; a facilitator's is listed at once."""
        if actor.role == "guest":
            raise AccessDenied("Guests can read the guidebook but not add to it.")
        if actor.role not in ("team", "facilitator", "system"):
            raise AccessDenied("Sign in to add to the guidebook.")
        values = self._guide_values(self._guide_check(fields))
        workshop_id = None
        if actor.role == "team":
            workshop_id = self.get_team(actor, actor.team_id or -1).workshop_id
        now = _iso(utcnow())
        with self._write() as conn:
            duplicate = self._guide_duplicate(fields)
            if duplicate is not None:
                raise DuplicateEntry(self._guide_duplicate_message(duplicate), duplicate["id"])
            entry_id = self._guide_insert(
                conn, values, status="pending" if actor.role == "team" else "approved",
                content_id=None, workshop_id=workshop_id,
                team_id=actor.team_id if actor.role == "team" else None,
                by=actor.name, now=now, action="created")
        return self.guide_entry(actor, entry_id)

    def guide_import(self, actor: Actor, entries: list[dict[str, Any]]
                     ) -> list[tuple[int | None, str]]:
        """Add many entries at once (a facilitator's CSV), all in one transaction.

        Returns, per entry in order, (new id, "") or (None, why it was not added): a duplicate
        of a listed entry, or of an earlier entry in the same batch, is reported, not added.
        """
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can import guidebook entries.")
        checked = [self._guide_check(item) for item in entries]
        now = _iso(utcnow())
        results: list[tuple[int | None, str]] = []
        with self._write() as conn:
            for fields in checked:
                duplicate = self._guide_duplicate(fields)
                if duplicate is not None:
                    results.append((None, self._guide_duplicate_message(duplicate)))
                    continue
                results.append((self._guide_insert(
                    conn, self._guide_values(fields), status="approved", content_id=None,
                    workshop_id=None, team_id=None, by=actor.name, now=now, action="imported"),
                    ""))
        return results

    def guide_duplicates(self, actor: Actor, entries: list[dict[str, Any]]) -> list[str]:
        """For each entry, why it would not be added (a listed entry has its name or website),
        or "": a preview before an import, which checks again as it adds."""
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can import guidebook entries.")
        out = []
        for fields in entries:
            duplicate = self._guide_duplicate(fields)
            out.append(self._guide_duplicate_message(duplicate) if duplicate else "")
        return out

    def _guide_may_change(self, actor: Actor, entry_id: int) -> sqlite3.Row:
        row = self._guide_row_for(actor, entry_id)
        if actor.is_staff:
            return row
        if actor.role == "team" and row["contributed_by_team_id"] == actor.team_id:
            return row
        raise AccessDenied("Only the team that added this entry, or a facilitator, can change it.")

    @staticmethod
    def _guide_stale(row: sqlite3.Row, base_version: int | None) -> None:
        if base_version is not None and row["version"] != base_version:
            raise Conflict(f"{row['updated_by']} changed this entry at "
                           f"{_parse_time(row['updated_at']):%H:%M} UTC while you were looking "
                           "at it. Their version is shown now; make your change again.")

    def guide_update(self, actor: Actor, entry_id: int, fields: dict[str, Any], *,
                     base_version: int | None = None) -> GuideEntry:
        """Edit an entry. A team's edit goes back to the facilitators for review; a
        facilitator's edit keeps the entry's status."""
        values = self._guide_values(self._guide_check(fields))
        now = _iso(utcnow())
        with self._write() as conn:
            row = self._guide_may_change(actor, entry_id)
            self._guide_stale(row, base_version)
            changed = [k for k, v in values.items() if row[k] != v]
            if not changed:
                return _guide_entry(row, True)
            duplicate = self._guide_duplicate(fields, exclude_id=entry_id)
            if duplicate is not None:
                raise DuplicateEntry(self._guide_duplicate_message(duplicate), duplicate["id"])
            status = row["status"] if actor.is_staff else "pending"
            sets = ", ".join(f"{k} = ?" for k in changed)
            conn.execute(
                f"UPDATE guide_entries SET {sets}, status = ?, version = version + 1, "  # noqa: S608 - our own column names
                "updated_at = ?, updated_by = ? WHERE id = ?",
                (*[values[k] for k in changed], status, now, actor.name, entry_id))
            self._guide_log(conn, entry_id, "edited", [k for k in changed if k in GUIDE_FIELDS],
                            "", actor.name, now)
        return self.guide_entry(actor, entry_id)

    def _guide_set_status(self, actor: Actor, entry_id: int, status: str, action: str,
                          reason: str, base_version: int | None) -> GuideEntry:
        now = _iso(utcnow())
        with self._write() as conn:
            row = self._guide_may_change(actor, entry_id)
            self._guide_stale(row, base_version)
            if status == "approved" and row["kind"] == "person" and not row["consent_given"]:
                raise InvalidEntry("A person can only be listed after they agree to it.")
            conn.execute(
                "UPDATE guide_entries SET status = ?, reject_reason = ?, version = version + 1, "
                "updated_at = ?, updated_by = ? WHERE id = ?",
                (status, reason, now, actor.name, entry_id))
            self._guide_log(conn, entry_id, action, [], reason, actor.name, now)
        return self.guide_entry(actor, entry_id)

    def guide_withdraw(self, actor: Actor, entry_id: int, *,
                       base_version: int | None = None) -> GuideEntry:
        """Take an entry off the list; it stays in history and its team still sees it."""
        return self._guide_set_status(actor, entry_id, "withdrawn", "withdrawn", "",
                                      base_version)

    def guide_approve(self, actor: Actor, entry_id: int, *,
                      base_version: int | None = None) -> GuideEntry:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can approve guidebook entries.")
        return self._guide_set_status(actor, entry_id, "approved", "approved", "", base_version)

    def guide_reject(self, actor: Actor, entry_id: int, reason: str, *,
                     base_version: int | None = None) -> GuideEntry:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can reject guidebook entries.")
        reason = (reason or "").strip()
        if not reason:
            raise InvalidEntry("Give a reason, so the team knows what to change.")
        if len(reason) > GUIDE_REASON_LIMIT:
            raise InvalidEntry(f"Keep the reason to {GUIDE_REASON_LIMIT} characters or fewer.")
        return self._guide_set_status(actor, entry_id, "rejected", "rejected", reason,
                                      base_version)

    def guide_history(self, actor: Actor, entry_id: int) -> list[GuideChange]:
        """Every change to an entry, newest first: for facilitators and the contributing team."""
        self._guide_may_change(actor, entry_id)
        rows = self._all("SELECT * FROM guide_entry_history WHERE entry_id = ? ORDER BY id DESC",
                         (entry_id,))
        return [GuideChange(r["id"], r["entry_id"], r["version"], r["action"],
                            tuple(json.loads(r["changed"])), r["reason"],
                            json.loads(r["snapshot"]), _parse_time(r["at"]), r["by"])
                for r in rows]

    def guide_save(self, actor: Actor, team_id: int, entry_id: int, note: str = ""
                   ) -> SavedGuideEntry:
        """Put an entry on the team's "who we will call" list, or change its note."""
        if not actor.can_write(team_id):
            raise AccessDenied("You can only change your own team's list.")
        note = (note or "").strip()
        if len(note) > GUIDE_NOTE_LIMIT:
            raise InvalidEntry(f"Keep the note to {GUIDE_NOTE_LIMIT} characters or fewer.")
        as_team = Actor(role="team", name=actor.name, team_id=team_id)
        now = _iso(utcnow())
        with self._write() as conn:
            row = self._guide_row_for(as_team, entry_id)
            if row["status"] not in GUIDE_LISTED:
                raise NotFound("That entry is no longer listed, so it cannot be saved.")
            conn.execute(
                "INSERT INTO guide_saved(team_id, entry_id, note, saved_by, saved_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(team_id, entry_id) DO UPDATE SET "
                "note = excluded.note, saved_by = excluded.saved_by, saved_at = excluded.saved_at",
                (team_id, entry_id, note, actor.name, now))
        return next(s for s in self.guide_saved(actor, team_id) if s.entry_id == entry_id)

    def guide_unsave(self, actor: Actor, team_id: int, entry_id: int) -> None:
        if not actor.can_write(team_id):
            raise AccessDenied("You can only change your own team's list.")
        with self._write() as conn:
            conn.execute("DELETE FROM guide_saved WHERE team_id = ? AND entry_id = ?",
                         (team_id, entry_id))

    def guide_saved(self, actor: Actor, team_id: int, *, include_contact: bool = True
                    ) -> list[SavedGuideEntry]:
        """The team's "who we will call" list in the order it was saved. An entry withdrawn
        since (or no longer shared with the team) keeps its note but not its details."""
        if not actor.can_read(team_id):
            raise AccessDenied("You can only open your own team's work.")
        clause, params = self._guide_visible(Actor(role="team", name="", team_id=team_id))
        rows = self._all(
            f"SELECT s.team_id, s.entry_id, s.note, s.saved_by, s.saved_at, "  # noqa: S608 - fixed clause
            f"({clause} AND e.status IN ('approved', 'pending')) AS listed, e.* "
            "FROM guide_saved s JOIN guide_entries e ON e.id = s.entry_id "
            "WHERE s.team_id = ? ORDER BY s.saved_at, s.rowid",
            (*params, team_id))
        return [SavedGuideEntry(r["team_id"], r["entry_id"], r["note"], r["saved_by"],
                                _parse_time(r["saved_at"]),
                                _guide_entry(r, include_contact) if r["listed"] else None)
                for r in rows]

    # --- clinic feedback: facilitators and expert guests comment; teams reply and resolve ---

    def add_feedback(self, actor: Actor, team_id: int, *, tool: str, item: str, kind: str,
                     text: str) -> int:
        if actor.role not in ("facilitator", "guest", "system") or not actor.can_read(team_id):
            raise AccessDenied("Only facilitators and expert guests give clinic feedback.")
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback(team_id, tool, item, kind, text, author, author_role, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (team_id, tool, item, kind, text, actor.name, actor.role, _iso(utcnow())),
            )
        return cursor.lastrowid

    def feedback(self, actor: Actor, team_id: int, *, tool: str | None = None
                 ) -> list[dict[str, Any]]:
        """A team's feedback items, newest first, each with its replies in order."""
        self._may_read_private(actor, team_id,
                               "You can only read feedback on your own team's work.")
        sql, params = "SELECT * FROM feedback WHERE team_id = ?", [team_id]
        if tool is not None:
            sql, params = sql + " AND tool = ?", [*params, tool]
        items = [dict(r) for r in self._all(sql + " ORDER BY id DESC", tuple(params))]
        replies: dict[int, list[dict[str, Any]]] = {}
        if items:
            marks = ",".join("?" * len(items))
            for r in self._all(
                f"SELECT * FROM feedback_replies WHERE feedback_id IN ({marks}) ORDER BY id",  # noqa: S608 - placeholders only
                tuple(i["id"] for i in items),
            ):
                replies.setdefault(r["feedback_id"], []).append(dict(r))
        for item in items:
            item["replies"] = replies.get(item["id"], [])
        return items

    def _feedback_team(self, actor: Actor, feedback_id: int, refused: str) -> int:
        row = self._one("SELECT team_id FROM feedback WHERE id = ?", (feedback_id,))
        if row is None and actor.role == "team":
            # The same answer as for another team's item: an id tells a team nothing.
            raise AccessDenied(refused)
        if row is None:
            raise NotFound("That feedback item no longer exists.")
        return row["team_id"]

    def reply_feedback(self, actor: Actor, feedback_id: int, text: str) -> None:
        refused = "You can only reply to feedback on your own team's work."
        self._may_read_private(actor, self._feedback_team(actor, feedback_id, refused), refused)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO feedback_replies(feedback_id, text, author, author_role, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (feedback_id, text, actor.name, actor.role, _iso(utcnow())),
            )

    def set_feedback_status(self, actor: Actor, feedback_id: int, status: str) -> None:
        refused = "Only the team and facilitators can resolve feedback."
        if not actor.can_write(self._feedback_team(actor, feedback_id, refused)):
            raise AccessDenied(refused)
        with self._write() as conn:
            conn.execute(
                "UPDATE feedback SET status = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
                (status, actor.name if status == "resolved" else None,
                 _iso(utcnow()) if status == "resolved" else None, feedback_id),
            )

    def set_clinic_rating(self, actor: Actor, team_id: int, tool: str, rating: str,
                          summary: str) -> None:
        if actor.role not in ("facilitator", "guest", "system") or not actor.can_read(team_id):
            raise AccessDenied("Only facilitators and expert guests rate a case study.")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO clinic_ratings(team_id, tool, rating, summary, author, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(team_id, tool) DO UPDATE SET "
                "rating = excluded.rating, summary = excluded.summary, "
                "author = excluded.author, updated_at = excluded.updated_at",
                (team_id, tool, rating, summary, actor.name, _iso(utcnow())),
            )

    def clinic_ratings(self, actor: Actor, team_id: int) -> dict[str, dict[str, Any]]:
        self._may_read_private(actor, team_id,
                               "You can only read feedback on your own team's work.")
        rows = self._all("SELECT * FROM clinic_ratings WHERE team_id = ?", (team_id,))
        return {r["tool"]: dict(r) for r in rows}

    def open_feedback_counts(self, actor: Actor) -> dict[int, int]:
        """Open items per team, for the facilitators' cohort view."""
        if not actor.is_staff:
            raise AccessDenied("Only facilitators see every team's feedback.")
        rows = self._all("SELECT team_id, count(*) AS n FROM feedback WHERE status = 'open' "
                         "GROUP BY team_id")
        return {r["team_id"]: r["n"] for r in rows}

    # --- invitations for co-facilitators and expert guests ---

    def create_invite(self, actor: Actor, *, role: Role, name: str, digest: str,
                      sealed: str) -> int:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can invite people.")
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO invites(role, name, code_digest, sealed, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (role, name, digest, sealed, actor.name, _iso(utcnow())),
            )
        return cursor.lastrowid

    def invites(self, actor: Actor) -> list[dict[str, Any]]:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can see invitations.")
        return [dict(r) for r in self._all("SELECT * FROM invites ORDER BY id")]

    def revoke_invite(self, actor: Actor, invite_id: int) -> int:
        """Withdraw an invitation: its code stops working and everyone signed in with it is
        signed out at once. Returns how many sessions ended."""
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can withdraw an invitation.")
        now = _iso(utcnow())
        with self._write() as conn:
            conn.execute("UPDATE invites SET revoked_at = ? WHERE id = ?", (now, invite_id))
            ended = conn.execute(
                "UPDATE sessions SET revoked_at = ? WHERE invite_id = ? AND revoked_at IS NULL",
                (now, invite_id)).rowcount
        self.audit("invite", "withdrawn", actor=actor.name, detail=f"{ended} sessions ended")
        return ended

    def invite_for_digest(self, digest: str) -> dict[str, Any] | None:
        """Sign-in lookup; auth.py calls it before anyone is signed in."""
        row = self._one("SELECT id, role, name FROM invites WHERE code_digest = ? "
                        "AND revoked_at IS NULL", (digest,))
        return dict(row) if row else None

    # --- peer feedback rounds: a team reads only the case study it was assigned ---

    def actor_for(self, session: Session) -> Actor:
        """The session's actor, with the teams it may read in an open peer round."""
        actor = session.actor
        if actor.role != "team":
            return actor
        rows = self._all(
            "SELECT p.reviewed_team_id FROM peer_reviews p JOIN peer_rounds r "
            "ON r.id = p.round_id WHERE r.status = 'open' AND p.reviewer_team_id = ?",
            (actor.team_id,),
        )
        return dataclasses.replace(actor, peers=frozenset(r["reviewed_team_id"] for r in rows))

    def create_peer_round(self, actor: Actor, workshop_id: int, name: str,
                          pairs: list[tuple[int, int]]) -> int:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can run a peer round.")
        with self._write() as conn:
            # One open round at a time keeps "who reads whom" unambiguous for the room.
            conn.execute("UPDATE peer_rounds SET status = 'closed' WHERE workshop_id = ?",
                         (workshop_id,))
            cursor = conn.execute(
                "INSERT INTO peer_rounds(workshop_id, name, created_by, created_at) "
                "VALUES (?, ?, ?, ?)", (workshop_id, name, actor.name, _iso(utcnow())))
            conn.executemany(
                "INSERT INTO peer_reviews(round_id, reviewer_team_id, reviewed_team_id) "
                "VALUES (?, ?, ?)", [(cursor.lastrowid, a, b) for a, b in pairs])
        return cursor.lastrowid

    def close_peer_round(self, actor: Actor, round_id: int) -> None:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can close a peer round.")
        with self._write() as conn:
            conn.execute("UPDATE peer_rounds SET status = 'closed' WHERE id = ?", (round_id,))

    def peer_rounds(self, actor: Actor, workshop_id: int) -> list[dict[str, Any]]:
        if actor.role == "team":
            own = self.get_team(actor, actor.team_id or -1)
            if own.workshop_id != workshop_id:
                raise AccessDenied("You can only see your own workshop's rounds.")
        return [dict(r) for r in self._all(
            "SELECT * FROM peer_rounds WHERE workshop_id = ? ORDER BY id DESC", (workshop_id,))]

    def peer_reviews(self, actor: Actor, round_id: int) -> list[dict[str, Any]]:
        """Staff see every pair; a team sees the reviews it writes and the ones it receives."""
        rows = [dict(r) for r in self._all(
            "SELECT * FROM peer_reviews WHERE round_id = ? ORDER BY reviewer_team_id",
            (round_id,))]
        if actor.is_staff or actor.role == "guest":
            return rows
        return [r for r in rows if actor.team_id in (r["reviewer_team_id"],
                                                      r["reviewed_team_id"])]

    def save_peer_review(self, actor: Actor, round_id: int, reviewed_team_id: int, *,
                         strong: str, questions: str, suggestion: str) -> None:
        with self._write() as conn:
            row = self._one(
                "SELECT r.status FROM peer_reviews p JOIN peer_rounds r ON r.id = p.round_id "
                "WHERE p.round_id = ? AND p.reviewer_team_id = ? AND p.reviewed_team_id = ?",
                (round_id, actor.team_id if actor.role == "team" else -1, reviewed_team_id))
            if row is None:
                raise AccessDenied("Your team was not asked to review that case study.")
            if row["status"] != "open":
                raise Conflict("This peer round is closed; its reviews can no longer change.")
            conn.execute(
                "UPDATE peer_reviews SET strong = ?, questions = ?, suggestion = ?, author = ?, "
                "saved_at = ? WHERE round_id = ? AND reviewer_team_id = ? "
                "AND reviewed_team_id = ?",
                (strong, questions, suggestion, actor.name, _iso(utcnow()), round_id,
                 actor.team_id, reviewed_team_id))

    def save_peer_takeaway(self, actor: Actor, round_id: int, reviewer_team_id: int,
                           takeaway: str) -> None:
        if actor.role != "team":
            raise AccessDenied("Only the team that received the review records its takeaway.")
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE peer_reviews SET takeaway = ?, takeaway_by = ? WHERE round_id = ? "
                "AND reviewer_team_id = ? AND reviewed_team_id = ?",
                (takeaway, actor.name, round_id, reviewer_team_id, actor.team_id))
            if cursor.rowcount == 0:
                raise AccessDenied("That review was not written about your team.")

    def peer_takeaways(self, actor: Actor, team_id: int) -> list[dict[str, Any]]:
        """Every review a team received, with its takeaway, for its Blueprint."""
        self._may_read_private(actor, team_id)
        return [dict(r) for r in self._all(
            "SELECT p.*, r.name AS round_name FROM peer_reviews p JOIN peer_rounds r "
            "ON r.id = p.round_id WHERE p.reviewed_team_id = ? AND p.saved_at IS NOT NULL "
            "ORDER BY p.round_id", (team_id,))]

    # --- the room's countdown timer ---

    def set_timer(self, actor: Actor, workshop_id: int, label: str,
                  ends_at: dt.datetime | None) -> None:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can run the timer.")
        value = json.dumps({"label": label, "ends_at": _iso(ends_at)}) if ends_at else ""
        self.set_setting(f"timer:{workshop_id}", value)

    def timer(self, workshop_id: int) -> tuple[str, dt.datetime] | None:
        raw = self.get_setting(f"timer:{workshop_id}")
        if not raw:
            return None
        data = json.loads(raw)
        return data["label"], _parse_time(data["ends_at"])

    # --- follow-up webinars (workshop-level) ---

    def _may_read_workshop(self, actor: Actor, workshop_id: int | None) -> None:
        if actor.role == "team":
            own = self.get_team(actor, actor.team_id or -1)
            if own.workshop_id != workshop_id:
                raise AccessDenied("You can only see your own workshop's webinars.")

    @staticmethod
    def _webinar_values(title: str, starts_at: dt.datetime, timezone: str,
                        duration_minutes: int, agenda: str, join_link: str) -> tuple:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        title, agenda, join_link = title.strip(), agenda.strip(), join_link.strip()
        if not title:
            raise StoreError("A webinar needs a title.")
        if len(title) > WEBINAR_TITLE_MAX or len(agenda) > WEBINAR_AGENDA_MAX:
            raise StoreError(f"Keep the title to {WEBINAR_TITLE_MAX} characters and the "
                             f"agenda to {WEBINAR_AGENDA_MAX}.")
        if starts_at.tzinfo is None:
            raise StoreError("The start time needs a time zone.")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise StoreError(f"'{timezone}' is not a time zone name.") from None
        if not 5 <= int(duration_minutes) <= 600:
            raise StoreError("A webinar lasts between 5 and 600 minutes.")
        parts = urlsplit(join_link)
        # Only https: the link is put into calendars and pages, where javascript: or http:
        # would be a risk to the people who click it.
        if join_link and (parts.scheme != "https" or not parts.netloc
                          or len(join_link) > WEBINAR_LINK_MAX or any(c.isspace()
                                                                       for c in join_link)):
            raise StoreError("The join link must be a full web address starting with https://.")
        return title, _iso(starts_at), timezone, int(duration_minutes), agenda, join_link

    def create_webinar(self, actor: Actor, workshop_id: int, *, title: str,
                       starts_at: dt.datetime, timezone: str, duration_minutes: int,
                       agenda: str = "", join_link: str = "") -> Webinar:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can schedule a webinar.")
        self.get_workshop(actor, workshop_id)
        values = self._webinar_values(title, starts_at, timezone, duration_minutes, agenda,
                                      join_link)
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO webinars(workshop_id, title, starts_at, timezone, duration_minutes,"
                " agenda, join_link, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (workshop_id, *values, actor.name, _iso(utcnow())))
        return self.webinar(actor, cursor.lastrowid)

    def update_webinar(self, actor: Actor, webinar_id: int, *, title: str,
                       starts_at: dt.datetime, timezone: str, duration_minutes: int,
                       agenda: str = "", join_link: str = "") -> Webinar:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can change a webinar.")
        self.webinar(actor, webinar_id)
        values = self._webinar_values(title, starts_at, timezone, duration_minutes, agenda,
                                      join_link)
        with self._write() as conn:
            conn.execute(
                "UPDATE webinars SET title = ?, starts_at = ?, timezone = ?, "
                "duration_minutes = ?, agenda = ?, join_link = ? WHERE id = ?",
                (*values, webinar_id))
        return self.webinar(actor, webinar_id)

    def delete_webinar(self, actor: Actor, webinar_id: int) -> None:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can cancel a webinar.")
        with self._write() as conn:
            conn.execute("DELETE FROM webinar_attendance WHERE webinar_id = ?", (webinar_id,))
            conn.execute("DELETE FROM webinars WHERE id = ?", (webinar_id,))

    def webinar(self, actor: Actor, webinar_id: int) -> Webinar:
        row = self._one("SELECT * FROM webinars WHERE id = ?", (webinar_id,))
        # A team member gets the same refusal for a missing webinar as for another cohort's.
        self._may_read_workshop(actor, row["workshop_id"] if row else None)
        if row is None:
            raise NotFound("That webinar does not exist.")
        return _webinar(row)

    def webinars(self, actor: Actor, workshop_id: int) -> list[Webinar]:
        """A workshop's webinars, earliest first; its teams may read them."""
        self._may_read_workshop(actor, workshop_id)
        return [_webinar(r) for r in self._all(
            "SELECT * FROM webinars WHERE workshop_id = ? ORDER BY starts_at, id",
            (workshop_id,))]

    def set_attendance(self, actor: Actor, webinar_id: int, team_id: int,
                       attended: bool) -> None:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can record attendance.")
        webinar = self.webinar(actor, webinar_id)
        if self.get_team(actor, team_id).workshop_id != webinar.workshop_id:
            raise Conflict("That team is not in this webinar's workshop.")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO webinar_attendance(webinar_id, team_id, attended) VALUES (?, ?, ?) "
                "ON CONFLICT(webinar_id, team_id) DO UPDATE SET attended = excluded.attended",
                (webinar_id, team_id, int(bool(attended))))

    def attendance(self, actor: Actor, webinar_id: int) -> dict[int, bool]:
        """{team id: attended} as recorded; a team sees only its own row."""
        self.webinar(actor, webinar_id)
        rows = self._all("SELECT team_id, attended FROM webinar_attendance "
                         "WHERE webinar_id = ?", (webinar_id,))
        return {r["team_id"]: bool(r["attended"]) for r in rows
                if actor.role != "team" or r["team_id"] == actor.team_id}

    def attendance_counts(self, actor: Actor, workshop_id: int) -> dict[int, int]:
        """{webinar id: teams that attended} for every webinar of the workshop."""
        self._may_read_workshop(actor, workshop_id)
        rows = self._all(
            "SELECT w.id, coalesce(sum(a.attended), 0) AS n FROM webinars w "
            "LEFT JOIN webinar_attendance a ON a.webinar_id = w.id "
            "WHERE w.workshop_id = ? GROUP BY w.id", (workshop_id,))
        return {r["id"]: int(r["n"]) for r in rows}

    # --- sessions, tickets, audit (used by auth.py only) ---

    def create_session(
        self,
        *,
        token_digest: str,
        role: Role,
        name: str,
        team_id: int | None,
        expires_at: dt.datetime,
        client: str = "",
        invite_id: int | None = None,
    ) -> int:
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions(token_digest, role, team_id, name, client, created_at, "
                "expires_at, invite_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (token_digest, role, team_id, name, client, _iso(utcnow()), _iso(expires_at),
                 invite_id),
            )
        return cursor.lastrowid

    def session_by_digest(self, token_digest: str, now: dt.datetime) -> Session | None:
        row = self._one(
            "SELECT * FROM sessions WHERE token_digest = ? AND revoked_at IS NULL "
            "AND expires_at > ?",
            (token_digest, _iso(now)),
        )
        if row is None:
            return None
        return Session(row["id"], row["role"], row["name"], row["team_id"],
                       _parse_time(row["expires_at"]))

    def revoke_session(self, token_digest: str) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE sessions SET revoked_at = ? WHERE token_digest = ?",
                (_iso(utcnow()), token_digest),
            )

    def create_ticket(self, *, digest: str, session_id: int, token: str,
                      expires_at: dt.datetime) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO auth_tickets(digest, session_id, token, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (digest, session_id, token, _iso(expires_at)),
            )

    def redeem_ticket(self, digest: str, now: dt.datetime) -> str | None:
        """The session token behind a one-time ticket, once; the ticket is spent either way."""
        with self._write() as conn:
            row = self._one(
                "SELECT token, expires_at, used_at FROM auth_tickets WHERE digest = ?", (digest,)
            )
            if row is None:
                return None
            # Spent tickets lose their token so the table never holds a live secret for long.
            conn.execute(
                "UPDATE auth_tickets SET used_at = ?, token = '' WHERE digest = ?",
                (_iso(now), digest),
            )
            if row["used_at"] or _parse_time(row["expires_at"]) <= now:
                return None
            return row["token"]

    def audit(
        self,
        event: str,
        outcome: str,
        *,
        actor: str = "",
        team_id: int | None = None,
        subject: str = "",
        client: str = "",
        detail: str = "",
    ) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO audit_log(at, event, outcome, actor, team_id, subject, client, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(utcnow()), event, outcome, actor, team_id, subject, client, detail),
            )

    def count_audit(self, event: str, outcome: str, since: dt.datetime, *,
                    subject: str | None = None, client: str | None = None) -> int:
        sql = "SELECT count(*) AS n FROM audit_log WHERE event = ? AND outcome = ? AND at >= ?"
        params: list[Any] = [event, outcome, _iso(since)]
        if subject is not None:
            sql += " AND subject = ?"
            params.append(subject)
        if client is not None:
            sql += " AND client = ?"
            params.append(client)
        return self._one(sql, tuple(params))["n"]

    def audit_entries(self, actor: Actor, limit: int = 200) -> list[dict[str, Any]]:
        if not actor.is_staff:
            raise AccessDenied("Only a facilitator can read the sign-in log.")
        return [dict(r) for r in self._all(
            "SELECT at, event, outcome, actor, team_id, client, detail FROM audit_log "
            "ORDER BY id DESC LIMIT ?", (limit,))]

    # --- maintenance ---

    def backup(self, dest: str | Path) -> Path:
        """An online, consistent copy made with SQLite's backup API while others keep writing."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(str(dest))
        try:
            self.conn.backup(target)
        finally:
            target.close()
        return dest

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- restoring a backup ---------------------------------------------------------------------


class RestoreRefused(StoreError):
    """A file `isc restore` will not put in place; the message says why and what to do."""


def schema_names() -> list[str]:
    """The migrations this version of the app knows, oldest first."""
    return [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]


def check_backup(source: Path) -> list[str]:
    """The migrations a backup file has applied. Raises RestoreRefused unless it is a whole
    ISC Blueprint database this version can use (an older one is fine: it is migrated)."""
    if not source.is_file():
        raise RestoreRefused(f"{source} does not exist or is not a file.")
    conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise RestoreRefused(f"{source.name} failed its integrity check ({problems[0]}), "
                                 "so it cannot be restored. Use an earlier backup.")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if not {"_sqlite_migrations", "teams", "documents"} <= tables:
            raise RestoreRefused(f"{source.name} is not an ISC Blueprint database.")
        applied = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            (migrations.name,))]
    except sqlite3.DatabaseError as exc:
        with source.open("rb") as file:
            is_sqlite = file.read(16) == b"SQLite format 3\x00"
        if is_sqlite:
            raise RestoreRefused(f"{source.name} failed its integrity check ({exc}), so it "
                                 "cannot be restored. Use an earlier backup.") from None
        raise RestoreRefused(f"{source.name} is not an ISC Blueprint database (it is not a "
                             "SQLite database at all).") from None
    finally:
        conn.close()
    newer = [name for name in applied if name not in schema_names()]
    if newer:
        raise RestoreRefused(f"{source.name} comes from a newer version of ISC Blueprint (it "
                             f"has {', '.join(newer)}). Update the app first, then restore.")
    return applied


def restore(source: Path, dest: Path, now: dt.datetime) -> Path | None:
    """Put a backup in place of the database at `dest`, online, and return where the database
    as it was is kept (None when there was none).

    The backup is checked, copied aside and migrated first; the current database is copied to
    `<dest>.before-restore-<UTC time>`; then the backup is written into `dest` through SQLite's
    backup API, as one transaction, so an app that is running sees the old data or the new,
    never a mix.
    """
    check_backup(source)
    staging = dest.with_name(f"{dest.name}.restoring")
    for leftover in (staging, *(Path(f"{staging}{x}") for x in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(
                f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src, \
                contextlib.closing(sqlite3.connect(staging)) as copy:
            src.backup(copy)
        with Store(staging) as staged:  # an older backup is migrated here, not in place
            if not staged.integrity_ok():
                raise RestoreRefused(f"{source.name} could not be brought up to date.")
        aside = None
        with Store(dest, migrate=False) as live:
            if live.db.table_names():
                stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
                aside = dest.with_name(f"{dest.name}.before-restore-{stamp}")
                n = 1
                while aside.exists():
                    n += 1
                    aside = dest.with_name(f"{dest.name}.before-restore-{stamp}-{n}")
                live.backup(aside)
            with contextlib.closing(sqlite3.connect(staging)) as src:
                size = live.conn.execute("PRAGMA page_size").fetchone()[0]
                if src.execute("PRAGMA page_size").fetchone()[0] != size:
                    # A database in WAL mode only takes a copy with its own page size.
                    src.execute("PRAGMA journal_mode = DELETE")
                    src.execute(f"PRAGMA page_size = {int(size)}")
                    src.execute("VACUUM")
                src.backup(live.conn)
            if not live.integrity_ok():
                raise RestoreRefused(f"The restored database failed its integrity check. The "
                                     f"database as it was is kept at {aside}.")
        return aside
    finally:
        for leftover in (staging, *(Path(f"{staging}{x}") for x in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def _workshop(row: sqlite3.Row) -> Workshop:
    return Workshop(row["id"], row["slug"], row["name"], row["place"],
                    _parse_date(row["starts_on"]), _parse_date(row["ends_on"]))


def _webinar(row: sqlite3.Row) -> Webinar:
    return Webinar(row["id"], row["workshop_id"], row["title"], _parse_time(row["starts_at"]),
                   row["timezone"], row["duration_minutes"], row["agenda"], row["join_link"],
                   row["created_by"], _parse_time(row["created_at"]))


def _team(row: sqlite3.Row, *, with_code: bool) -> Team:
    return Team(row["id"], row["workshop_id"], row["slug"], row["city"], row["state"],
                row["join_sealed"] if with_code else None)


def _dimension(name: str) -> str:
    # Column names cannot be bound as parameters, so only known names reach the SQL.
    if name not in BUDGET_DIMENSIONS:
        raise ValueError(f"unknown budget dimension {name!r}")
    return name


def _budget_import(row: sqlite3.Row) -> BudgetImportInfo:
    return BudgetImportInfo(
        row["id"], row["filename"], row["format"], row["sheet"], row["amount_column"],
        row["year"], bool(row["expenses_only"]), row["line_count"], row["total_cents"],
        json.loads(row["details"]), _parse_time(row["imported_at"]), row["imported_by"],
        bool(row["is_current"]),
    )


def _saved(row: sqlite3.Row, model: type[M]) -> Saved[M]:
    return Saved(model.model_validate_json(row["body"]), row["version"],
                 _parse_time(row["saved_at"]), row["saved_by"])


def _guide_entry(row: sqlite3.Row, include_contact: bool) -> GuideEntry:
    return GuideEntry(
        id=row["id"], content_id=row["content_id"], workshop_id=row["workshop_id"],
        kind=row["kind"], name=row["name"], title=row["title"],
        organization=row["organization"], city=row["city"], state=row["state"],
        topics=tuple(json.loads(row["topics"])), summary=row["summary"],
        help_with=row["help_with"], contact=row["contact"] if include_contact else None,
        website=row["website"], source=row["source"],
        last_verified=_parse_date(row["last_verified"]), verify_note=row["verify_note"],
        consent_given=bool(row["consent_given"]), status=row["status"],
        reject_reason=row["reject_reason"],
        contributed_by_team_id=row["contributed_by_team_id"], version=row["version"],
        created_at=_parse_time(row["created_at"]), created_by=row["created_by"],
        updated_at=_parse_time(row["updated_at"]), updated_by=row["updated_by"],
    )


def _guide_fold(text: str) -> str:
    """Lower case, accents and punctuation gone, one space between words."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace("_", " ").split())


def guide_name_key(name: str, organization: str) -> str:
    key = _guide_fold(name)
    key = key[4:] if key.startswith("the ") else key
    return f"{key}|{_guide_fold(organization)}"


def guide_website_key(url: str) -> str:
    """https://www.Example.org/path/ and example.org/path are the same site."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


def _fts_words(query: str) -> list[str]:
    # Only words reach FTS5: quotes, colons, NEAR and parentheses typed by a person are
    # search text, never query syntax.
    return re.findall(r"\w+", (query or "").casefold())[:12]
