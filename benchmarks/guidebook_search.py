"""Times guidebook searches on a directory of 5,000 entries plus the content seed.

Run from the repository root:  .venv/bin/python benchmarks/guidebook_search.py [--entries 5000]

Builds a temporary database file (WAL, as the app runs it), seeds content/guidebook.yaml,
imports generated entries in one transaction, then runs each kind of search the page makes
(words only, words with filters, filters only, the name-ordered list, a team's view) many
times and prints the median (p50) and 95th percentile (p95) in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit import guidebook as gb  # noqa: E402
from toolkit.store import SYSTEM, Actor, Store  # noqa: E402

WORDS = ["permit", "transit", "budget", "violence", "data", "forms", "grants", "housing",
         "broadband", "procurement", "zoning", "outreach", "privacy", "training", "sensors"]
STATES = ["MN", "OH", "NM", "CA", "NY", "TX", "IL", "WA", "GA", "MA"]
KINDS = ["organization", "program", "case_study", "person"]
QUERIES = ["permit", "plain language", "data privacy", "transit sensors", "perm",
           "budget grants training", "code for america", "zzzz nothing"]


def make_entries(count: int, seed: int = 7) -> list[dict]:
    """Entries that look like a busy cohort's: varied words, places, kinds and topics."""
    rng = random.Random(seed)
    topics = [t.id for t in gb.load_topics()]
    out = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        words = rng.sample(WORDS, 4)
        out.append(gb.store_fields(gb.GuideEntryInput(
            kind=kind,
            name=f"{words[0].title()} {words[1].title()} {'Lab' if n % 3 else 'Network'} {n}",
            title="Director" if kind == "person" else "",
            organization=f"City of Example {n % 300}" if kind == "person" else "",
            city=f"Example City {n % 120}", state=STATES[n % len(STATES)],
            topics=rng.sample(topics, 1 + n % 3),
            summary=f"Works on {words[2]} and {words[3]} with cities of every size.",
            help_with=f"Ask about {words[0]}, {words[1]} and how to start a {words[2]} pilot.",
            contact=f"Office line for entry {n}" if kind == "person" else "",
            website=f"https://entry{n}.example.org",
            consent_given=kind == "person",
        )))
    return out


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        gb.seed_guidebook(store)
        entries = make_entries(args.entries)
        start = time.perf_counter()
        added = sum(1 for new_id, _ in store.guide_import(SYSTEM, entries) if new_id)
        print(f"Imported {added:,} entries in {time.perf_counter() - start:.2f} s "
              f"({store.guide_search(SYSTEM, limit=0).total:,} in the guidebook)\n")
        team = Actor(role="team", name="Bench", team_id=None)
        cases: dict[str, Callable[[], object]] = {}
        for query in QUERIES:
            cases[f"words: {query!r}"] = lambda q=query: store.guide_search(SYSTEM, q, limit=20)
        cases["words + topic + state"] = lambda: store.guide_search(
            SYSTEM, "permit", topic="permitting", state="MN", limit=20)
        cases["words + kind + city"] = lambda: store.guide_search(
            SYSTEM, "data", kind="person", city="Example City 7", limit=20)
        cases["topic only (suggestions)"] = lambda: store.guide_search(
            SYSTEM, topic="budgeting", statuses=("approved",), topic_first=True, limit=10)
        cases["no query, by name, page 1"] = lambda: store.guide_search(SYSTEM, limit=20)
        cases["no query, page 100"] = lambda: store.guide_search(SYSTEM, limit=20, offset=2000)
        cases["a team's view (visibility rule)"] = lambda: store.guide_search(
            team, "permit", limit=20)
        cases["places for the filters"] = lambda: store.guide_places(SYSTEM)
        everything: list[float] = []
        print(f"{'search':40} {'p50 ms':>8} {'p95 ms':>8}")
        for label, fn in cases.items():
            fn()  # warm the page cache once
            times = timed(fn, args.repeat)
            everything += times
            print(f"{label:40} {statistics.median(times):8.2f} {p95(times):8.2f}")
        print(f"\n{'all searches':40} {statistics.median(everything):8.2f} "
              f"{p95(everything):8.2f}")


if __name__ == "__main__":
    main()
