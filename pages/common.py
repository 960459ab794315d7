"""What every page shares: the signed-in context, the team being viewed, and autosaving fields.

Not a page itself (app.py never registers it). Pages stay thin: they read the context,
call toolkit functions and render.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel, ValidationError

from toolkit import auth, editing
from toolkit import workshop as ws
from toolkit.store import Actor, Saved, Session, Store, StoreError, Team, utcnow


@dataclass
class Context:
    store: Store
    session: Session
    key: bytes  # server key: seals and opens join codes
    actor: Actor  # the session's actor, with any peer team it may read this round

    @property
    def is_facilitator(self) -> bool:
        return self.session.role == "facilitator"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=^\"'])")


def md(text: object) -> str:
    """Text a person typed, for a markdown label, heading or caption, shown exactly as typed.

    Escaping is not enough for Streamlit's :icon: and :colour[...] directives or for GFM's
    bare web links, so a zero-width space after the colon (and after "www") breaks those
    patterns without changing what a person reads. Longer text goes through st.text.
    """
    escaped = _MARKDOWN.sub(r"\\\1", str(text or ""))
    escaped = re.sub(r"(\\:)(?=[A-Za-z/])", "\\1\u200b", escaped)
    escaped = re.sub(r"(?i)\b(www)(?=\\\.)", "\\1\u200b", escaped)
    return escaped.replace("\n", "  \n")


def ctx() -> Context:
    """The context app.py built for this run."""
    return st.session_state["_ctx"]


@st.cache_data(show_spinner=False)
def server_key(path: str) -> bytes:
    return auth.server_key(Path(path))


# --- which team a page shows -------------------------------------------------------------


def viewed_team() -> Team | None:
    """A team member sees their own team; a facilitator sees the team picked in the sidebar."""
    c = ctx()
    if c.session.role == "team":
        return c.store.get_team(c.actor, c.session.team_id)
    teams = c.store.list_teams(c.actor)
    if not teams:
        return None
    chosen = st.session_state.get("viewed_team_id")
    return next((t for t in teams if t.id == chosen), teams[0])


def require_team() -> Team:
    team = viewed_team()
    if team is None:
        st.info("There are no teams yet. Add one on the Teams page.")
        st.stop()
    return team


def page_title(title: str, team: Team | None = None, *, feedback_on: str | None = None
               ) -> None:
    """The page's single H1; facilitators are reminded whose work they are looking at, and
    a team sees the open clinic feedback on the part of its work this page shows."""
    st.title(title)
    show_flash()
    if feedback_on and team is not None:
        items = [i for i in ctx().store.feedback(ctx().actor, team.id, tool=feedback_on)
                 if i["status"] == "open"]
        if items:
            with st.expander(f"Clinic feedback on this part: {len(items)} open",
                             icon=":material/forum:"):
                for item in items:
                    st.markdown(f"**{md(item['item']) or 'General'}** · {md(item['author'])}")
                    st.text(item["text"])
                if ctx().session.role == "team":
                    st.page_link("pages/feedback.py", label="Reply on the Feedback page",
                                 icon=":material/forum:")
    if team is not None and ctx().is_facilitator:
        mode = ("Read-only: turn on “Edit the team's work” in the sidebar to change it."
                if ctx().actor.read_only else "Editing is on: your changes save to the team.")
        st.caption(f"Viewing the work of team {md(team.city or team.slug)}. {mode} "
                   "Pick another team in the sidebar.")


# --- autosaving fields --------------------------------------------------------------------


def _widget_key(model: type[BaseModel], field: str, team_id: int) -> str:
    return f"f:{model.KIND}:{field}:{team_id}"


def _base_key(model: type[BaseModel], team_id: int) -> str:
    return f"base:{model.KIND}:{team_id}"


def load_for_editing(model: type[BaseModel], team_id: int) -> Saved:
    """Load a document; when it changed since this browser last saw it, refresh the widgets."""
    c = ctx()
    saved = c.store.load(c.actor, team_id, model)
    base: Saved | None = st.session_state.get(_base_key(model, team_id))
    if base is None or base.version != saved.version:
        for field in type(saved.body).model_fields:
            st.session_state[_widget_key(model, field, team_id)] = getattr(saved.body, field)
        st.session_state[_base_key(model, team_id)] = saved
    return saved


def in_callback(action: Callable[[Store, Actor], None]) -> None:
    """Run `action` from a widget callback. Callbacks run before app.py, when the previous
    run's connection is already closed, so they open their own and re-check the session."""
    with Store(ctx().store.path, migrate=False) as store:
        session = auth.session_for_token(store, st.session_state.get("token"))
        if session is not None:  # signed out meanwhile: app.py shows the sign-in page
            action(store, session.actor)


