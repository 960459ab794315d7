"""A workshop hour of load: many people editing, uploading budgets and exporting at once.

Run from the repository root:

    .venv/bin/python benchmarks/load_workshop.py                 # 30 teams x 5 people, 3 minutes
    .venv/bin/python benchmarks/load_workshop.py --teams 4 --minutes 0.5   # a quick look

It builds a throwaway workshop database (the demo teams plus enough extra teams), starts the
real server (`streamlit run server.py`) on a free loopback port, and drives one Streamlit
session per person over the websocket protocol the browser speaks (benchmarks/st_client.py):
each signs in with the session cookie the app issues, opens a page and works.

Per team: three people edit the initiative's title, goal and problem statement; one uploads a
real budget file, maps it and imports it, then edits the mayor's name; one downloads the
Blueprint PDF, then edits the city. Facilitators keep the Workshop dashboard open and refresh
it. People pause between actions (`--think`, mean seconds; "poor wifi" is not simulated: this
measures the server, and loopback keeps the measurement about it).

It reports p50/p95/max of the time from leaving a field to the page confirming the save (the
script run that saves and redraws), page loads, imports, exports and dashboard refreshes;
every error; the server's memory before (after one person has used each page once, so modules
imported on first use are not counted per session), at peak (per session) and after the
sessions close and Streamlit lets go of them, per round; and then checks the database:
integrity, and that every edit the page confirmed is what is stored. Exit status 1 if
anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.st_client import Client, ProtocolError, RunResult  # noqa: E402
from toolkit import auth  # noqa: E402
from toolkit import workshop as ws  # noqa: E402
from toolkit.demo import create_demo  # noqa: E402
from toolkit.store import SYSTEM, Store  # noqa: E402

BUDGET_FILE = ROOT / "content" / "demo" / "riverton_budget_fy2027.csv"
# What each of a team's five people edits on the home page, by label.
EDITS = ["Initiative title", "Goal", "Problem statement", "Mayor", "City"]
FIELDS = {"Initiative title": ("initiative", "title"), "Goal": ("initiative", "goal"),
          "Problem statement": ("initiative", "problem"), "Mayor": ("profile", "mayor"),
          "City": ("profile", "city")}


@dataclass
class Figures:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    confirmed: dict[tuple[int, str], str] = field(default_factory=dict)  # (team, label) -> text
    imports: dict[int, int] = field(default_factory=dict)  # team id -> imports confirmed
    memory: list[tuple[float, int]] = field(default_factory=list)
    # The same timings per round, to show whether a second hour on one server is slower.
    rounds: list[dict[str, list[float]]] = field(default_factory=list)

    def time(self, what: str, seconds: float) -> None:
        self.timings.setdefault(what, []).append(seconds)
        if self.rounds:
            self.rounds[-1].setdefault(what, []).append(seconds)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def build_workshop(db: Path, teams: int, people: int, facilitators: int
                   ) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Create the teams and sign everyone in; return (team id, person index, token) and the
    facilitators' tokens."""
    key = auth.server_key(db)
    with Store(db) as store:
        codes = create_demo(store, key, shared_extras=False) or {}
        workshop = store.list_workshops(SYSTEM)[0]
        for n in range(len(codes), teams):
            team, code = ws.add_team(
                store, SYSTEM, key, workshop_id=workshop.id,
                profile=ws.TeamProfile(city=f"Loadtown {n + 1}", state="OH", mayor="",
                                       population=50_000 + n),
                initiative=ws.Initiative(area="mobility", title=f"Initiative {n + 1}"))
            codes[team.slug] = code
        password = auth.ensure_facilitator_password(store) or ""
        members = []
        for slug, code in list(codes.items())[:teams]:
            for person in range(people):
                signed = auth.sign_in_team(store, key, code, f"{slug} person {person + 1}")
                members.append((signed.session.team_id, person, signed.token))
        staff = [auth.sign_in_facilitator(store, password, f"Facilitator {n + 1}").token
                 for n in range(facilitators)]
    return members, staff


def _check(run: RunResult, what: str, figures: Figures) -> bool:
    problems = run.exceptions + run.errors
    if run.status != "FINISHED_SUCCESSFULLY" or problems:
        figures.errors.append(f"{what}: {run.status} {problems[:2]}")
        return False
    return True


