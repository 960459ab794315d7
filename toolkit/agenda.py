"""The workshop agenda: sessions with times and the tool each one uses."""

from __future__ import annotations

import datetime as dt
import json

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from toolkit.editing import plain_validation_message
from toolkit.store import AccessDenied, Actor, Store

TOOL_CHOICES = ("", "home", "assessment", "budget", "action_plan", "questions", "engagement",
                "guidebook", "clinic", "peer")


class AgendaError(ValueError):
    """An agenda that cannot be saved; the message names the row and the fix."""


class Session(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    day: dt.date
    starts: dt.time
    ends: dt.time
    title: str = Field(min_length=1, max_length=120)
    tool: str = Field(default="", max_length=20)
    notes: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Session:
        if self.ends <= self.starts:
            raise ValueError("the session must end after it starts")
        return self


_sessions = TypeAdapter(list[Session])


def _key(workshop_id: int) -> str:
    return f"agenda:{workshop_id}"


def load(store: Store, actor: Actor, workshop_id: int) -> list[Session]:
    """The agenda, in time order; anyone in the workshop may read it."""
    if actor.role == "team" and store.get_team(actor, actor.team_id or -1).workshop_id != \
            workshop_id:
        raise AccessDenied("You can only see your own workshop's agenda.")
    raw = store.get_setting(_key(workshop_id))
    return _sessions.validate_json(raw) if raw else []


def save(store: Store, actor: Actor, workshop_id: int, rows: list[dict]) -> list[Session]:
    """Replace the agenda with `rows` (dicts from the page's table), or raise AgendaError."""
    if not actor.is_staff:
        raise AccessDenied("Only a facilitator can change the agenda.")
    sessions = []
    for number, row in enumerate(rows, start=1):
        if not any(v not in (None, "") for v in row.values()):
            continue
        try:
            sessions.append(Session.model_validate(row))
        except ValidationError as exc:
            raise AgendaError(f"Row {number}: " + plain_validation_message(exc, {
                "day": "Day", "starts": "Starts", "ends": "Ends", "title": "Session"})) from None
    sessions.sort(key=lambda s: (s.day, s.starts))
    store.set_setting(_key(workshop_id), json.dumps([s.model_dump(mode="json")
                                                     for s in sessions]))
    return sessions


def today(sessions: list[Session], day: dt.date) -> list[Session]:
    return [s for s in sessions if s.day == day]