def _on_change(model: type[BaseModel], field: str, team_id: int, labels: dict[str, str]) -> None:
    key = _widget_key(model, field, team_id)
    value = st.session_state[key]
    if isinstance(value, str):
        value = value.strip()

    def save(store: Store, actor: Actor) -> None:
        result = editing.save_field(
            store, actor, team_id, model, field, value,
            base=st.session_state[_base_key(model, team_id)], labels=labels,
        )
        notes = st.session_state.setdefault("field_notes", {})
        if result.outcome == "invalid":
            notes[key] = ("error", result.message, None)
            return  # the person's text stays in the box so they can fix it
        if result.outcome == "conflict":
            notes[key] = ("conflict", result.message, value)
        else:
            notes.pop(key, None)
        # Sync every field to what is now saved, so the next save starts from it.
        st.session_state[_base_key(model, team_id)] = result.saved
        for name in type(result.saved.body).model_fields:
            st.session_state[_widget_key(model, name, team_id)] = getattr(result.saved.body,
                                                                          name)

    in_callback(save)


def autosave(widget, model: type[BaseModel], field: str, team_id: int, label: str,
             *, labels: dict[str, str], disabled: bool = False, **kwargs: Any) -> Any:
    """Render `widget` bound to one document field; every change is saved at once."""
    key = _widget_key(model, field, team_id)
    value = widget(label, key=key, on_change=_on_change, args=(model, field, team_id, labels),
                   disabled=disabled, **kwargs)
    note = st.session_state.get("field_notes", {}).get(key)
    if note:
        kind, message, draft = note
        st.error(md(message), icon=":material/error:")
        if kind == "conflict" and draft not in (None, ""):
            st.text_area("Your text, not saved", value=str(draft), key=f"draft:{key}",
                         disabled=True, height=100)
    return value


def _apply(model: type[BaseModel], team_id: int, result: editing.EditResult) -> bool:
    """Show what happened to a save and sync the page to what is now stored."""
    if result.outcome in ("conflict", "invalid"):
        st.session_state["flash_error"] = result.message
    if result.saved is not None:
        st.session_state[_base_key(model, team_id)] = result.saved
    return result.outcome in ("saved", "unchanged")


def save_value(model: type[BaseModel], team_id: int, field: str, value: Any) -> bool:
    """Save one field (any value) from a button or form, merging with teammates' edits."""
    c = ctx()
    return _apply(model, team_id, editing.save_field(
        c.store, c.actor, team_id, model, field, value,
        base=st.session_state[_base_key(model, team_id)]))


def edit_rows(model: type[BaseModel], team_id: int, field: str, *,
              upserts: list[BaseModel] = (), deletes: list[str] = (), what: str = "row") -> bool:
    """Add, change or remove rows of a list field; a teammate's change to the same row wins
    and the person is told."""
    c = ctx()
    return _apply(model, team_id, editing.edit_list(
        c.store, c.actor, team_id, model, field, upserts=list(upserts), deletes=list(deletes),
        base=st.session_state[_base_key(model, team_id)], what=what))


def rows_editor(
    model: type[BaseModel],
    team_id: int,
    field: str,
    *,
    to_row: Callable[[Any], dict],
    from_row: Callable[[dict, Any], Any],
    column_config: dict,
    what: str,
    disabled: bool = False,
    height: int | str = "auto",
) -> None:
    """An editable table bound to a list field; each change is saved at once.

    The widget's key carries the document version, so after any save (ours or a teammate's)
    the table is rebuilt from what is stored.
    """
    saved = st.session_state[_base_key(model, team_id)]
    items = list(getattr(saved.body, field))
    key = f"rows:{model.KIND}:{field}:{team_id}:{saved.version}"
    # An empty list still needs its columns, or there is nowhere to type the first row.
    rows = [to_row(i) for i in items] or pd.DataFrame(columns=list(column_config))
    st.data_editor(
        rows,
        column_config=column_config,
        num_rows="fixed" if disabled else "dynamic",
        disabled=disabled,
        hide_index=True,
        width="stretch",
        height=height,
        key=key,
        on_change=_on_rows_change,
        args=(model, team_id, field, key, items, to_row, from_row, what),
    )


def _on_rows_change(model, team_id, field, key, items, to_row, from_row, what) -> None:
    state = st.session_state[key]
    try:
        upserts = [from_row({**to_row(items[int(i)]), **changes}, items[int(i)])
                   for i, changes in state.get("edited_rows", {}).items()]
        upserts += [from_row(row, None) for row in state.get("added_rows", [])
                    if any(v not in (None, "") for v in row.values())]
        deletes = [items[i].id for i in state.get("deleted_rows", [])]
    except (ValueError, ValidationError) as exc:
        message = (editing.plain_validation_message(exc, {})
                   if isinstance(exc, ValidationError) else str(exc))
        st.session_state["flash_error"] = f"Not saved: {message}"
        return
    in_callback(lambda store, actor: _apply(model, team_id, editing.edit_list(
        store, actor, team_id, model, field, upserts=upserts, deletes=deletes,
        base=st.session_state[_base_key(model, team_id)], what=what)))


