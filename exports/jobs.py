"""Heavy exports run in a worker process, so one team's Blueprint never slows the room.

Streamlit runs every session's script in one Python process; a Blueprint PDF is a few hundred
milliseconds of pure-Python work that would hold the interpreter lock while thirty teams type.
The download buttons hand these builds to a small process pool instead (one worker per core
beyond the first). Each job opens its own connection, as the same person, so access checks
run in the worker exactly as they would in the page. If the pool breaks (a worker killed),
the job runs in-process rather than failing the download.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from toolkit.store import Actor, Store

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _workers() -> int:
    configured = os.environ.get("ISC_EXPORT_WORKERS")
    if configured is not None:
        return int(configured)
    return max(1, (os.cpu_count() or 2) - 1)


def _executor() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _pool is None and _workers() > 0:
            # spawn, not fork: the server has many threads, and a forked copy of a lock held
            # by one of them would hang the worker.
            _pool = ProcessPoolExecutor(max_workers=_workers(),
                                        mp_context=multiprocessing.get_context("spawn"))
        return _pool


def warm() -> None:
    """Start the workers now, so the first download of the day does not wait for them."""
    pool = _executor()
    if pool is not None:
        pool.submit(int)


def run(job: Callable[..., bytes], *args) -> bytes:
    """Run `job(*args)` in a worker; its exceptions (AccessDenied...) are raised here."""
    global _pool
    pool = _executor()
    if pool is None:
        return job(*args)
    try:
        return pool.submit(job, *args).result()
    except BrokenProcessPool:
        with _lock:
            _pool = None
        return job(*args)


# --- the jobs (top-level functions, so a worker can import them) ----------------------------


def blueprint_pdf(db_file: Path, actor: Actor, team_id: int, include: set[str] | None) -> bytes:
    from exports import blueprint

    with Store(db_file, migrate=False) as store:
        return blueprint.render_pdf(blueprint.gather(store, actor, team_id), include=include)


def brief_pdf(db_file: Path, actor: Actor, team_id: int) -> bytes:
    from exports import blueprint, brief

    with Store(db_file, migrate=False) as store:
        return brief.render_brief(blueprint.gather(store, actor, team_id))


def workbook(db_file: Path, actor: Actor, team_id: int) -> bytes:
    from exports import blueprint

    with Store(db_file, migrate=False) as store:
        return blueprint.render_xlsx(blueprint.gather(store, actor, team_id, with_lines=True))


def progress_report(db_file: Path, actor: Actor, team_id: int, today: dt.date) -> bytes:
    from exports.followup import progress_report_pdf

    with Store(db_file, migrate=False) as store:
        return progress_report_pdf(store, actor, team_id, today)
