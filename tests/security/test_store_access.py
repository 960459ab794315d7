"""Every public Store call, as every kind of person: who is refused, who is not, and that a
refusal never tells a team whether another team's item exists.

The matrix is checked against the Store class itself: a new method that takes an Actor
fails `test_every_store_method_is_in_the_access_matrix` until it has an entry here.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.security.conftest import B_MARK, World, peer_actor
from toolkit import workshop as ws
from toolkit.store import (
    GUIDE_STATUSES,
    SYSTEM,
    AccessDenied,
    Actor,
    NotFound,
    Store,
)

ACTORS = ("owner", "intruder", "far", "guest", "read_only_facilitator", "facilitator")
EVERYONE = frozenset(ACTORS)
# Who may succeed, by kind of call.
TEAM_READ = frozenset({"owner", "guest", "read_only_facilitator", "facilitator"})
TEAM_WRITE = frozenset({"owner", "facilitator"})  # read-only facilitators and guests: no
CLINIC = frozenset({"guest", "read_only_facilitator", "facilitator"})
# "Read-only" is about a team's work: a facilitator's own tools (teams, invitations, rounds,
# webinars, moderation) work without turning on "Edit the team's work".
STAFF = frozenset({"read_only_facilitator", "facilitator"})
WORKSHOP = EVERYONE - {"far"}  # the far team is in another workshop
CONTRIBUTOR = frozenset({"owner", "read_only_facilitator", "facilitator"})
NOBODY_ELSE = frozenset({"owner"})

_unique = itertools.count(1)
MISSING = 987_654  # an id nothing has


def _n() -> int:
    return next(_unique)


def _current(store: Store, w: World, model=ws.Initiative):
    return store.load(SYSTEM, w.b.id, model)


def _entry(name: str) -> dict[str, Any]:
    return {"kind": "organization", "name": name, "topics": ["data"],
            "help_with": "Something useful.", "website": f"https://{name.lower()}.example"}


def _when() -> dt.datetime:
    return dt.datetime(2030, 2, 1, 17, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Case:
    call: Callable[[Store, Any, World], Any]
    allowed: frozenset[str]
    # The same call with an id that does not exist: a refused team member must get exactly
    # the same answer, or the refusal tells them the item is there.
    probe: Callable[[Store, Any, World], Any] | None = None


MATRIX: dict[str, Case] = {
    # --- a team's documents and history ---
    "load": Case(lambda s, a, w: s.load(a, w.b.id, ws.Initiative), TEAM_READ,
                 lambda s, a, w: s.load(a, MISSING, ws.Initiative)),
    "save": Case(lambda s, a, w: s.save(a, w.b.id, _current(s, w).body,
                                        base_version=_current(s, w).version), TEAM_WRITE,
                 lambda s, a, w: s.save(a, MISSING, ws.Initiative(), base_version=0)),
    "revisions": Case(lambda s, a, w: s.revisions(a, w.b.id, ws.Initiative), TEAM_READ),
    "revision_body": Case(
        lambda s, a, w: s.revision_body(a, w.b.id, ws.Initiative, w.revision_id), TEAM_READ,
        lambda s, a, w: s.revision_body(a, w.b.id, ws.Initiative, MISSING)),
    "restore": Case(
        lambda s, a, w: s.restore(a, w.b.id, ws.Initiative, w.revision_id,
                                  base_version=_current(s, w).version), TEAM_WRITE,
        lambda s, a, w: s.restore(a, w.b.id, ws.Initiative, MISSING, base_version=0)),
    "last_activity": Case(lambda s, a, w: s.last_activity(a, w.b.id), TEAM_READ),
    "document_bodies": Case(lambda s, a, w: s.document_bodies(a, w.b.id), TEAM_READ),
    # Only for cohort figures (the assessment medians, five teams at least): other kinds of
    # document are refused to team members.
    "cohort_documents": Case(
        lambda s, a, w: s.cohort_documents(a, w.b.workshop_id, "initiative"),
        EVERYONE - {"owner", "intruder", "far"}),
    # --- teams and workshops ---
    "get_team": Case(lambda s, a, w: s.get_team(a, w.b.id), TEAM_READ,
                     lambda s, a, w: s.get_team(a, MISSING)),
    "find_team": Case(lambda s, a, w: s.find_team(a, w.b.slug), TEAM_READ,
                      lambda s, a, w: s.find_team(a, "no-such-town")),
    "list_teams": Case(lambda s, a, w: s.list_teams(a), EVERYONE),
    "create_team": Case(
        lambda s, a, w: s.create_team(a, workshop_id=w.b.workshop_id, slug=f"new-{_n()}",
                                      join_digest=f"d{_n()}", join_sealed="x"), STAFF),
    "set_join_code": Case(lambda s, a, w: s.set_join_code(a, w.b.id, f"d{_n()}", "x"), STAFF),
    "get_workshop": Case(lambda s, a, w: s.get_workshop(a, w.b.workshop_id), WORKSHOP,
                         lambda s, a, w: s.get_workshop(a, MISSING)),
    "list_workshops": Case(lambda s, a, w: s.list_workshops(a), EVERYONE),
    "create_workshop": Case(lambda s, a, w: s.create_workshop(a, slug=f"w-{_n()}", name="W"),
                            STAFF),
    # --- the budget ---
    "save_budget_import": Case(
        lambda s, a, w: s.save_budget_import(a, w.b.id, meta={
            "filename": "x.csv", "format": "csv", "amount_column": "A", "details": {}},
            lines=[(2, "D", "", "C", "F", "2027", 1, False)]), TEAM_WRITE),
    "budget_imports": Case(lambda s, a, w: s.budget_imports(a, w.b.id), TEAM_READ),
    "current_budget": Case(lambda s, a, w: s.current_budget(a, w.b.id), TEAM_READ),
    "use_budget_import": Case(lambda s, a, w: s.use_budget_import(a, w.b.id, w.import_id),
                              TEAM_WRITE,
                              lambda s, a, w: s.use_budget_import(a, w.b.id, MISSING)),
    "budget_totals": Case(lambda s, a, w: s.budget_totals(a, w.b.id, "department"), TEAM_READ),
    "budget_pairs": Case(lambda s, a, w: s.budget_pairs(a, w.b.id, "department", "fund"),
                         TEAM_READ),
    "budget_lines": Case(lambda s, a, w: s.budget_lines(a, w.b.id, search="Dept"), TEAM_READ),
    "budget_lines_by_id": Case(lambda s, a, w: s.budget_lines_by_id(a, w.b.id, w.line_ids),
                               TEAM_READ),
    "all_budget_lines": Case(lambda s, a, w: s.all_budget_lines(a, w.b.id), TEAM_READ),
    # --- the guidebook: a shared directory; a team's contribution is its own until approved
    "guide_entry": Case(lambda s, a, w: s.guide_entry(a, w.pending_entry_id), CONTRIBUTOR,
                        lambda s, a, w: s.guide_entry(a, MISSING)),
    "guide_search": Case(
        lambda s, a, w: s.guide_search(a, B_MARK, statuses=GUIDE_STATUSES,
                                       contributed_by=w.b.id), EVERYONE),
    "guide_places": Case(lambda s, a, w: s.guide_places(a), EVERYONE),
    "guide_add": Case(lambda s, a, w: s.guide_add(a, _entry(f"Entry{_n()}")),
                      EVERYONE - {"guest"}),
    "guide_update": Case(
        lambda s, a, w: s.guide_update(a, w.pending_entry_id, {
            **s.guide_entry(SYSTEM, w.pending_entry_id).fields(), "summary": f"s{_n()}"}),
        CONTRIBUTOR,
        lambda s, a, w: s.guide_update(a, MISSING, {
            **s.guide_entry(SYSTEM, w.pending_entry_id).fields(), "summary": "s"})),
    "guide_withdraw": Case(lambda s, a, w: s.guide_withdraw(a, w.pending_entry_id),
                           CONTRIBUTOR, lambda s, a, w: s.guide_withdraw(a, MISSING)),
    "guide_history": Case(lambda s, a, w: s.guide_history(a, w.pending_entry_id), CONTRIBUTOR,
                          lambda s, a, w: s.guide_history(a, MISSING)),
    "guide_approve": Case(lambda s, a, w: s.guide_approve(a, w.pending_entry_id), STAFF),
    "guide_reject": Case(lambda s, a, w: s.guide_reject(a, w.pending_entry_id, "Why"), STAFF),
    "guide_seed": Case(lambda s, a, w: s.guide_seed(a, []), STAFF),
    "guide_import": Case(lambda s, a, w: s.guide_import(a, [_entry(f"Imp{_n()}")]), STAFF),
    "guide_duplicates": Case(lambda s, a, w: s.guide_duplicates(a, [_entry("Dup")]), STAFF),
    "guide_save": Case(
        lambda s, a, w: s.guide_save(a, w.b.id, w.approved_entry_id, f"note {_n()}"),
        TEAM_WRITE),
    "guide_unsave": Case(lambda s, a, w: s.guide_unsave(a, w.b.id, w.approved_entry_id),
                         TEAM_WRITE),
    "guide_saved": Case(lambda s, a, w: s.guide_saved(a, w.b.id), TEAM_READ),
    # --- clinic feedback ---
    "add_feedback": Case(
        lambda s, a, w: s.add_feedback(a, w.b.id, tool="home", item="", kind="comment",
                                       text="x"), CLINIC),
    "feedback": Case(lambda s, a, w: s.feedback(a, w.b.id), TEAM_READ),
    "reply_feedback": Case(lambda s, a, w: s.reply_feedback(a, w.feedback_id, "Thanks"),
                           CLINIC | {"owner"},
                           lambda s, a, w: s.reply_feedback(a, MISSING, "Thanks")),
    "set_feedback_status": Case(
        lambda s, a, w: s.set_feedback_status(a, w.feedback_id, "resolved"), TEAM_WRITE,
        lambda s, a, w: s.set_feedback_status(a, MISSING, "resolved")),
    "set_clinic_rating": Case(
        lambda s, a, w: s.set_clinic_rating(a, w.b.id, "home", "met", "ok"), CLINIC),
    "clinic_ratings": Case(lambda s, a, w: s.clinic_ratings(a, w.b.id), TEAM_READ),
    "open_feedback_counts": Case(lambda s, a, w: s.open_feedback_counts(a), STAFF),
    # --- invitations and the sign-in log ---
    "create_invite": Case(lambda s, a, w: s.create_invite(a, role="guest", name="X",
                                                          digest=f"i{_n()}", sealed="x"), STAFF),
    "invites": Case(lambda s, a, w: s.invites(a), STAFF),
    "revoke_invite": Case(lambda s, a, w: s.revoke_invite(a, w.invite_id), STAFF),
    "audit_entries": Case(lambda s, a, w: s.audit_entries(a), STAFF),
    # --- peer rounds: B and M review each other; A and the far team are not in the round ---
    "create_peer_round": Case(
        lambda s, a, w: s.create_peer_round(a, w.b.workshop_id, "R", [(w.a.id, w.b.id)]),
        STAFF),
    "close_peer_round": Case(lambda s, a, w: s.close_peer_round(a, w.round_id), STAFF),
    "peer_rounds": Case(lambda s, a, w: s.peer_rounds(a, w.b.workshop_id), WORKSHOP),
    "peer_reviews": Case(lambda s, a, w: s.peer_reviews(a, w.round_id), EVERYONE),
    "save_peer_review": Case(
        lambda s, a, w: s.save_peer_review(a, w.round_id, w.m.id, strong="s", questions="",
                                           suggestion=""), NOBODY_ELSE),
    "save_peer_takeaway": Case(
        lambda s, a, w: s.save_peer_takeaway(a, w.round_id, w.m.id, "t"), NOBODY_ELSE),
    "peer_takeaways": Case(lambda s, a, w: s.peer_takeaways(a, w.b.id), TEAM_READ),
    "set_timer": Case(lambda s, a, w: s.set_timer(a, w.b.workshop_id, "Read", _when()), STAFF),
    # --- follow-up webinars ---
    "create_webinar": Case(
        lambda s, a, w: s.create_webinar(a, w.b.workshop_id, title="W", starts_at=_when(),
                                         timezone="UTC", duration_minutes=30), STAFF),
    "update_webinar": Case(
        lambda s, a, w: s.update_webinar(a, w.webinar_id, title="W2", starts_at=_when(),
                                         timezone="UTC", duration_minutes=30), STAFF),
    "delete_webinar": Case(lambda s, a, w: s.delete_webinar(a, w.webinar_id), STAFF),
    "webinar": Case(lambda s, a, w: s.webinar(a, w.webinar_id), WORKSHOP,
                    lambda s, a, w: s.webinar(a, MISSING)),
    "webinars": Case(lambda s, a, w: s.webinars(a, w.b.workshop_id), WORKSHOP),
    "set_attendance": Case(lambda s, a, w: s.set_attendance(a, w.webinar_id, w.b.id, False),
                           STAFF),
    "attendance": Case(lambda s, a, w: s.attendance(a, w.webinar_id), WORKSHOP,
                       lambda s, a, w: s.attendance(a, MISSING)),
    "attendance_counts": Case(lambda s, a, w: s.attendance_counts(a, w.b.workshop_id),
                              WORKSHOP),
}

# Public methods that take no Actor, and why that is safe.
NO_ACTOR = {
    "actor_for": "builds the actor from a signed-in session",
    "audit": "appends to the sign-in log; auth.py only",
    "count_audit": "throttling counts; auth.py only",
    "create_session": "auth.py only, after a code or password was checked",
    "session_by_digest": "auth.py only; needs the token's digest",
    "revoke_session": "auth.py only; needs the token's digest",
    "create_ticket": "auth.py only",
    "redeem_ticket": "server.py's cookie route; needs the one-time ticket",
    "team_id_for_join_digest": "sign-in lookup; needs the code's keyed digest",
    "invite_for_digest": "sign-in lookup; needs the code's keyed digest",
    "get_setting": "server-side settings; no page shows them",
    "set_setting": "server-side settings; no page shows them",
    "timer": "the room's countdown label and end time; nothing of a team's work",
    "backup": "the operator's command line",
    "integrity_ok": "the operator's command line",
    "migrate": "runs once per process",
    "close": "closes the connection",
}


def _public_methods() -> dict[str, inspect.Signature]:
    return {name: inspect.signature(fn)
            for name, fn in inspect.getmembers(Store, inspect.isfunction)
            if not name.startswith("_")}


def test_every_store_method_is_in_the_access_matrix():
    methods = _public_methods()
    for name, sig in methods.items():
        param = sig.parameters.get("actor")
        takes_actor = param is not None and param.annotation in ("Actor", Actor)
        if takes_actor:
            assert name in MATRIX, (
                f"Store.{name} takes an Actor but has no entry in MATRIX in "
                "tests/security/test_store_access.py: add it, saying who may call it.")
        else:
            assert name in NO_ACTOR, (
                f"Store.{name} takes no Actor: add it to NO_ACTOR in "
                "tests/security/test_store_access.py with the reason that is safe, or give "
                "it an Actor.")
    assert not (set(MATRIX) | set(NO_ACTOR)) - set(methods), "the matrix names a gone method"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_store_call_refuses_exactly_who_it_should(store, world, name):
    case = MATRIX[name]
    for role in ACTORS:
        if role in case.allowed:
            continue
        actor = getattr(world, role)
        before = store.conn.total_changes
        with pytest.raises((AccessDenied, NotFound)) as refused:
            case.call(store, actor, world)
        assert store.conn.total_changes == before, f"{name} refused {role} but wrote"
        assert B_MARK not in str(refused.value)
        if case.probe is not None and role in ("intruder", "far"):
            with pytest.raises((AccessDenied, NotFound)) as probed:
                case.probe(store, actor, world)
            assert (type(probed.value), str(probed.value)) == (
                type(refused.value), str(refused.value)), (
                f"{name}: a refusal for another team's item differs from a missing one, so it "
                "tells a team member the item exists")
    for role in sorted(case.allowed):
        result = case.call(store, getattr(world, role), world)
        if role in ("intruder", "far"):
            assert B_MARK not in repr(result), f"{name} shows team B's work to {role}"


def test_a_team_member_lists_only_its_own_team_and_workshop(store, world):
    assert [t.id for t in store.list_teams(world.intruder)] == [world.a.id]
    assert [w.id for w in store.list_workshops(world.far)] == [world.c.workshop_id]
    assert store.peer_reviews(world.intruder, world.round_id) == []
    assert world.b.id not in store.attendance(world.intruder, world.webinar_id)
    assert store.attendance(world.owner, world.webinar_id) == {world.b.id: True}


def test_team_members_never_receive_join_codes_even_their_own(store, world):
    for actor in (world.owner, world.intruder, world.guest):
        teams = store.list_teams(actor)
        assert teams and all(t.join_sealed is None for t in teams)
        assert store.get_team(actor, actor.team_id or world.b.id).join_sealed is None


def test_a_reviewing_team_reads_the_case_study_but_not_its_clinic_feedback(store, world):
    reviewer = peer_actor(store, world.m)
    assert world.b.id in reviewer.peers
    assert B_MARK in store.load(reviewer, world.b.id, ws.Initiative).body.title
    for call in (lambda: store.feedback(reviewer, world.b.id),
                 lambda: store.clinic_ratings(reviewer, world.b.id),
                 lambda: store.peer_takeaways(reviewer, world.b.id),
                 lambda: store.revisions(reviewer, world.b.id, ws.Initiative),
                 lambda: store.revision_body(reviewer, world.b.id, ws.Initiative,
                                             world.revision_id),
                 lambda: store.reply_feedback(reviewer, world.feedback_id, "We agree")):
        with pytest.raises(AccessDenied):
            call()
    current = store.load(reviewer, world.b.id, ws.Initiative)
    with pytest.raises(AccessDenied):
        store.save(reviewer, world.b.id, current.body, base_version=current.version)


def test_the_reviewing_teams_read_ends_when_the_round_closes(store, world):
    store.close_peer_round(world.facilitator, world.round_id)
    reviewer = peer_actor(store, world.m)
    with pytest.raises(AccessDenied):
        store.load(reviewer, world.b.id, ws.Initiative)


def test_a_team_cannot_change_an_approved_entry_another_team_contributed(store, world):
    entry = store.guide_entry(world.intruder, world.approved_entry_id)
    with pytest.raises(AccessDenied):
        store.guide_update(world.intruder, entry.id, {**entry.fields(), "summary": "mine"})
    with pytest.raises(AccessDenied):
        store.guide_withdraw(world.intruder, entry.id)
