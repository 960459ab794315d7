"""The access battery's world: two teams in one workshop, a third in another, and text that
belongs to team B only, so any page, export or call that leaks it can be caught."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import FACILITATOR, GUEST, member
from toolkit import auth, clinic, content
from toolkit import guidebook as gb
from toolkit import workshop as ws
from toolkit.demo import create_demo
from toolkit.store import SYSTEM, Actor, Store, Team

# Text that exists only in team B's work. Any page or file of team A that shows it leaks.
B_MARK = "Quetzal7Brampton"
# Text of the far team (another workshop), for the same check the other way round.
C_MARK = "Ocelot3Farnham"


@dataclass(frozen=True)
class World:
    a: Team  # the curious team (lakeport)
    b: Team  # the team whose work must stay its own (riverton)
    m: Team  # the team that reviews B in the open peer round (mesa-verde)
    c: Team  # a team in another workshop
    codes: dict[str, str]
    password: str
    feedback_id: int  # clinic feedback on B
    revision_id: int  # an earlier version of B's initiative
    import_id: int  # B's current budget import
    line_ids: list[int]  # some of B's budget lines
    pending_entry_id: int  # a guidebook entry B contributed, waiting for review
    approved_entry_id: int  # an entry B contributed that a facilitator approved
    round_id: int  # the open peer round: B and M review each other
    webinar_id: int  # a webinar of the first workshop
    far_webinar_id: int  # a webinar of the other workshop
    invite_id: int
    invite_code: str  # an expert guest's invitation

    @property
    def owner(self) -> Actor:
        return member(self.b, "Bea")

    @property
    def intruder(self) -> Actor:
        return member(self.a, "Al")

    @property
    def far(self) -> Actor:
        return member(self.c, "Cy")

    @property
    def facilitator(self) -> Actor:
        return FACILITATOR

    @property
    def read_only_facilitator(self) -> Actor:
        return Actor(role="facilitator", name="Fran", read_only=True)

    @property
    def guest(self) -> Actor:
        return GUEST


def _put(store: Store, actor: Actor, team_id: int, body) -> None:
    current = store.load(actor, team_id, type(body))
    store.save(actor, team_id, body, base_version=current.version)


def build_world(store: Store, key: bytes) -> World:
    demo = create_demo(store, key, shared_extras=False)
    teams = {t.slug: t for t in store.list_teams(SYSTEM)}
    a, b, m = teams["lakeport"], teams["riverton"], teams["mesa-verde"]
    owner = member(b, "Bea")

    # B's own words, in documents, history, budget, clinic, guidebook and peer review.
    initiative = store.load(owner, b.id, ws.Initiative).body
    _put(store, owner, b.id, initiative.model_copy(update={"goal": f"Goal {B_MARK} one"}))
    revision_id = store.revisions(owner, b.id, ws.Initiative)[0].id
    _put(store, owner, b.id, initiative.model_copy(
        update={"title": f"Initiative {B_MARK}", "goal": f"Goal {B_MARK} two"}))
    profile = store.load(owner, b.id, ws.TeamProfile).body
    _put(store, owner, b.id, profile.model_copy(update={"mayor": f"Mayor {B_MARK}"}))
    info = store.save_budget_import(owner, b.id, meta={
        "filename": f"{B_MARK}.csv", "format": "csv", "amount_column": "Amount",
        "details": {}}, lines=[(2, f"Dept {B_MARK}", "", "Overtime", "General", "2027",
                                1_000_00, False),
                               (3, "Parks", "", "Supplies", "General", "2027", 50_00, False)])
    line_ids = [r["id"] for r in store.budget_lines(owner, b.id)[0]]
    feedback_id = clinic.give_feedback(store, FACILITATOR, b.id, tool="home", kind="comment",
                                       text=f"Feedback {B_MARK}")
    clinic.reply(store, owner, feedback_id, f"Reply {B_MARK}")
    clinic.rate(store, FACILITATOR, b.id, "home", "partly", f"Rating {B_MARK}")
    pending = gb.contribute(store, owner, {
        "kind": "organization", "name": f"Pending {B_MARK} Alliance", "topics": ["data"],
        "help_with": f"Help {B_MARK}", "contact": f"contact-{B_MARK}@example.org"})
    approved = gb.contribute(store, owner, {
        "kind": "organization", "name": "Riverton Data Collaborative", "topics": ["data"],
        "help_with": "Open data for violence prevention.",
        "website": "https://data-collaborative.example"})
    store.guide_approve(FACILITATOR, approved.id)
    seed = store.guide_search(SYSTEM, limit=1).entries[0]
    store.guide_save(owner, b.id, seed.id, f"Note {B_MARK}")
    round_id = store.create_peer_round(FACILITATOR, b.workshop_id, "Round 1",
                                       [(b.id, m.id), (m.id, b.id)])
    store.save_peer_review(owner, round_id, m.id, strong=f"Strong {B_MARK}", questions="",
                           suggestion="")
    store.save_peer_review(member(m, "Mo"), round_id, b.id, strong="Clear goal",
                           questions="", suggestion=f"Suggestion about {B_MARK}")
    store.save_peer_takeaway(owner, round_id, m.id, f"Takeaway {B_MARK}")

    # Another workshop with its own team and webinar.
    other = store.create_workshop(SYSTEM, slug="second-cohort", name="Second cohort")
    c, _ = ws.add_team(store, SYSTEM, key, workshop_id=other.id, slug="farnham",
                       profile=ws.TeamProfile(city="Farnham", state="VT", mayor=C_MARK),
                       initiative=ws.Initiative(title=f"Initiative {C_MARK}"))
    starts = dt.datetime(2030, 1, 15, 17, tzinfo=dt.UTC)
    webinar = store.create_webinar(SYSTEM, b.workshop_id, title="January check-in",
                                   starts_at=starts, timezone="America/New_York",
                                   duration_minutes=60)
    far_webinar = store.create_webinar(SYSTEM, other.id, title=f"Webinar {C_MARK}",
                                       starts_at=starts, timezone="America/New_York",
                                       duration_minutes=60)
    store.set_attendance(SYSTEM, webinar.id, b.id, True)
    invite_code = auth.create_invite(store, FACILITATOR, key, role="guest", name="Dr. Expert")
    invite_id = store.invites(SYSTEM)[-1]["id"]
    password = auth.ensure_facilitator_password(store) or ""
    return World(a=a, b=b, m=m, c=c, codes=dict(demo), password=password,
                 feedback_id=feedback_id, revision_id=revision_id, import_id=info.id,
                 line_ids=line_ids, pending_entry_id=pending.id,
                 approved_entry_id=approved.id, round_id=round_id, webinar_id=webinar.id,
                 far_webinar_id=far_webinar.id, invite_id=invite_id,
                 invite_code=invite_code)


@pytest.fixture(scope="session")
def _template(tmp_path_factory) -> tuple[Path, World]:
    """The world is built once; each test gets its own copy of the database file."""
    path = tmp_path_factory.mktemp("access-world") / "isc.db"
    content.clear_cache()
    with Store(path) as store:
        built = build_world(store, auth.server_key(path))
    return path, built


@pytest.fixture
def world(isolated_db, _template) -> World:
    path, built = _template
    shutil.copyfile(path, isolated_db)
    shutil.copyfile(path.with_suffix(".key"), isolated_db.with_suffix(".key"))
    return built


@pytest.fixture
def store(world, isolated_db):
    with Store(isolated_db) as s:
        yield s


@pytest.fixture
def key(world, isolated_db) -> bytes:
    return auth.server_key(isolated_db)


def peer_actor(store: Store, team: Team, name: str = "Mo") -> Actor:
    """A team member's actor as app.py builds it: with the case studies it reviews."""
    from toolkit.store import Session

    return store.actor_for(Session(0, "team", name, team.id, None))
