"""Exports built in a worker process match the in-process build and keep access checks."""

import datetime as dt

import pytest

from exports import blueprint, jobs
from tests.helpers import member
from toolkit.store import AccessDenied


def test_a_blueprint_built_in_a_worker_is_the_same_file(store, demo, teams):
    riverton = teams["riverton"]
    actor = member(riverton)
    here = blueprint.render_pdf(blueprint.gather(store, actor, riverton.id), include=None)
    assert jobs.run(jobs.blueprint_pdf, store.path, actor, riverton.id, None) == here
    assert jobs.run(jobs.workbook, store.path, actor, riverton.id)[:2] == b"PK"
    assert jobs.run(jobs.progress_report, store.path, actor, riverton.id,
                    dt.date(2027, 3, 1)).startswith(b"%PDF")


def test_a_worker_refuses_another_teams_blueprint(store, demo, teams):
    with pytest.raises(AccessDenied):
        jobs.run(jobs.brief_pdf, store.path, member(teams["lakeport"]), teams["riverton"].id)


def test_exports_run_outside_the_app_process():
    import os

    assert jobs.run(os.getpid) != os.getpid()
