"""A workshop-sized cohort and real budget files, shared by the reliability battery."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from toolkit import auth
from toolkit import budget_import as bi
from toolkit import workshop as ws
from toolkit.store import SYSTEM, Store, Team

ROOT = Path(__file__).resolve().parents[2]
BUDGETS = ROOT.parent / "shared" / "data" / "budgets"
CHICAGO = BUDGETS / "chicago_2021_budget_ordinance_appropriations.csv"
OKLAHOMA = BUDGETS / "oklahoma_city_fy2016_expense_budget.csv"


def make_cohort(store: Store, db: Path, teams: int) -> list[Team]:
    """A workshop of `teams` city teams, each with a profile and an empty initiative."""
    key = auth.server_key(db)
    workshop = store.create_workshop(SYSTEM, slug="battery", name="Reliability battery")
    made = []
    for n in range(teams):
        team, _code = ws.add_team(store, SYSTEM, key, workshop_id=workshop.id,
                                  profile=ws.TeamProfile(city=f"City {n:02d}", state="OH"),
                                  initiative=ws.Initiative(title=f"Initiative {n}"))
        made.append(team)
    return made


@cache
def budget(path: Path) -> bi.BudgetImport:
    """A real city budget file read as the app reads it (cached: parsing is the slow part)."""
    return bi.read_budget(path.read_bytes(), path.name)