def show_flash() -> None:
    """A refused save's message, shown once on the next run."""
    if message := st.session_state.pop("flash_error", None):
        st.error(md(message), icon=":material/sync_problem:")


def saved_caption(saved: Saved) -> None:
    if saved.version == 0:
        st.caption("Nothing saved yet. Each change is saved as soon as you leave the field.")
    else:
        at = saved.saved_at.astimezone(dt.UTC)
        st.caption(f"All changes saved. Last saved by {md(saved.saved_by)} at {at:%H:%M} UTC "
                   f"(version {saved.version}).")


def history_panel(model: type[BaseModel], team_id: int, what: str,
                  describe: Callable[[Any], str] | None = None) -> None:
    """Earlier versions of a document, newest first, each restorable as a new version."""
    c = ctx()
    revisions = c.store.revisions(c.actor, team_id, model)
    if len(revisions) < 2:
        return
    with st.expander(f"Earlier versions of the {what} ({len(revisions)} saves)"):
        st.caption("Restoring makes an earlier version current again. Nothing is deleted: "
                   "the version you replace stays in this list.")
        for rev in revisions[:15]:
            left, right = st.columns([5, 1])
            note = " (restored from an earlier version)" if rev.restored_from else ""
            text = f"Version {rev.version}, saved by {rev.saved_by} at {rev.saved_at:%b %d %H:%M} UTC"
            if describe:
                body = c.store.revision_body(c.actor, team_id, model, rev.id)
                text += f": {describe(body)}"
            left.markdown(md(text + note))
            current = st.session_state[_base_key(model, team_id)]
            if rev.version != current.version and c.actor.can_write(team_id) and right.button(
                    "Restore", key=f"restore:{model.KIND}:{rev.id}"):
                try:
                    c.store.restore(c.actor, team_id, model, rev.id,
                                    base_version=current.version)
                except StoreError as exc:
                    st.session_state["flash_error"] = str(exc)
                st.rerun()


def feedback_thread(items: list[dict], team_id: int, *, key: str) -> None:
    """Clinic feedback items with replies; anyone who can read may reply, the team and
    facilitators may resolve. Text is shown as text."""
    from toolkit import clinic

    c = ctx()
    names = clinic.areas()
    for item in items:
        label = (f"{clinic.KINDS[item['kind']]} on {names.get(item['tool'], item['tool'])}"
                 + (f" › {item['item']}" if item["item"] else "")
                 + (" (resolved)" if item["status"] == "resolved" else ""))
        with st.container(border=True):
            st.markdown(f"**{md(label)}** · {md(item['author'])}, {item['created_at'][:16]} UTC")
            st.text(item["text"])
            for r in item["replies"]:
                st.caption(f"Reply from {md(r['author'])}, {r['created_at'][:16]} UTC")
                st.text(r["text"])
            with st.form(f"reply:{key}:{item['id']}", clear_on_submit=True, border=False):
                text = st.text_area("Your reply", max_chars=clinic.TEXT_MAX, height=70,
                                    key=f"reply_text:{key}:{item['id']}")
                left, right = st.columns(2)
                send = left.form_submit_button("Send reply")
                toggle = None
                if c.actor.can_write(team_id):
                    toggle = right.form_submit_button(
                        "Reopen" if item["status"] == "resolved" else "Mark resolved")
                if send:
                    try:
                        clinic.reply(c.store, c.actor, item["id"], text)
                        st.rerun()
                    except clinic.FeedbackError as exc:
                        st.error(md(exc))
                if toggle:
                    c.store.set_feedback_status(
                        c.actor, item["id"],
                        "open" if item["status"] == "resolved" else "resolved")
                    st.rerun()


def countdown(workshop_id: int) -> None:
    """The room's timer, when a facilitator has started one; it ticks without a click."""
    path = ctx().store.path

    @st.fragment(run_every=2)
    def _tick() -> None:
        with Store(path, migrate=False) as store:
            timer = store.timer(workshop_id)
        if timer is None:
            return
        label, ends_at = timer
        left = int((ends_at - utcnow()).total_seconds())
        if left <= 0:
            st.warning(f"{md(label)}: time is up.", icon=":material/timer_off:")
        else:
            st.info(f"{md(label)}: {left // 60}:{left % 60:02d} left", icon=":material/timer:")

    _tick()


def coming_soon(tool_id: str) -> None:
    """A tool page whose tool has not been built into the app yet: one honest line."""
    tool = ws.tool(tool_id)
    team = viewed_team()
    page_title(f"{tool.number}. {tool.name}", team)
    st.write(tool.purpose)
    st.info("This tool is coming in this workshop. Your home page and Blueprint are ready now.",
            icon=":material/construction:")
