"""Times the Blueprint export: the demo team, and plans grown to workshop-breaking sizes.

Run from the repository root:  .venv/bin/python benchmarks/blueprint_export.py

Prints the median of three renders (PDF and workbook) for the demo's Riverton and for a team
with Oakland's 10,595 budget lines, N milestones and N/6 respondents for N in 50, 150, 300,
so the growth with plan size can be read off the table. Uses a throwaway database.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from exports import blueprint  # noqa: E402
from toolkit import action_plan as ap  # noqa: E402
from toolkit import auth  # noqa: E402
from toolkit import budget as bg  # noqa: E402
from toolkit import budget_import as bi  # noqa: E402
from toolkit import questions as qs  # noqa: E402
from toolkit import workshop as ws  # noqa: E402
from toolkit.demo import create_demo  # noqa: E402
from toolkit.store import SYSTEM, Store  # noqa: E402

OAKLAND = ROOT.parent / "shared" / "data" / "budgets" / "oakland_fy2016-17_midcycle_budget_data.xlsx"


def median(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_team(store: Store, key: bytes, workshop_id: int, milestones: int) -> int:
    team, _ = ws.add_team(store, SYSTEM, key, workshop_id=workshop_id,
                          profile=ws.TeamProfile(city=f"Bigtown {milestones}", mayor="Mayor"),
                          initiative=ws.Initiative(area="permitting", title="Faster permits",
                                                   goal="Permits in ten days", problem="Slow."))
    if OAKLAND.exists():
        bg.save_import(store, SYSTEM, team.id, bi.read_budget(OAKLAND.read_bytes(),
                                                             OAKLAND.name))
    start = dt.date(2027, 1, 4)
    plan = ap.ActionPlan(plan_start=start, milestones=[
        ap.PlanMilestone(id=f"m{i}", name=f"Milestone {i} of the permit redesign", owner="Lead",
                         start=start + dt.timedelta(days=i), end=start + dt.timedelta(days=i + 9),
                         depends_on=[f"m{i - 1}"] if i else [])
        for i in range(milestones)])
    store.save(SYSTEM, team.id, plan, base_version=0)
    meeting = qs.Meeting(title="Vendors", question_ids=[q.id for q in
                                                        qs.load_questions().questions][:10])
    people = [qs.Respondent(name=f"Vendor {n}", meeting_id=meeting.id)
              for n in range(max(2, milestones // 6))]
    answers = [qs.Answer(id=qs.answer_id(p.id, qid), respondent_id=p.id, question_id=qid,
                         score=(n + len(qid)) % 4, notes="Said the data stays theirs.")
               for n, p in enumerate(people) for qid in meeting.question_ids]
    store.save(SYSTEM, team.id, qs.QuestionsPlan(meetings=[meeting], respondents=people,
                                                 answers=answers), base_version=0)
    return team.id


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        key = auth.server_key(store.path)
        create_demo(store, key)
        rows = []
        riverton = store.find_team(SYSTEM, "riverton").id
        bp = blueprint.gather(store, SYSTEM, riverton)
        rows.append(("demo Riverton", median(lambda: blueprint.render_pdf(bp)),
                     median(lambda: blueprint.render_xlsx(
                         blueprint.gather(store, SYSTEM, riverton, with_lines=True)))))
        workshop_id = store.list_workshops(SYSTEM)[0].id
        for n in (50, 150, 300):
            team_id = big_team(store, key, workshop_id, n)
            big = blueprint.gather(store, SYSTEM, team_id)
            rows.append((f"10,595 lines, {n} milestones, {max(2, n // 6)} vendors",
                         median(lambda big=big: blueprint.render_pdf(big), 1),
                         median(lambda t=team_id: blueprint.render_xlsx(
                             blueprint.gather(store, SYSTEM, t, with_lines=True)), 1)))
        print(f"{'plan':<45} {'PDF s':>7} {'xlsx s':>7}")
        for name, pdf_s, xlsx_s in rows:
            print(f"{name:<45} {pdf_s:>7.2f} {xlsx_s:>7.2f}")


if __name__ == "__main__":
    main()
