"""The demo workshop: three fictional cities, one of them with its tools filled in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from toolkit import (
    action_plan,
    assessment,
    clinic,
    content,
    engagement,
    followup,
    guidebook,
    questions,
)
from toolkit import budget as bg
from toolkit import budget_import as bi
from toolkit import workshop as ws
from toolkit.content import ContentFile, Strict
from toolkit.store import SYSTEM, Store


class DemoTeam(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    city: str
    state: str
    population: int
    mayor: str
    initiative: ws.Initiative


class DemoWorkshop(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    place: str
    starts_on: dt.date
    ends_on: dt.date


class DemoFile(ContentFile):
    workshop: DemoWorkshop
    teams: list[DemoTeam] = Field(min_length=1)
    # Per team slug: a budget file under content/ plus the BudgetPlan, with money in dollars.
    budgets: dict[str, dict[str, Any]] = Field(default_factory=dict)


def demo_content() -> DemoFile:
    return content.load("demo_workshop.yaml", DemoFile)


def dollars_to_cents_keys(data: Any) -> Any:
    """`amount_dollars: 350000` -> `amount_cents: 35000000`; `amounts_dollars` -> `amounts`.

    The demo is written in dollars so a person can read it; the app keeps cents.
    """
    if isinstance(data, list):
        return [dollars_to_cents_keys(item) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key == "amounts_dollars":
            out["amounts"] = [bg.dollars_to_cents(v) for v in value]
        elif key.endswith("_dollars") and key != "default_fte_cost_dollars":
            out[key.removesuffix("_dollars") + "_cents"] = bg.dollars_to_cents(value)
        else:
            out[key] = dollars_to_cents_keys(value)
    return out


def demo_budget(slug: str) -> tuple[bi.BudgetImport, bg.BudgetPlan] | None:
    """The team's demo budget file, imported, and its plan; None for teams without one."""
    raw = demo_content().budgets.get(slug)
    if raw is None:
        return None
    raw = dict(raw)
    path = content.content_dir() / raw.pop("file")
    result = bi.read_budget(path.read_bytes(), path.name)
    plan = bg.BudgetPlan.model_validate(dollars_to_cents_keys(raw))
    return result, plan


def demo_documents(slug: str) -> list[ws.Document]:
    """Each tool's demo document for this team (from content/demo/<tool>.yaml), if any."""
    found = [action_plan.demo_document(slug), assessment.demo_document(slug),
             questions.demo_document(slug), engagement.demo_document(slug),
             followup.demo_document(slug)]
    return [doc for doc in found if doc is not None]


def create_demo(store: Store, key: bytes, *, shared_extras: bool = True
                ) -> dict[str, str] | None:
    """Create the demo workshop unless it exists; return {team slug: join code} when created.

    `shared_extras=False` leaves out what lives in shared tables rather than a team's
    documents (the demo team's saved guidebook entries, the webinars), for tests that need
    those tables untouched.
    """
    demo = demo_content()
    if any(w.slug == demo.workshop.slug for w in store.list_workshops(SYSTEM)):
        return None
    workshop = store.create_workshop(
        SYSTEM,
        slug=demo.workshop.slug,
        name=demo.workshop.name,
        place=demo.workshop.place,
        starts_on=demo.workshop.starts_on,
        ends_on=demo.workshop.ends_on,
    )
    guidebook.seed_guidebook(store)
    codes = {}
    for item in demo.teams:
        team, code = ws.add_team(
            store, SYSTEM, key, workshop_id=workshop.id, slug=item.slug,
            profile=ws.TeamProfile(city=item.city, state=item.state, population=item.population,
                                   mayor=item.mayor),
            initiative=item.initiative,
        )
        codes[team.slug] = code
        budget = demo_budget(item.slug)
        if budget:
            result, plan = budget
            bg.save_import(store, SYSTEM, team.id, result)
            store.save(SYSTEM, team.id, plan, base_version=0)
        for document in demo_documents(item.slug):
            store.save(SYSTEM, team.id, document, base_version=0)
        clinic.load_demo(store, team.id, item.slug)
        if shared_extras and guidebook.demo_document(item.slug):
            guidebook.load_demo(store, team.id)
    if shared_extras:
        followup.create_demo_webinars(store, workshop.id)
    return codes
