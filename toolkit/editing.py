"""Saving one field of a document at a time, merging with teammates' edits of other fields.

A workshop table edits the same home page from five laptops. A save names the version the
person started from; if a teammate saved since, the change still lands when the teammate
touched other fields, and is refused (with the person's text kept) only when both changed
the same field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from toolkit.store import Actor, Saved, StaleVersion, Store

FIELD_LIMIT_RETRIES = 5


@dataclass(frozen=True)
class EditResult:
    outcome: Literal["saved", "conflict", "invalid", "unchanged"]
    saved: Saved | None = None  # the document as it now stands
    message: str = ""


def plain_validation_message(exc: ValidationError, labels: dict[str, str]) -> str:
    """Pydantic's errors, said the way a person fixes them."""
    parts = []
    for err in exc.errors(include_url=False):
        # The innermost named field says the most: ("cost_items", 2, "name") -> "name".
        names = [str(part) for part in err["loc"] if isinstance(part, str)]
        field = names[-1] if names else ""
        label = labels.get(field, field.replace("_", " ").capitalize() or "This value")
        ctx = err.get("ctx") or {}
        kind = err["type"]
        if kind == "string_too_short":
            parts.append(f"{label}: fill this in.")
        elif kind == "string_too_long":
            parts.append(f"{label}: use {ctx.get('max_length')} characters or fewer.")
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            parts.append(f"{label}: type a whole number, without commas or letters.")
        elif kind in ("greater_than_equal", "greater_than"):
            parts.append(f"{label}: the number cannot be below {ctx.get('ge', ctx.get('gt'))}.")
        elif kind in ("less_than_equal", "less_than"):
            parts.append(f"{label}: the number cannot be above {ctx.get('le', ctx.get('lt')):,}.")
        elif kind == "value_error" and ctx.get("error"):
            reason = str(ctx["error"])
            text = reason[0].upper() + reason[1:]
            parts.append(f"{label}: {reason}." if field else f"{text}.")
        else:
            parts.append(f"{label}: {err['msg']}.")
    return " ".join(parts)


def _who(current: Saved, actor: Actor) -> str:
    # The same name is almost always the same person with a second tab or laptop open.
    if current.saved_by and current.saved_by == actor.name:
        return "You (in another tab or window)"
    return current.saved_by or "A teammate"


def _changed(before: BaseModel, after: BaseModel) -> set[str]:
    return {name for name in type(before).model_fields
            if getattr(before, name) != getattr(after, name)}


def save_field(
    store: Store,
    actor: Actor,
    team_id: int,
    model: type[BaseModel],
    field: str,
    value: Any,
    *,
    base: Saved,
    labels: dict[str, str] | None = None,
) -> EditResult:
    """Set `field` to `value` on top of the latest version, unless a teammate changed it too."""
    labels = labels or {}
    for _ in range(FIELD_LIMIT_RETRIES):
        current = store.load(actor, team_id, model)
        theirs = getattr(current.body, field)
        if current.version != base.version and theirs != getattr(base.body, field):
            if theirs == value:
                return EditResult("unchanged", current)
            return EditResult(
                "conflict",
                current,
                f"{_who(current, actor)} changed {labels.get(field, field).lower()} while you "
                "were editing. That text is shown now; yours is kept below so you can copy it "
                "back or save it instead.",
            )
        if theirs == value:
            return EditResult("unchanged", current)
        try:
            body = model.model_validate({**current.body.model_dump(), field: value})
        except ValidationError as exc:
            return EditResult("invalid", current, plain_validation_message(exc, labels))
        try:
            return EditResult("saved", store.save(actor, team_id, body,
                                                  base_version=current.version))
        except StaleVersion:
            continue  # someone saved between our read and write: merge again
    return EditResult("conflict", store.load(actor, team_id, model),
                      "Many people are saving at once. Your text is kept below; try again.")


def edit_list(
    store: Store,
    actor: Actor,
    team_id: int,
    model: type[BaseModel],
    field: str,
    *,
    upserts: list[BaseModel] = (),
    deletes: list[str] = (),
    base: Saved,
    labels: dict[str, str] | None = None,
    what: str = "row",
) -> EditResult:
    """Add, change or remove rows (items with an `id`) of a list field, on top of the latest
    version. Rows a teammate changed since `base` are refused, never overwritten."""
    labels = labels or {}
    base_items = {i.id: i for i in getattr(base.body, field)}
    for _ in range(FIELD_LIMIT_RETRIES):
        current = store.load(actor, team_id, model)
        items = list(getattr(current.body, field))
        now = {i.id: i for i in items}
        who = _who(current, actor)
        changed = {u.id: u for u in upserts}
        for item_id in list(changed) + list(deletes):
            if item_id in base_items and item_id not in now:
                return EditResult("conflict", current,
                                  f"{who} removed a {what} you were changing.")
            if item_id in base_items and now[item_id] != base_items[item_id]:
                old = base_items[item_id]
                mine = _changed(old, changed[item_id]) if item_id in changed else None
                if mine is None or mine & _changed(old, now[item_id]):
                    return EditResult("conflict", current,
                                      f"{who} changed the same {what} while you were editing. "
                                      "That version is shown now; make your change again.")
                # Different cells of the same row: keep theirs and lay ours on top.
                changed[item_id] = now[item_id].model_copy(
                    update={name: getattr(changed[item_id], name) for name in mine})
        new_items = [changed.pop(i.id, i) for i in items if i.id not in set(deletes)]
        new_items += list(changed.values())
        if new_items == items:
            return EditResult("unchanged", current)
        try:
            # Dump and re-validate every row: a row built without validation (model_construct,
            # model_copy(update=...)) must not slip past the limits into the store.
            body = model.model_validate({**current.body.model_dump(),
                                         field: [i.model_dump() for i in new_items]})
        except ValidationError as exc:
            return EditResult("invalid", current, plain_validation_message(exc, labels))
        try:
            return EditResult("saved", store.save(actor, team_id, body,
                                                  base_version=current.version))
        except StaleVersion:
            continue
    return EditResult("conflict", store.load(actor, team_id, model),
                      "Many people are saving at once. Try again.")
