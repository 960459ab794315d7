"""150 people saving at once, each through their own connection: nothing lost, never "locked".

Thirty teams of five work at the same time, the way a workshop room does: field saves to the
same home page (different fields, and two people on the same field), row edits of the same
budget plan, clinic feedback and replies, guidebook contributions, and three real budget
imports holding the write lock for thousands of lines. Every call opens its own Store, as a
page run or widget callback does. Afterwards every save that was confirmed is stored, every
refusal said why, and the revision counts match the confirmed saves exactly.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from tests.reliability.cohort import CHICAGO, OKLAHOMA, budget, make_cohort
from toolkit import budget as bg
from toolkit import clinic, editing, guidebook
from toolkit import workshop as ws
from toolkit.store import SYSTEM, Actor, Store

TEAMS = 30
PEOPLE_PER_TEAM = 5
ROUNDS = 4
IMPORTING_TEAMS = {0: CHICAGO, 10: OKLAHOMA, 20: CHICAGO}
REFUSALS = ("while you were editing", "Many people are saving at once", "removed a")


@dataclass
class Log:
    """What each person was told. Appends from many threads: list.append is atomic."""

    edits: list[tuple[int, str, str, Any, editing.EditResult]] = field(default_factory=list)
    feedback: list[int] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)
    guide: list[int] = field(default_factory=list)
    imports: list[tuple[int, int, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _cost_row(row_id: str, name: str) -> bg.CostItem:
    return bg.CostItem(id=row_id, name=name, category="staff", amounts=[100_00, 0, 0, 0, 0])


def _person(db, team, k: int, start: threading.Barrier, log: Log) -> None:
    me = Actor(role="team", name=f"{team.slug} person {k}", team_id=team.id)
    rng = random.Random(team.id * 10 + k)

    def page(action):
        # One Store per page run or callback, exactly as the app opens them.
        with Store(db, migrate=False) as store:
            return action(store)

    def field_save(name: str, value: str) -> None:
        base = page(lambda s: s.load(me, team.id, ws.Initiative))
        result = page(lambda s: editing.save_field(s, me, team.id, ws.Initiative, name, value,
                                                   base=base, labels=ws.FIELD_LABELS))
        log.edits.append((team.id, "initiative", name, value, result))

    def row_edit(row: bg.CostItem, *, base=None) -> editing.EditResult:
        base = base or page(lambda s: s.load(me, team.id, bg.BudgetPlan))
        result = page(lambda s: editing.edit_list(s, me, team.id, bg.BudgetPlan, "cost_items",
                                                  upserts=[row], base=base, what="cost"))
        log.edits.append((team.id, "budget", row.id, row.name, result))
        return result

    try:
        start.wait()
        for r in range(ROUNDS):
            if k == 0:
                field_save("title", f"Title {r} by {me.name}")
            elif k == 1:
                field_save("goal", f"Goal {r} by {me.name}")
            elif k in (2, 3):
                field_save("problem", f"Problem {r} by {me.name}")  # the same field
            else:
                row_edit(_cost_row(f"own{team.id}", f"Own row, round {r}"))
            if r == 1:
                # Everyone touches the shared row from a page opened a moment ago.
                row_edit(_cost_row(f"shared{team.id}", f"Shared row by {me.name}"))
            if rng.random() < 0.5:
                page(lambda s: s.load(me, team.id, bg.BudgetPlan))  # a teammate just reads
        if k == 1:
            fran = Actor(role="facilitator", name="Fran")
            log.feedback.append(page(lambda s: clinic.give_feedback(
                s, fran, team.id, tool="budget", kind="question",
                text=f"Where does the money for {team.slug} come from?")))
        if k == 2:
            first = page(lambda s: s.feedback(me, team.id))[0]["id"]
            page(lambda s: clinic.reply(s, me, first, f"Answer from {me.name}"))
            log.replies.append(team.id)
        if k == 3:
            entry = page(lambda s: guidebook.contribute(s, me, {
                "kind": "organization", "name": f"Civic lab of {team.slug}",
                "topics": ["procurement"], "help_with": "Helps cities buy software well.",
                "website": f"https://{team.slug}.example.org"}))
            log.guide.append(entry.id)
        if k == 4 and team_index(team) in IMPORTING_TEAMS:
            result = budget(IMPORTING_TEAMS[team_index(team)])
            info = page(lambda s: bg.save_import(s, me, team.id, result))
            log.imports.append((team.id, info.id, len(result.lines)))
    except Exception as exc:  # "database is locked" or anything else lands here, named
        log.errors.append(f"{me.name}: {type(exc).__name__}: {exc}")


def team_index(team) -> int:
    return int(team.slug.removeprefix("city-"))


def test_150_people_saving_at_once_lose_nothing_and_are_never_told_the_database_is_locked(
        isolated_db):
    with Store(isolated_db) as store:
        teams = make_cohort(store, isolated_db, TEAMS)
        guidebook.seed_guidebook(store)
        fran = Actor(role="facilitator", name="Fran")
        for team in teams:
            clinic.give_feedback(store, fran, team.id, tool="home", kind="comment",
                                 text="Name the neighbourhoods.")
            plan = bg.BudgetPlan(cost_items=[_cost_row(f"shared{team.id}", "Shared row")])
            store.save(SYSTEM, team.id, plan, base_version=0)
        seeded_guide = store.conn.execute("SELECT count(*) FROM guide_entries").fetchone()[0]
    for path in set(IMPORTING_TEAMS.values()):
        budget(path)  # parse before the clock starts: the battery is about the store

    log = Log()
    start = threading.Barrier(TEAMS * PEOPLE_PER_TEAM)
    threads = [threading.Thread(target=_person, args=(isolated_db, team, k, start, log))
               for team in teams for k in range(PEOPLE_PER_TEAM)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert log.errors == []
    outcomes = Counter(result.outcome for *_, result in log.edits)
    assert set(outcomes) <= {"saved", "conflict", "unchanged"}, outcomes
    assert outcomes["saved"] > 0.5 * len(log.edits)
    for *_, result in log.edits:
        if result.outcome == "conflict":
            assert any(words in result.message for words in REFUSALS), result.message
            assert result.saved is not None  # the page can show what is stored now

    with Store(isolated_db) as store:
        assert store.integrity_ok()
        confirmed: dict[tuple[int, str], list] = defaultdict(list)
        for team_id, kind, name, value, result in log.edits:
            if result.outcome == "saved":
                confirmed[(team_id, kind)].append((result.saved.version, name, value))
        for team in teams:
            for kind, model, before in (("initiative", ws.Initiative, 1),
                                        ("budget", bg.BudgetPlan, 1)):
                saves = confirmed[(team.id, kind)]
                history = store.revisions(SYSTEM, team.id, model)
                # Revisions are exactly the versions saved before the battery plus one per
                # confirmed save, numbered without gaps.
                assert len(history) == before + len(saves)
                assert sorted(r.version for r in history) == list(range(1, len(history) + 1))
                assert store.load(SYSTEM, team.id, model).version == len(history)
                bodies = {r.version: store.revision_body(SYSTEM, team.id, model, r.id)
                          for r in history}
                for version, name, value in saves:
                    # The version that confirmed the save holds exactly what was typed.
                    body = bodies[version]
                    if kind == "initiative":
                        assert getattr(body, name) == value
                    else:
                        assert {i.id: i.name for i in body.cost_items}[name] == value
            # Each person's last confirmed change to a field is what the page shows now,
            # unless a later confirmed save of the same field replaced it.
            final = store.load(SYSTEM, team.id, ws.Initiative).body
            for name in ("title", "goal", "problem"):
                last = max((s for s in confirmed[(team.id, "initiative")] if s[1] == name),
                           default=None)
                if last:
                    assert getattr(final, name) == last[2]
            plan = store.load(SYSTEM, team.id, bg.BudgetPlan).body
            assert len({i.id for i in plan.cost_items}) == len(plan.cost_items)

        counts = dict(store.conn.execute(
            "SELECT 'feedback', count(*) FROM feedback UNION ALL "
            "SELECT 'replies', count(*) FROM feedback_replies UNION ALL "
            "SELECT 'guide', count(*) FROM guide_entries").fetchall())
        assert counts == {"feedback": 2 * TEAMS, "replies": TEAMS,
                          "guide": seeded_guide + TEAMS}
        assert len(log.feedback) == len(log.replies) == len(log.guide) == TEAMS
        assert len(log.imports) == len(IMPORTING_TEAMS)
        for team_id, import_id, lines in log.imports:
            stored = store.conn.execute(
                "SELECT count(*) FROM budget_lines WHERE import_id = ?", (import_id,)
            ).fetchone()[0]
            assert stored == lines
            assert store.current_budget(SYSTEM, team_id).id == import_id
        assert store.conn.execute("SELECT count(*) FROM budget_imports").fetchone()[0] == 3
