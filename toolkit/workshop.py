"""A team's identity and priority initiative, the initiative areas and the five tools."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from toolkit import auth, content
from toolkit.content import ContentFile, Strict
from toolkit.store import Actor, Store, Team

# --- content ----------------------------------------------------------------------------


class Area(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: str
    short: str
    description: str
    example_title: str


class AreasFile(ContentFile):
    areas: list[Area] = Field(min_length=2)

    @field_validator("areas")
    @classmethod
    def _other_is_offered(cls, areas: list[Area]) -> list[Area]:
        ids = [a.id for a in areas]
        if len(set(ids)) != len(ids):
            raise ValueError("area ids must be unique")
        if "other" not in ids:
            raise ValueError("an 'other' area must be offered")
        return areas


class Tool(Strict):
    id: str
    number: int
    name: str
    purpose: str


class ToolsFile(ContentFile):
    tools: list[Tool] = Field(min_length=5, max_length=5)


def areas() -> list[Area]:
    return content.load("areas.yaml", AreasFile).areas


def area(area_id: str) -> Area:
    for item in areas():
        if item.id == area_id:
            return item
    return next(a for a in areas() if a.id == "other")


def tools() -> list[Tool]:
    return content.load("tools.yaml", ToolsFile).tools


def tool(tool_id: str) -> Tool:
    return next(t for t in tools() if t.id == tool_id)


# --- a team's documents ------------------------------------------------------------------


class Document(BaseModel):
    """A saved document of a team. Text is stripped; limits keep one field from filling a page."""

    KIND: ClassVar[str] = ""
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")


class TeamProfile(Document):
    KIND: ClassVar[str] = "profile"
    city: str = Field(default="", max_length=80)
    state: str = Field(default="", max_length=40)
    population: int | None = Field(default=None, ge=0, le=50_000_000)
    mayor: str = Field(default="", max_length=120)


class Initiative(Document):
    KIND: ClassVar[str] = "initiative"
    area: str = Field(default="", max_length=40)
    title: str = Field(default="", max_length=160)
    goal: str = Field(default="", max_length=1200)
    problem: str = Field(default="", max_length=4000)


FIELD_LABELS = {
    "city": "City",
    "state": "State",
    "population": "Population",
    "mayor": "Mayor",
    "area": "Priority area",
    "title": "Initiative title",
    "goal": "Goal",
    "problem": "Problem statement",
}


def missing_for_blueprint(profile: TeamProfile, initiative: Initiative) -> list[str]:
    """What the team still has to fill in on its home page, named plainly."""
    missing = [FIELD_LABELS[f] for f in ("city", "mayor") if not getattr(profile, f)]
    missing += [FIELD_LABELS[f] for f in ("area", "title", "problem") if not getattr(initiative, f)]
    return missing


def slugify(text: str) -> str:
    """A short, URL-safe name: "Mesa Verde" -> "mesa-verde"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:40].strip("-") or "team"


# --- setting up a cohort ------------------------------------------------------------------


def add_team(
    store: Store,
    actor: Actor,
    key: bytes,
    *,
    workshop_id: int,
    profile: TeamProfile,
    initiative: Initiative | None = None,
    slug: str | None = None,
) -> tuple[Team, str]:
    """Create a team with a fresh join code; return the team and the code (shown once)."""
    if not profile.city:
        raise ValueError("A team needs a city.")
    base = slug or slugify(profile.city)
    taken = {t.slug for t in store.list_teams(actor)}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    code = auth.new_join_code()
    documents: list[Document] = [profile] + ([initiative] if initiative else [])
    team = store.create_team(
        actor,
        workshop_id=workshop_id,
        slug=candidate,
        join_digest=auth.join_digest(key, code),
        join_sealed=auth.seal(key, code),
        documents=documents,
    )
    return team, code


def new_join_code_for(store: Store, actor: Actor, key: bytes, team_id: int) -> str:
    """Replace a team's join code (a lost card); the old code stops working at once."""
    code = auth.new_join_code()
    store.set_join_code(actor, team_id, auth.join_digest(key, code), auth.seal(key, code))
    store.audit("join-code", "reissued", actor=actor.name, team_id=team_id)
    return code


