"""Shared fixtures: a fresh database per test, the server key, the demo workshop."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit import auth, content
from toolkit.demo import create_demo
from toolkit.store import SYSTEM, Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch):
    """Every test gets its own database file; nothing touches data/isc.db."""
    path = tmp_path / "isc.db"
    monkeypatch.setenv("ISC_DB", str(path))
    monkeypatch.delenv("ISC_FACILITATOR_PASSWORD", raising=False)
    monkeypatch.delenv("ISC_CONTENT_DIR", raising=False)
    monkeypatch.delenv("ISC_SECRET_FILE", raising=False)
    # A page's exception reaches AppTest (at.exception) instead of app.py's friendly message.
    monkeypatch.setenv("ISC_RAISE_PAGE_ERRORS", "1")
    content.clear_cache()
    return path


@pytest.fixture
def store(isolated_db):
    with Store(isolated_db) as s:
        yield s


@pytest.fixture
def key(isolated_db):
    return auth.server_key(isolated_db)


@pytest.fixture
def demo(store, key):
    """The demo workshop; returns {slug: join code}. The guidebook starts as seeded only and
    there are no webinars yet, which the guidebook and follow-up tests rely on."""
    return create_demo(store, key, shared_extras=False)


@pytest.fixture
def teams(store, demo):
    return {t.slug: t for t in store.list_teams(SYSTEM)}


@pytest.fixture
def team_token(store, key, demo):
    """Ana of Riverton, signed in."""
    return auth.sign_in_team(store, key, demo["riverton"], "Ana").token


@pytest.fixture
def facilitator_token(store, demo):
    """Fran, a facilitator, signed in."""
    return auth.sign_in_facilitator(store, auth.ensure_facilitator_password(store), "Fran").token


def pytest_collection_modifyitems(config, items):
    """Browser tests skip without chromium, unless CI requires them (then they fail)."""
    if Path("/usr/bin/chromium").exists() or os.environ.get("ISC_REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (/usr/bin/chromium); "
                                   ".ci/run installs it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def no_legacy_pages_directory(monkeypatch):
    """Run pages the way the server does: only through app.py's st.navigation.

    Streamlit treats a `pages/` folder beside the entry script as a legacy multipage app until
    st.navigation first runs, and AppTest resets that flag on every run, so `switch_page` would
    execute a page script directly, skipping app.py's sign-in gate. server.py switches the
    legacy mode off at start; this does the same for AppTest.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
