"""No traceback reaches a page: app.py's error boundary shows a plain message and logs the
traceback, and the server runs with `client.showErrorDetails = "none"` for anything that
escapes it (widget callbacks, fragments)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages import common
from tests.helpers import as_read
from tests.security.test_pages_access import MEMBER_PAGES, _text
from toolkit import auth

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
MESSAGE = ("Something went wrong on this page; your saved work is safe. Reload the page; if it "
           "happens again tell a facilitator.")
INTERNALS = "KeyError in /srv/isc/secret_internals.py"


@pytest.fixture
def failing_pages(monkeypatch):
    """Every page fails just after its title, as a bug in a toolkit call would."""
    original = common.page_title

    def page_title(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError(INTERNALS)

    monkeypatch.setattr(common, "page_title", page_title)
    monkeypatch.delenv("ISC_RAISE_PAGE_ERRORS")  # as the server runs


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_a_page_that_fails_shows_a_plain_message_and_logs_the_traceback(
        store, key, world, failing_pages, caplog, page):
    token = auth.sign_in_with_code(store, key, world.codes["lakeport"], "Al").token
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    with caplog.at_level(logging.ERROR, logger="isc.app"):
        at.run()
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    assert [e.value for e in at.error][-1] == MESSAGE
    text = _text(at)
    for leak in ("Traceback", "RuntimeError", "secret_internals", 'File "', ".py\""):
        assert leak not in text
    logged = [r for r in caplog.records if r.name == "isc.app"]
    assert logged and INTERNALS in logged[-1].exc_text
    # The person is still signed in and can go on.
    assert auth.session_for_token(store, token) is not None


def test_the_test_suite_still_sees_page_exceptions(store, key, world, failing_pages,
                                                    monkeypatch):
    monkeypatch.setenv("ISC_RAISE_PAGE_ERRORS", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = auth.sign_in_with_code(store, key, world.codes["lakeport"],
                                                       "Al").token
    at.run()
    assert at.exception, "AppTest reports the exception, so the test that met it fails"


def test_the_server_runs_with_error_details_off():
    """Read the option the way the server does: Streamlit's config, from the folder
    `isc serve` runs in (it changes to the repository before starting Streamlit)."""
    code = ("from streamlit import config; config.get_config_options(force_reparse=True); "
            "print(config.get_option('client.showErrorDetails')); "
            "print(config.get_option('client.toolbarMode'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["none", "viewer"]


def test_isc_serve_starts_streamlit_from_the_repository_folder(monkeypatch, tmp_path):
    import cli

    seen = {}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "prepare", lambda demo: None)
    monkeypatch.setattr(cli.os, "execv", lambda exe, argv: seen.update(cwd=Path.cwd(),
                                                                      argv=argv))
    cli.main(["serve", "--no-demo"])
    assert seen["cwd"] == ROOT and "server.py" in seen["argv"]


def test_a_save_that_fails_shows_the_same_plain_message(store, key, world, monkeypatch,
                                                         caplog):
    from toolkit import editing

    def broken(*args, **kwargs):
        raise RuntimeError(INTERNALS)

    monkeypatch.delenv("ISC_RAISE_PAGE_ERRORS")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = auth.sign_in_with_code(store, key, world.codes["lakeport"],
                                                       "Al").token
    at.run()
    monkeypatch.setattr(editing, "save_field", broken)
    with caplog.at_level(logging.ERROR, logger="isc.app"):
        next(w for w in at.text_input if w.label == "Initiative title").input("New").run()
    assert not at.exception
    assert MESSAGE in [as_read(e.value) for e in at.error]
    assert "secret_internals" not in _text(at)
    assert any(INTERNALS in (r.exc_text or "") for r in caplog.records)