@dataclass(frozen=True)
class TeamOverview:
    team: Team
    area_label: str
    title: str
    missing: list[str]
    last_activity: dt.datetime | None


def team_overview(store: Store, actor: Actor, team: Team) -> TeamOverview:
    """One line of the cohort table: what the team has named and what it still lacks."""
    profile = store.load(actor, team.id, TeamProfile).body
    initiative = store.load(actor, team.id, Initiative).body
    return TeamOverview(
        team=team,
        area_label=area(initiative.area).short if initiative.area else "",
        title=initiative.title,
        missing=missing_for_blueprint(profile, initiative),
        last_activity=store.last_activity(actor, team.id),
    )


# --- teams from a CSV file ---------------------------------------------------------------------

TEAM_CSV_COLUMNS = ("city", "state", "population", "mayor", "priority area")
TEAM_CSV_MAX_ROWS = 200
TEAM_CSV_MAX_BYTES = 1024 * 1024  # 200 rows of five short columns fit in a few KB


@dataclass(frozen=True)
class TeamRow:
    row: int
    profile: TeamProfile
    area: str


def parse_teams_csv(data: bytes, filename: str = "teams.csv"
                    ) -> tuple[list[TeamRow], list[str]]:
    """Teams from a facilitator's CSV: the rows that can be added, and plain problems by row.

    Columns (any order, any case): city (required), state, population, mayor, priority area
    (an area's name or short name; blank is allowed).
    """
    from toolkit import csvtext

    try:
        rows = csvtext.rows(csvtext.decode(data, filename, max_bytes=TEAM_CSV_MAX_BYTES),
                            filename)
    except csvtext.NotCsvText as exc:
        return [], [str(exc)]
    if not rows or not any(cell.strip() for cell in rows[0]):
        return [], [f"{filename} is empty. Put the column names in the first row: "
                    + ", ".join(TEAM_CSV_COLUMNS) + "."]
    header = [cell.strip().lower() for cell in rows[0]]
    if "city" not in header:
        return [], [f"{filename} has no 'city' column. The first row must name the columns: "
                    + ", ".join(TEAM_CSV_COLUMNS) + "."]
    if len(rows) - 1 > TEAM_CSV_MAX_ROWS:
        return [], [f"{filename} has {len(rows) - 1} rows; a workshop holds at most "
                    f"{TEAM_CSV_MAX_ROWS} teams. Split the file."]
    by_name = {}
    for a in areas():
        for name in (a.id, a.label, a.short):
            by_name[name.lower()] = a.id
    good, problems, seen = [], [], set()
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        record = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        city = record.get("city", "")
        if not city:
            problems.append(f"Row {number}: the city is blank.")
            continue
        if city.lower() in seen:
            problems.append(f"Row {number}: {city} is listed twice.")
            continue
        population_text = record.get("population", "").replace(",", "")
        if population_text and not population_text.isdigit():
            problems.append(f"Row {number}: population '{record['population']}' is not a whole "
                            "number.")
            continue
        area_text = record.get("priority area", "").lower()
        if area_text and area_text not in by_name:
            problems.append(f"Row {number}: priority area '{record['priority area']}' is not one "
                            "of: " + ", ".join(a.short for a in areas()) + ".")
            continue
        try:
            profile = TeamProfile(city=city, state=record.get("state", ""),
                                  population=int(population_text) if population_text else None,
                                  mayor=record.get("mayor", ""))
        except ValueError as exc:
            problems.append(f"Row {number}: {_first_error(exc)}")
            continue
        seen.add(city.lower())
        good.append(TeamRow(number, profile, by_name.get(area_text, "")))
    return good, problems


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        err = errors()[0]
        field = FIELD_LABELS.get(str(err["loc"][0]), str(err["loc"][0]))
        return f"{field}: {err['msg']}."
    return str(exc)
