"""A person saving through the real app code until killed; one JSON line per confirmed save.

Run by test_kill.py as a child process: `python crash_writer.py DB TEAM_ID SEED [options]`.
A line is printed (and flushed) only after the store returned, which is the moment the page
would show "All changes saved"; the test kills this process with SIGKILL at random points
and then checks that every printed save is in the database.

--import FILE   import this real budget file every few saves
--stall         during an import, pause inside the write transaction (after the import's
                header row, before its lines) and say so: the test kills it there
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from toolkit import budget as bg
from toolkit import budget_import as bi
from toolkit import editing
from toolkit import workshop as ws
from toolkit.store import Actor, Store


def say(**fields) -> None:
    print(json.dumps(fields), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("team_id", type=int)
    parser.add_argument("seed", type=int)
    parser.add_argument("--import", dest="budget_file")
    parser.add_argument("--stall", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    me = Actor(role="team", name=f"writer {args.seed}", team_id=args.team_id)
    budget = None
    if args.budget_file:
        path = Path(args.budget_file)
        budget = bi.read_budget(path.read_bytes(), path.name)
    say(event="ready")
    n = 0
    while True:
        n += 1
        with Store(args.db, migrate=False) as store:
            if budget is not None and (args.stall or n % 7 == 0):
                if args.stall:
                    def stall(sql: str) -> None:
                        if sql.startswith("INSERT INTO budget_lines"):
                            say(event="writing lines")
                            time.sleep(30)  # the test kills us here
                    store.conn.set_trace_callback(stall)
                say(event="importing", file=budget.filename)
                info = bg.save_import(store, me, args.team_id, budget)
                say(event="imported", import_id=info.id, lines=info.line_count,
                    total=info.total_cents)
                continue
            if n % 3 == 0:
                base = store.load(me, args.team_id, bg.BudgetPlan)
                row = bg.CostItem(name=f"Row {args.seed}-{n}", category="staff",
                                  amounts=[rng.randrange(1, 10**9), 0, 0, 0, 0])
                result = editing.edit_list(store, me, args.team_id, bg.BudgetPlan,
                                           "cost_items", upserts=[row], base=base)
                if result.outcome == "saved":
                    say(event="saved", kind="budget", version=result.saved.version,
                        row=row.id, name=row.name)
                continue
            field = rng.choice(["title", "goal", "problem"])
            # Long text now and then, so that a save spans several database pages.
            value = f"{field} {args.seed}-{n} " + "x" * rng.choice([0, 50, 3500 if
                                                                   field == "problem" else 0])
            base = store.load(me, args.team_id, ws.Initiative)
            result = editing.save_field(store, me, args.team_id, ws.Initiative, field,
                                        value.strip(), base=base)
            if result.outcome == "saved":
                say(event="saved", kind="initiative", version=result.saved.version,
                    field=field, value=value.strip())


if __name__ == "__main__":
    sys.exit(main())
