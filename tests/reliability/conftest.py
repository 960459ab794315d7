"""Fixtures of the reliability battery."""

from __future__ import annotations

import pytest

from tests.reliability.faults import Faults
from toolkit.store import Store


@pytest.fixture
def faults(monkeypatch) -> Faults:
    """Every Store opened while a fault is on (pages, callbacks, the CLI) gets it."""
    state = Faults()
    original = Store.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        state.apply(self)

    monkeypatch.setattr(Store, "__init__", init)
    return state
