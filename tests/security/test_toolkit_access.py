"""The toolkit and export functions that wrap the store, as every kind of person: another
team's member is refused, whatever the function does with the store on the way.

Like the store matrix, the list is checked against the modules: a new public function that
takes an Actor fails `test_every_toolkit_function_with_an_actor_is_in_the_matrix`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import io
import itertools
import pkgutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import exports
import toolkit
from exports import action_plan as ap_export
from exports import assessment as assessment_export
from exports import blueprint, jobs
from exports import budget as budget_export
from exports import engagement as engagement_export
from exports import followup as followup_export
from exports import guidebook as guidebook_export
from exports import questions as questions_export
from tests.security.conftest import B_MARK, World
from tests.security.test_store_access import (
    ACTORS,
    CLINIC,
    CONTRIBUTOR,
    EVERYONE,
    NOBODY_ELSE,
    STAFF,
    TEAM_READ,
    TEAM_WRITE,
    WORKSHOP,
)
from toolkit import action_plan as ap
from toolkit import agenda, auth, clinic, editing, followup, peer, portable, progress
from toolkit import assessment as am
from toolkit import budget as bg
from toolkit import budget_import as bi
from toolkit import guidebook as gb
from toolkit import workshop as ws
from toolkit.store import GUIDE_STATUSES, SYSTEM, AccessDenied, NotFound, Store

TODAY = dt.date(2027, 3, 1)
_unique = itertools.count(1)


def _n() -> int:
    return next(_unique)


def _b(store: Store, w: World, model):
    return store.load(SYSTEM, w.b.id, model)


def _blank_plan(store: Store, w: World) -> None:
    current = _b(store, w, ap.ActionPlan)
    store.save(SYSTEM, w.b.id, ap.ActionPlan(), base_version=current.version)


def _answer(store: Store, a, w: World):
    saved = _b(store, w, am.AssessmentDoc)
    statement = am.load_assessment().areas[0].statements[0].id
    outcome, _, message = am.set_answer(store, a, w.b.id, saved.body.rounds[-1].id, statement,
                                        am.Answer(level=(_n() % 4) + 1), base=saved)
    assert outcome == "saved", message


def _budget_result() -> bi.BudgetImport:
    return bi.read_budget(b"Dept,Object,Fund,Amount\nPolice,Overtime,General,100\n", "b.csv")


def _guide_report(name: str) -> gb.ImportReport:
    return gb.import_csv(
        f"kind,name,topics,help_with,website\norganization,{name},data,Help,"
        f"https://{name.lower()}.example\n")


def _edit_entry(store: Store, a, w: World):
    entry = store.guide_entry(SYSTEM, w.pending_entry_id)
    data = {**entry.fields(), "topics": list(entry.topics), "summary": f"s{_n()}"}
    return gb.edit(store, a, w.pending_entry_id, data, base_version=entry.version)


def _zip_names(store: Store, a, w: World) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(blueprint.zip_all(store, a, w.b.workshop_id,
                                                        today=TODAY))).namelist()


@dataclass(frozen=True)
class Case:
    call: Callable[[Store, Any, World, bytes], Any]
    allowed: frozenset[str]
    setup: Callable[[Store, World], None] | None = None  # run as the command line first
    roles: tuple[str, ...] = ACTORS  # who is tried (rendering every PDF six times is slow)


GATHER = {
    "exports.action_plan.gather": ap_export.gather,
    "exports.assessment.gather": assessment_export.gather,
    "exports.budget.gather": budget_export.gather,
    "exports.engagement.gather": engagement_export.gather,
    "exports.followup.gather": followup_export.gather,
    "exports.guidebook.gather": guidebook_export.gather,
    "exports.questions.gather": questions_export.gather,
}

MATRIX: dict[str, Case] = {
    **{name: Case(lambda s, a, w, k, fn=fn: fn(s, a, w.b.id, TODAY), TEAM_READ)
       for name, fn in GATHER.items()},
    "exports.blueprint.gather": Case(
        lambda s, a, w, k: blueprint.gather(s, a, w.b.id, today=TODAY, with_lines=True),
        TEAM_READ),
    # A team member's zip holds its own Blueprint only (checked below).
    "exports.blueprint.zip_all": Case(lambda s, a, w, k: _zip_names(s, a, w), EVERYONE,
                                      roles=("intruder", "far")),
    # The export worker's jobs: what the download buttons run, in another process.
    **{f"exports.jobs.{job.__name__}": Case(
        lambda s, a, w, k, job=job, extra=extra: jobs.run(job, s.path, a, w.b.id, *extra),
        TEAM_READ, roles=("intruder", "far", "owner"))
       for job, extra in ((jobs.blueprint_pdf, (None,)), (jobs.brief_pdf, ()),
                          (jobs.workbook, ()), (jobs.progress_report, (TODAY,)))},
    "exports.followup.progress_report_pdf": Case(
        lambda s, a, w, k: followup_export.progress_report_pdf(s, a, w.b.id, TODAY), TEAM_READ,
        roles=("intruder", "far", "guest", "owner")),
    "toolkit.action_plan.start_from_pack": Case(
        lambda s, a, w, k: ap.start_from_pack(s, a, w.b.id, ap.starter_pack("public_safety"),
                                              start=TODAY), TEAM_WRITE, setup=_blank_plan),
    "toolkit.agenda.load": Case(lambda s, a, w, k: agenda.load(s, a, w.b.workshop_id), WORKSHOP),
    "toolkit.agenda.save": Case(lambda s, a, w, k: agenda.save(s, a, w.b.workshop_id, []),
                                STAFF),
    "toolkit.assessment.cohort_view": Case(
        lambda s, a, w, k: am.cohort_view(s, a, w.b.workshop_id), WORKSHOP),
    "toolkit.assessment.latest_scores_by_team": Case(
        lambda s, a, w, k: am.latest_scores_by_team(s, a, [w.b.id]), TEAM_READ),
    "toolkit.assessment.set_answer": Case(lambda s, a, w, k: _answer(s, a, w), TEAM_WRITE),
    "toolkit.auth.create_invite": Case(
        lambda s, a, w, k: auth.create_invite(s, a, k, role="guest", name="Dr. X"), STAFF),
    "toolkit.budget.load_index": Case(lambda s, a, w, k: bg.load_index(s, a, w.b.id),
                                      TEAM_READ),
    "toolkit.budget.save_import": Case(
        lambda s, a, w, k: bg.save_import(s, a, w.b.id, _budget_result()), TEAM_WRITE),
    "toolkit.clinic.give_feedback": Case(
        lambda s, a, w, k: clinic.give_feedback(s, a, w.b.id, tool="home", kind="comment",
                                                text="Good"), CLINIC),
    "toolkit.clinic.rate": Case(
        lambda s, a, w, k: clinic.rate(s, a, w.b.id, "home", "met", "Good"), CLINIC),
    "toolkit.clinic.reply": Case(lambda s, a, w, k: clinic.reply(s, a, w.feedback_id, "Ok"),
                                 CLINIC | {"owner"}),
    "toolkit.clinic.summary": Case(lambda s, a, w, k: clinic.summary(s, a, w.b.id), TEAM_READ),
    "toolkit.editing.save_field": Case(
        lambda s, a, w, k: editing.save_field(s, a, w.b.id, ws.Initiative, "goal", f"g{_n()}",
                                              base=_b(s, w, ws.Initiative)), TEAM_WRITE),
    "toolkit.editing.edit_list": Case(
        lambda s, a, w, k: editing.edit_list(s, a, w.b.id, ap.ActionPlan, "inputs",
                                             upserts=[ap.LogicItem(text=f"x{_n()}")],
                                             base=_b(s, w, ap.ActionPlan)), TEAM_WRITE),
    "toolkit.followup.cohort_progress": Case(
        lambda s, a, w, k: followup.cohort_progress(s, a, [w.b]), TEAM_READ),
    "toolkit.followup.load_budget_years": Case(
        lambda s, a, w, k: followup.load_budget_years(s, a, w.b.id, TODAY), TEAM_READ),
    "toolkit.followup.load_plan": Case(lambda s, a, w, k: followup.load_plan(s, a, w.b.id),
                                       TEAM_READ),
    "toolkit.guidebook.add_imported": Case(
        lambda s, a, w, k: gb.add_imported(s, a, _guide_report(f"Imp{_n()}")), STAFF),
    "toolkit.guidebook.check_imported": Case(
        lambda s, a, w, k: gb.check_imported(s, a, _guide_report("Chk")), STAFF),
    "toolkit.guidebook.all_entries": Case(
        lambda s, a, w, k: gb.all_entries(s, a, statuses=GUIDE_STATUSES), EVERYONE),
    "toolkit.guidebook.assessment_levels": Case(
        lambda s, a, w, k: gb.assessment_levels(s, a, w.b.id), TEAM_READ),
    "toolkit.guidebook.contribute": Case(
        lambda s, a, w, k: gb.contribute(s, a, {
            "kind": "organization", "name": f"Org{_n()}", "topics": ["data"],
            "help_with": "Help with open data.", "website": f"https://org{_n()}.example"}),
        EVERYONE - {"guest"}),
    "toolkit.guidebook.edit": Case(lambda s, a, w, k: _edit_entry(s, a, w), CONTRIBUTOR),
    "toolkit.guidebook.seed_guidebook": Case(lambda s, a, w, k: gb.seed_guidebook(s, a), STAFF),
    "toolkit.guidebook.suggestions": Case(lambda s, a, w, k: gb.suggestions(s, a, w.b.id),
                                          TEAM_READ),
    "toolkit.peer.current_round": Case(
        lambda s, a, w, k: peer.current_round(s, a, w.b.workshop_id), WORKSHOP),
    "toolkit.peer.save_review": Case(
        lambda s, a, w, k: peer.save_review(s, a, w.round_id, w.m.id, strong="s",
                                            questions="", suggestion=""), NOBODY_ELSE),
    "toolkit.peer.save_takeaway": Case(
        lambda s, a, w, k: peer.save_takeaway(s, a, w.round_id, w.m.id, "t"), NOBODY_ELSE),
    "toolkit.portable.export_team": Case(
        lambda s, a, w, k: portable.export_team(s, a, w.b.id), TEAM_READ),
    # Into B: B's own file, changed, so that every part would be written.
    "toolkit.portable.import_team": Case(
        lambda s, a, w, k: portable.import_team(
            s, a, k, _changed_export(s, w), workshop_id=w.b.workshop_id, into_team_id=w.b.id),
        TEAM_WRITE),
    "toolkit.progress.cohort": Case(lambda s, a, w, k: progress.cohort(s, a, w.b.workshop_id),
                                    STAFF),
    **{f"toolkit.progress.{name}": Case(lambda s, a, w, k, fn=fn: fn(s, a, w.b.id), TEAM_READ)
       for name, fn in progress.CHECKS.items()},
    "toolkit.workshop.add_team": Case(
        lambda s, a, w, k: ws.add_team(s, a, k, workshop_id=w.b.workshop_id,
                                       profile=ws.TeamProfile(city=f"Town{_n()}")), STAFF),
    "toolkit.workshop.new_join_code_for": Case(
        lambda s, a, w, k: ws.new_join_code_for(s, a, k, w.b.id), STAFF),
    "toolkit.workshop.team_overview": Case(
        lambda s, a, w, k: ws.team_overview(s, a, s.get_team(SYSTEM, w.b.id)), TEAM_READ),
}


def _changed_export(store: Store, w: World) -> str:
    data = portable.export_team(store, SYSTEM, w.b.id)
    data["documents"]["initiative"]["title"] = f"Imported {_n()}"
    return portable.dumps(data)


def _functions_with_an_actor() -> set[str]:
    found = set()
    for package in (toolkit, exports):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if module.__name__ == "toolkit.store":
                continue  # the store has its own matrix
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("_") or fn.__module__ != module.__name__:
                    continue
                param = inspect.signature(fn).parameters.get("actor")
                if param is not None and param.annotation in ("Actor", inspect.Parameter.empty):
                    found.add(f"{module.__name__}.{name}")
    return found


def test_every_toolkit_function_with_an_actor_is_in_the_matrix():
    found = _functions_with_an_actor()
    missing = sorted(found - set(MATRIX))
    assert not missing, (f"{missing} take an Actor but have no entry in MATRIX in "
                         "tests/security/test_toolkit_access.py: add them, saying who may "
                         "call them.")
    assert not set(MATRIX) - found, "the matrix names a function that is gone"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_toolkit_function_refuses_exactly_who_it_should(store, key, world, name):
    case = MATRIX[name]
    for role in case.roles:
        actor = getattr(world, role)
        if case.setup:
            case.setup(store, world)
        if role not in case.allowed:
            before = store.conn.total_changes
            with pytest.raises((AccessDenied, NotFound)):
                case.call(store, actor, world, key)
            assert store.conn.total_changes == before, f"{name} refused {role} but wrote"
            continue
        result = case.call(store, actor, world, key)
        if role in ("intruder", "far"):
            assert B_MARK not in repr(result), f"{name} shows team B's work to {role}"
            assert world.b.slug not in repr(result), f"{name} names team B to {role}"


def test_a_team_members_zip_of_blueprints_holds_its_own_only(store, world):
    assert _zip_names(store, world.intruder, world) == [f"{world.a.slug}-blueprint.pdf"]
    assert _zip_names(store, world.far, world) == [f"{world.c.slug}-blueprint.pdf"]


def test_a_peer_reviewers_blueprint_of_the_case_study_leaves_out_its_clinic_feedback(store,
                                                                                    world):
    from tests.security.conftest import peer_actor

    bp = blueprint.gather(store, peer_actor(store, world.m), world.b.id, today=TODAY)
    assert B_MARK in bp.initiative.title
    assert not bp.clinic.started and bp.peer_reviews == []
    own = blueprint.gather(store, world.owner, world.b.id, today=TODAY)
    assert own.clinic.started and own.peer_reviews
