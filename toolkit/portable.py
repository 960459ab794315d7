"""The portable Blueprint: a team's whole work as one JSON file, and back into a team.

The file carries a schema version. Export, import and export again gives the same bytes: the
file holds no timestamps of its own and keys are sorted, so it can be compared and versioned.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit import workshop as ws
from toolkit.store import Actor, Store, Team

SCHEMA = "isc-blueprint"
SCHEMA_VERSION = 1
# Modules whose Document subclasses are a team's work; a new tool adds its module here.
TOOL_MODULES = ("toolkit.workshop", "toolkit.budget", "toolkit.assessment",
                "toolkit.action_plan", "toolkit.questions", "toolkit.engagement")
MAX_BYTES = 60 * 1024 * 1024
# An exported file nests about six levels deep; far deeper is not a Blueprint file, and
# Python's JSON reader would run out of stack on it.
MAX_DEPTH = 32


class PortableError(Exception):
    """The file cannot be imported; the message names the field that is wrong."""


def document_models() -> dict[str, type[ws.Document]]:
    """Every kind of team document, by KIND."""
    for name in TOOL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    found: dict[str, type[ws.Document]] = {}
    stack = list(ws.Document.__subclasses__())
    while stack:
        model = stack.pop()
        stack.extend(model.__subclasses__())
        if model.KIND:
            found[model.KIND] = model
    return found


class SkippedRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    row: int
    reason: str
    detail: str = ""


class BudgetDetails(BaseModel):
    """What the importer said about the file; typed, because the budget page reads it."""

    model_config = ConfigDict(extra="forbid")
    mapping: dict[str, str | None] = Field(default_factory=dict)
    skipped: list[SkippedRow] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    counts: dict[str, int | dict[str, int]] = Field(default_factory=dict)


class PortableBudget(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str
    format: str
    sheet: str | None = None
    amount_column: str
    year: str | None = None
    expenses_only: bool = False
    details: BudgetDetails = Field(default_factory=BudgetDetails)
    # row, department, division, category, fund, year, amount in cents, amount missing
    lines: list[tuple[int, str, str, str, str, str, int, bool]]


class PortableTeam(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: str = Field(pattern=r"^[a-z0-9-]{1,60}$")
    workshop: str


class PortableFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_: str = Field(alias="schema")
    schema_version: int
    team: PortableTeam
    documents: dict[str, dict[str, Any]]
    budget: PortableBudget | None = None


def export_team(store: Store, actor: Actor, team_id: int) -> dict[str, Any]:
    team = store.get_team(actor, team_id)
    workshop = store.get_workshop(actor, team.workshop_id)
    current = store.current_budget(actor, team_id)
    budget = None
    if current is not None:
        budget = {
            "filename": current.filename, "format": current.format, "sheet": current.sheet,
            "amount_column": current.amount_column, "year": current.year,
            "expenses_only": current.expenses_only, "details": current.details,
            "lines": [[*line[:7], bool(line[7])]
                      for line in store.all_budget_lines(actor, team_id)],
        }
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "team": {"slug": team.slug, "workshop": workshop.slug},
        "documents": store.document_bodies(actor, team_id),
        "budget": budget,
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _where(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


def _depth(data: Any) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                children = value.values() if isinstance(value, dict) else value
                stack.extend((child, depth + 1) for child in children)
    return deepest


def parse(raw: bytes | str) -> tuple[PortableFile, dict[str, ws.Document]]:
    """Check a file completely before anything is written; raise PortableError if not."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise PortableError(f"The file is {len(raw) // 1_048_576} MB; the limit is "
                                f"{MAX_BYTES // 1_048_576} MB.")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PortableError("The file is not text (UTF-8). Choose the .json file that "
                                "ISC Blueprint exported.") from None
    if not raw.strip():
        raise PortableError("The file is empty. Choose the .json file that ISC Blueprint "
                            "exported.")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PortableError(f"The file is not valid JSON (line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg}). Choose the .json file that ISC "
                            "Blueprint exported.") from None
    except RecursionError:
        data = None  # nested beyond the stack: refused just below
    if data is None or _depth(data) > MAX_DEPTH:
        raise PortableError(f"The file nests its data more than {MAX_DEPTH} levels deep, so "
                            "it is not an ISC Blueprint file. Choose the .json file that "
                            "ISC Blueprint exported.")
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise PortableError("This is not an ISC Blueprint file: its 'schema' field is not "
                            f"'{SCHEMA}'.")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        newer = isinstance(version, int) and version > SCHEMA_VERSION
        raise PortableError(
            f"The file has schema_version {version!r}; this app reads version {SCHEMA_VERSION}. "
            + ("Update this app to import it." if newer else
               "Export it again from the app that made it, or ask for a conversion."))
    try:
        parsed = PortableFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise PortableError(f"Field '{_where(err['loc'])}': {err['msg']}.") from None
    models = document_models()
    documents = {}
    for kind, body in parsed.documents.items():
        model = models.get(kind)
        if model is None:
            raise PortableError(f"Field 'documents.{kind}': this app has no tool called "
                                f"'{kind}'.")
        try:
            documents[kind] = model.model_validate(body)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            raise PortableError(f"Field 'documents.{kind}.{_where(err['loc'])}': "
                                f"{err['msg']}.") from None
    return parsed, documents


def other_team_warning(parsed: PortableFile, team: Team) -> str | None:
    """A plain warning when a file about to replace a team's work came from another team."""
    if parsed.team.slug == team.slug:
        return None
    return (f"This file holds the work of team '{parsed.team.slug}', not of your team "
            f"('{team.slug}'). Restoring it puts that team's work, city name included, in "
            "place of yours. Go on only if that is what you mean to do.")


def import_team(store: Store, actor: Actor, key: bytes, raw: bytes | str, *, workshop_id: int,
                into_team_id: int | None = None) -> tuple[Team, str | None]:
    """Restore a file into a new team (returns its join code) or over an existing team's work
    (after the person confirmed; every replaced document keeps its history)."""
    parsed, documents = parse(raw)
    profile = documents.get("profile") or ws.TeamProfile(city=parsed.team.slug)
    if not profile.city:  # a new team needs a name; the file's short name is the best one
        profile = profile.model_copy(update={"city": parsed.team.slug})
    code = None
    if into_team_id is None:
        team, code = ws.add_team(store, actor, key, workshop_id=workshop_id, profile=profile,
                                 slug=parsed.team.slug)
        documents.pop("profile", None)
    else:
        team = store.get_team(actor, into_team_id)
    for document in documents.values():
        current = store.load(actor, team.id, type(document))
        if current.body != document:
            store.save(actor, team.id, document, base_version=current.version)
    if parsed.budget is not None:
        meta = parsed.budget.model_dump(exclude={"lines", "details"})
        meta["details"] = parsed.budget.details.model_dump(exclude_unset=True)
        lines = [tuple(line) for line in parsed.budget.lines]
        store.save_budget_import(actor, team.id, meta=meta, lines=lines)
    return store.get_team(actor, team.id), code