async def person(url: str, team_id: int, index: int, token: str, deadline: float,
                 think: float, figures: Figures, ready: float) -> None:
    rng = random.Random(team_id * 10 + index)
    await asyncio.sleep(max(0.0, ready - time.monotonic()))
    client = Client(url, token)
    try:
        await client.open()
        run = await client.goto("")
        figures.time("page load", run.seconds)
        if not _check(run, "home page", figures):
            return
        label = EDITS[index % len(EDITS)]
        if index == 3:
            await upload_budget(client, team_id, figures)
        elif index == 4:
            await export_pdf(client, figures)
        n = 0
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.expovariate(1 / think))
            if time.monotonic() >= deadline:
                break
            if client.page != "":
                run = await client.goto("")
                figures.time("page load", run.seconds)
                if not _check(run, "home page", figures):
                    continue
            n += 1
            text = f"{label} from person {index + 1}, edit {n}"[:80]
            run = await client.set_value(client.last.widget(label), text)
            figures.time("edit confirmed", run.seconds)
            if _check(run, f"edit {label}", figures):
                if any("Last saved by" in t or "All changes saved" in t for t in run.texts):
                    figures.confirmed[(team_id, label)] = text
                else:
                    figures.errors.append(f"edit {label}: no save confirmation on the page")
            if index == 4 and n % 4 == 0:
                await export_pdf(client, figures)
    except (ProtocolError, LookupError, OSError, TimeoutError) as exc:
        figures.errors.append(f"team {team_id} person {index + 1}: {type(exc).__name__}: {exc}")
    finally:
        await client.close()


async def upload_budget(client: Client, team_id: int, figures: Figures) -> None:
    run = await client.goto("budget")
    figures.time("page load", run.seconds)
    if not _check(run, "budget page", figures):
        return
    uploader = run.widget(None, "file_uploader")
    start = time.perf_counter()
    run = await client.upload(uploader, BUDGET_FILE.name, BUDGET_FILE.read_bytes(), "text/csv")
    if not _check(run, "budget upload", figures):
        return
    run = await client.click(run.widget("Import this budget"))
    figures.time("budget upload and import", time.perf_counter() - start)
    if _check(run, "budget import", figures):
        if any(t.startswith("Imported ") for t in run.texts):
            figures.imports[team_id] = figures.imports.get(team_id, 0) + 1
        else:
            figures.errors.append("budget import: no confirmation on the page")


async def export_pdf(client: Client, figures: Figures) -> None:
    run = await client.goto("blueprint")
    figures.time("page load", run.seconds)
    start = time.perf_counter()
    data = await client.download(run.widget("Download the Blueprint (PDF)"))
    figures.time("Blueprint PDF", time.perf_counter() - start)
    if not data.startswith(b"%PDF"):
        figures.errors.append("Blueprint PDF: the download is not a PDF")


async def facilitator(url: str, token: str, deadline: float, figures: Figures) -> None:
    client = Client(url, token)
    try:
        await client.open()
        run = await client.goto("")
        figures.time("dashboard refresh", run.seconds)
        while time.monotonic() < deadline:
            await asyncio.sleep(5)
            run = await client.rerun()
            figures.time("dashboard refresh", run.seconds)
            _check(run, "dashboard", figures)
    except (ProtocolError, OSError, TimeoutError) as exc:
        figures.errors.append(f"facilitator: {type(exc).__name__}: {exc}")
    finally:
        await client.close()


async def warm_up(url: str, members, staff) -> None:
    """Use every page and file the run uses once, so that modules the server imports on first
    use (plotly, the importer, the PDF layout) count as its starting size, not per session."""
    scratch = Figures()
    team_id, _, token = members[0]
    client = Client(url, token)
    try:
        await client.open()
        await client.goto("")
        await upload_budget(client, team_id, scratch)
        await export_pdf(client, scratch)
    finally:
        await client.close()
    client = Client(url, staff[0])
    try:
        await client.open()
        await client.goto("")
    finally:
        await client.close()
    if scratch.errors:
        raise SystemExit("The warm-up failed: " + "; ".join(scratch.errors[:3]))


async def sample_memory(pid: int, figures: Figures, stop: asyncio.Event) -> None:
    while not stop.is_set():
        figures.memory.append((time.monotonic(), _rss_kb(pid)))
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except TimeoutError:
            pass


async def drive(url: str, pid: int, members, staff, args, figures: Figures) -> dict[str, int]:
    figures.rounds.append({})
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, figures, stop))
    await asyncio.sleep(1.5)
    before = _rss_kb(pid)
    start = time.monotonic()
    cpu_start = _cpu_seconds(pid)
    deadline = start + args.ramp + args.minutes * 60
    # People arrive over the ramp, as a room fills.
    tasks = [person(url, team, index, token, deadline, args.think, figures,
                    start + args.ramp * i / max(1, len(members)))
             for i, (team, index, token) in enumerate(members)]
    tasks += [facilitator(url, token, deadline, figures) for token in staff]
    await asyncio.gather(*tasks)
    cpu_share = (_cpu_seconds(pid) - cpu_start) / (time.monotonic() - start)
    peak = max(kb for at, kb in figures.memory if at >= start)
    closed = time.monotonic()
    await asyncio.sleep(args.settle)  # Streamlit keeps a closed session for its TTL
    after = _rss_kb(pid)
    stop.set()
    await sampler
    return {"before_kb": before, "peak_kb": peak, "after_kb": after,
            "waited_after_close_s": round(time.monotonic() - closed),
            "server_cpu_share": cpu_share}


def verify(db: Path, figures: Figures) -> list[str]:
    problems = []
    conn = sqlite3.connect(db)
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("integrity check failed")
    for (team_id, label), text in figures.confirmed.items():
        kind, name = FIELDS[label]
        row = conn.execute("SELECT body FROM documents WHERE team_id = ? AND kind = ?",
                           (team_id, kind)).fetchone()
        stored = json.loads(row[0]).get(name) if row else None
        if stored != text:
            problems.append(f"team {team_id} {label}: confirmed {text!r}, stored {stored!r}")
    for team_id, count in figures.imports.items():
        stored = conn.execute("SELECT COUNT(*) FROM budget_imports WHERE team_id = ?",
                              (team_id,)).fetchone()[0]
        # The demo teams arrive with one import already.
        if stored < count:
            problems.append(f"team {team_id}: {count} imports confirmed, {stored} stored")
    conn.close()
    return problems


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict[str, float]:
    return {"count": len(values), "p50": round(statistics.median(values), 3),
            "p95": round(percentile(values, 0.95), 3), "max": round(max(values), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument("--people", type=int, default=5, help="people per team")
    parser.add_argument("--facilitators", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=3.0, help="time at full load")
    parser.add_argument("--ramp", type=float, default=30.0, help="seconds for everyone to arrive")
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean seconds a person pauses between actions")
    parser.add_argument("--session-ttl", type=int, default=60,
                        help="seconds the server keeps a closed session (the app's setting is "
                             "30 minutes, for sleeping laptops; shorter here so the run can see "
                             "memory come back)")
    parser.add_argument("--settle", type=float, default=None,
                        help="seconds to wait after closing before measuring memory "
                             "(default: the session TTL plus 30)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="run the hour again on the same server, to see whether memory "
                             "given back by closed sessions is reused")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.minutes * 60 + args.ramp > 3600:
        parser.error("keep a run under an hour")
    if args.settle is None:
        args.settle = args.session_ttl + 30

    tmp = Path(tempfile.mkdtemp(prefix="isc-load-"))
    db = tmp / "isc.db"
    print(f"Building {args.teams} teams x {args.people} people in {db} ...", flush=True)
    members, staff = build_workshop(db, args.teams, args.people, args.facilitators)
    port = _free_port()
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.disconnectedSessionTTL", str(args.session_ttl)],
        cwd=ROOT, env={**os.environ, "ISC_DB": str(db)}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    figures = Figures()
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        print(f"Server pid {server.pid} on {url}; {len(members)} people and {len(staff)} "
              f"facilitators for {args.minutes:g} min after a {args.ramp:g} s ramp ...",
              flush=True)
        asyncio.run(warm_up(url, members, staff))
        rounds = [asyncio.run(drive(url, server.pid, members, staff, args, figures))
                  for _ in range(args.rounds)]
        memory = rounds[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    problems = verify(db, figures)
    sessions = len(members) + len(staff)
    report = {
        "sessions": sessions,
        "timings": {what: summary(v) for what, v in sorted(figures.timings.items())},
        "timings_per_round": [{what: summary(v) for what, v in sorted(r.items())}
                              for r in figures.rounds],
        "errors": len(figures.errors),
        "lost_edits": len(problems),
        "edits_checked": len(figures.confirmed),
        "memory_mb": {"before": round(memory["before_kb"] / 1024),
                      "peak": round(memory["peak_kb"] / 1024),
                      "per_session": round((memory["peak_kb"] - memory["before_kb"])
                                           / 1024 / sessions, 2),
                      "after_close": round(memory["after_kb"] / 1024),
                      "waited_after_close_s": memory["waited_after_close_s"],
                      "rounds": [{"peak": round(r["peak_kb"] / 1024),
                                  "after_close": round(r["after_kb"] / 1024)} for r in rounds]},
        "server_cpu_cores_used": round(memory["server_cpu_share"], 2),
        "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end",
    }
    print()
    def table(timings: dict[str, dict[str, float]], indent: str = "") -> None:
        for what, t in timings.items():
            print(f"{indent}{what:{28 - len(indent)}} {t['count']:>6} {t['p50']:>7} "
                  f"{t['p95']:>7} {t['max']:>7}")

    print(f"{'what':28} {'count':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    table(report["timings"])
    if len(report["timings_per_round"]) > 1:
        for n, timings in enumerate(report["timings_per_round"], start=1):
            print(f"  round {n}:")
            table(timings, "  ")
    m = report["memory_mb"]
    print(f"\nServer memory: {m['before']} MB before, {m['peak']} MB at peak "
          f"({m['per_session']} MB per session), {m['after_close']} MB "
          f"{m['waited_after_close_s']} s after the sessions closed")
    for n, r in enumerate(m["rounds"][1:], start=2):
        print(f"Round {n} on the same server: {r['peak']} MB at peak, {r['after_close']} MB "
              "after the sessions closed")
    print(f"Server CPU: {report['server_cpu_cores_used']} cores busy on average "
          f"({report['machine']})")
    print(f"Errors: {len(figures.errors)}; edits checked against the database: "
          f"{len(figures.confirmed)}, lost: {len(problems)}")
    for line in (figures.errors + problems)[:20]:
        print("  !", line)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 1 if figures.errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
