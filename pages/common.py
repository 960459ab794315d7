"""What every page shares: the signed-in context, the team being viewed, and autosaving fields.

Not a page itself (app.py never registers it). Pages stay thin: they read the context,
call toolkit functions and render.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel, ValidationError

from toolkit import auth, editing
from toolkit import workshop as ws
from toolkit.store import (
    AccessDenied,
    Actor,
    Saved,
    Session,
    Store,
    StoreError,
    StoreUnavailable,
    Team,
    utcnow,
)

# What a person sees when a page or a save fails unexpectedly (the log gets the traceback).
ERROR_MESSAGE = ("Something went wrong on this page; your saved work is safe. Reload the page; "
                 "if it happens again tell a facilitator.")


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


def _resync_key(model: type[BaseModel], team_id: int) -> str:
    return f"resync:{model.KIND}:{team_id}"


_TEXT_BOXES = (st.text_input, st.text_area)
LOST_MESSAGE = ("The connection to the app dropped before this change arrived, so it was not "
                "saved. The saved text is shown now; yours is kept below.")


def load_for_editing(model: type[BaseModel], team_id: int) -> Saved:
    """Load a document; when it changed since this browser last saw it, refresh the widgets.

    The first time a server session shows a document, its fields get the stored values as
    their starting values (in autosave) instead of having them forced in here. A browser
    that comes back to a new server session (the server restarted, or the laptop slept for
    longer than a session is kept) still holds what its boxes showed, including a change
    that never arrived: forcing the stored text in would replace it without a word.
    """
    c = ctx()
    saved = c.store.load(c.actor, team_id, model)
    base: Saved | None = st.session_state.get(_base_key(model, team_id))
    starts = st.session_state.setdefault("_field_starts", {})
    fields = type(saved.body).model_fields
    if base is None:
        for field in fields:
            starts[_widget_key(model, field, team_id)] = getattr(saved.body, field)
    elif base.version != saved.version or st.session_state.pop(_resync_key(model, team_id),
                                                               False):
        for field in fields:
            starts.pop(_widget_key(model, field, team_id), None)
        _sync_widgets(model, team_id, saved.body)
    st.session_state[_base_key(model, team_id)] = saved
    return saved


def signed_in(store: Store, token: str | None, *, facilitator_edits: bool
              ) -> tuple[Session, Actor] | None:
    """The session behind `token` and its actor as of now, or None once it has ended
    (signed out, expired, or its invitation withdrawn). A facilitator reads teams' work
    read-only unless they turned on editing."""
    session = auth.session_for_token(store, token if isinstance(token, str) else None)
    if session is None:
        return None
    actor = store.actor_for(session)
    if session.role == "facilitator" and not facilitator_edits:
        actor = dataclasses.replace(actor, read_only=True)
    return session, actor


def _signed_in_now(store: Store) -> tuple[Session, Actor] | None:
    return signed_in(store, st.session_state.get("token"),
                     facilitator_edits=bool(st.session_state.get("facilitator_edits")))


ECHO_SECONDS = 30


def _sync_widgets(model: type[BaseModel], team_id: int, body: BaseModel) -> None:
    """Show the stored values in the fields, remembering what each one showed before.

    The browser learns the new values only when this run reaches it. If the person clicks
    or leaves a field sooner, the browser sends back the old values, which would look like
    edits and undo a teammate's change; _on_change recognises them by this note.
    """
    echoes = st.session_state.setdefault("_echoes", {})
    now = time.monotonic()
    for name in type(body).model_fields:
        key = _widget_key(model, name, team_id)
        value = getattr(body, name)
        if key in st.session_state and st.session_state[key] != value:
            echoes[key] = (st.session_state[key], now)
        st.session_state[key] = value


def in_callback(action: Callable[[Store, Actor], None], *,
                unsaved: tuple[str, Any] | None = None) -> None:
    """Run `action` from a widget callback. Callbacks run before app.py, when the previous
    run's connection is already closed, so they open their own and re-check the session.

    `unsaved` names the change (label, value): when the sign-in has ended meanwhile, the
    sign-in page shows it, so the text is not lost with the session.
    """
    with Store(ctx().store.path, migrate=False) as store:
        found = _signed_in_now(store)
        if found is None:  # signed out meanwhile: app.py shows the sign-in page
            if unsaved and unsaved[1] not in (None, "", [], ()):
                st.session_state.setdefault("unsaved", []).append(
                    (str(unsaved[0]), str(unsaved[1])))
                st.session_state["unsaved_team"] = ctx().session.team_id
            return
        try:
            action(store, found[1])
        except StoreError as exc:
            # Editing was turned off as this change was sent (AccessDenied), or the database
            # cannot save (a full disk): a callback runs outside app.py's error handling, so
            # say it on the next run rather than let the page crash.
            st.session_state["flash_error"] = str(exc)
        except Exception:
            if os.environ.get("ISC_RAISE_PAGE_ERRORS"):
                raise
            logging.getLogger("isc.app").exception("A save failed")
            st.session_state["flash_error"] = ERROR_MESSAGE


def built_on_click(build: Callable[[Store, Actor], bytes]) -> Callable[[], bytes]:
    """The `data` of a download button whose file is built when it is clicked.

    Streamlit runs it on its download thread, maybe long after this run: it opens its own
    connection and checks the session again, so a person who signed out, whose session
    expired or whose invitation was withdrawn gets no file (the button says the download
    failed; the click's rerun shows the sign-in page saying why), and a reviewing team's
    read ends with its peer round.
    """
    path, token = ctx().store.path, st.session_state.get("token")
    edits = bool(st.session_state.get("facilitator_edits"))

    def data() -> bytes:
        with Store(path, migrate=False) as store:
            found = signed_in(store, token, facilitator_edits=edits)
            if found is None:
                raise AccessDenied("Your sign-in has ended. Sign in again to download.")
            return build(store, found[1])

    return data


def recheck_session(store: Store) -> None:
    """For fragments that refresh on their own: they rerun without app.py's gate, so they
    check that the session is still live (and send the browser to sign in if not)."""
    if _signed_in_now(store) is None:
        st.rerun()


# --- text not saved because the sign-in ended ----------------------------------------------
# Signing in again loads the page afresh (the cookie is set by a redirect), which starts a new
# Streamlit session; the text is handed over to it here, in this server process only.


@st.cache_resource(show_spinner=False)
def _handed_over() -> dict[str, tuple[float, int | None, list]]:
    return {}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hand_over_unsaved(token: str) -> None:
    """Called on sign-in: the next session of this token shows the text not saved."""
    if items := st.session_state.get("unsaved"):
        box, now = _handed_over(), time.monotonic()
        for old in [k for k, (at, _, _) in list(box.items()) if now - at > 3600]:
            box.pop(old, None)
        box[_digest(token)] = (now, st.session_state.get("unsaved_team"), list(items))


def take_unsaved(token: str, team_id: int | None) -> None:
    """On a signed-in run: pick up text handed over at sign-in, for the same team only."""
    entry = _handed_over().pop(_digest(token), None) if _handed_over() else None
    if entry and entry[1] == team_id:
        st.session_state["unsaved"] = entry[2]


def show_unsaved(*, signed_in: bool) -> None:
    """The text that was not saved when the sign-in ended, to copy back or download."""
    items = st.session_state.get("unsaved")
    if not items:
        return
    st.warning(
        ("Not saved before your sign-in ended. Copy this text back where it belongs, then "
         "dismiss it." if signed_in else
         "Your last changes were not saved, because your sign-in had ended. Copy the text "
         "or download it now; it is shown again after you sign in as the same team."),
        icon=":material/warning:")
    for n, (label, text) in enumerate(items):
        st.text_area(f"{label} (not saved)", value=text, key=f"unsaved:{n}", height=100)
    with st.container(horizontal=True):
        st.download_button(
            "Download the text not saved", icon=":material/download:", mime="text/plain",
            data="\n\n".join(f"{label}:\n{text}" for label, text in items),
            file_name="not-saved.txt", on_click="ignore")
        if signed_in:
            st.button("Dismiss", icon=":material/close:", key="unsaved_dismiss",
                      on_click=lambda: st.session_state.pop("unsaved", None))


def _keep_draft(key: str, kind: str, message: str, draft: Any) -> None:
    st.session_state.setdefault("field_notes", {})[key] = (kind, message, draft)
    st.session_state[f"draft:{key}"] = draft if isinstance(draft, str) else ""


def _drop_draft(key: str) -> None:
    st.session_state.get("field_notes", {}).pop(key, None)
    st.session_state.pop(f"draft:{key}", None)


def _on_change(model: type[BaseModel], field: str, team_id: int, labels: dict[str, str]) -> None:
    key = _widget_key(model, field, team_id)
    value = st.session_state[key]
    echo = st.session_state.get("_echoes", {}).pop(key, None)
    if echo and echo[0] == value and time.monotonic() - echo[1] < ECHO_SECONDS:
        # Not an edit: the browser sent back what it showed before the last sync arrived.
        st.session_state[key] = getattr(st.session_state[_base_key(model, team_id)].body, field)
        return
    if isinstance(value, str):
        value = value.strip()

    def save(store: Store, actor: Actor) -> None:
        notes = st.session_state.setdefault("field_notes", {})
        try:
            result = editing.save_field(
                store, actor, team_id, model, field, value,
                base=st.session_state[_base_key(model, team_id)], labels=labels,
            )
        except StoreUnavailable as exc:
            notes[key] = ("error", exc.explain("Your text is still in the box"), None)
            return  # nothing synced: the box keeps what the person typed
        if result.outcome == "invalid":
            st.session_state.setdefault("field_notes", {})[key] = ("error", result.message,
                                                                   None)
            return  # the person's text stays in the box so they can fix it
        if result.outcome == "conflict":
            _keep_draft(key, "conflict", result.message, value)
        else:
            _drop_draft(key)
        # Sync every field to what is now saved, so the next save starts from it.
        st.session_state[_base_key(model, team_id)] = result.saved
        _sync_widgets(model, team_id, result.saved.body)

    in_callback(save, unsaved=(labels.get(field, field), value))


def _save_draft(model: type[BaseModel], field: str, team_id: int, labels: dict[str, str]
                ) -> None:
    """The person read the saved text and chose theirs: save it on top of what they saw."""
    key = _widget_key(model, field, team_id)
    kind, message, draft = st.session_state.get("field_notes", {}).get(key, (None, "", None))
    st.session_state[key] = st.session_state.get(f"draft:{key}") if isinstance(draft, str) \
        else draft
    st.session_state.get("_echoes", {}).pop(key, None)  # chosen now, not an old value echoed
    _on_change(model, field, team_id, labels)


def autosave(widget, model: type[BaseModel], field: str, team_id: int, label: str,
             *, labels: dict[str, str], disabled: bool = False, **kwargs: Any) -> Any:
    """Render `widget` bound to one document field; every change is saved at once.

    A change that cannot be saved (a teammate changed the same field, or the connection
    dropped before it arrived) is kept in a box under the field, with buttons to save it
    instead or discard it.
    """
    key = _widget_key(model, field, team_id)
    starts = st.session_state.get("_field_starts", {})
    first_text = key in starts and widget in _TEXT_BOXES
    if key in starts:
        start = starts.pop(key)
        if first_text:
            kwargs["value"] = start
        else:
            st.session_state[key] = start
    value = widget(label, key=key, on_change=_on_change, args=(model, field, team_id, labels),
                   disabled=disabled, **kwargs)
    if first_text and (value or "") != (start or "") and not disabled:
        # The browser held text this session never saw arrive: keep it as a draft, and once
        # the page is drawn (every field checked) run it again to show what is stored.
        _keep_draft(key, "lost", LOST_MESSAGE, value)
        st.session_state[_resync_key(model, team_id)] = True
        st.session_state["_rerun_after_page"] = True
    note = st.session_state.get("field_notes", {}).get(key)
    if note:
        kind, message, draft = note
        st.error(md(message), icon=":material/error:")
        if kind in ("conflict", "lost") and draft not in (None, ""):
            _draft_box(model, field, team_id, labels, draft, disabled=disabled,
                       max_chars=kwargs.get("max_chars"),
                       shown=kwargs.get("format_func") or str)
    return value


def _draft_box(model: type[BaseModel], field: str, team_id: int, labels: dict[str, str],
               draft: Any, *, disabled: bool, max_chars: int | None,
               shown: Callable[[Any], str]) -> None:
    key = _widget_key(model, field, team_id)
    what = "text" if isinstance(draft, str) else "choice"
    if isinstance(draft, str):
        if not st.session_state.get(f"draft:{key}"):  # e.g. the box was off screen a while
            st.session_state[f"draft:{key}"] = draft
        st.text_area("Your text, not saved", key=f"draft:{key}", height=100,
                     max_chars=max(max_chars or 0, len(draft)) or None, disabled=disabled,
                     help="Copy what you need into the box above, or change it here and "
                          "save it in place of the saved text.")
    else:
        st.caption(f"Your choice, not saved: {md(shown(draft))}")
    with st.container(horizontal=True):
        st.button(f"Save my {what} instead", key=f"draft_save:{key}", disabled=disabled,
                  icon=":material/save:", on_click=_save_draft,
                  args=(model, field, team_id, labels))
        st.button(f"Discard my {what}", key=f"draft_drop:{key}", disabled=disabled,
                  icon=":material/delete:", on_click=_drop_draft, args=(key,))


def _apply(model: type[BaseModel], team_id: int, result: editing.EditResult) -> bool:
    """Show what happened to a save and sync the page to what is now stored."""
    if result.outcome in ("conflict", "invalid"):
        st.session_state["flash_error"] = result.message
    if result.saved is not None:
        st.session_state[_base_key(model, team_id)] = result.saved
    return result.outcome in ("saved", "unchanged")


def _unavailable(exc: StoreUnavailable) -> bool:
    """A save the database could not take: say so here and, if the page reruns, at the top."""
    message = exc.explain("Nothing was saved")
    st.error(message, icon=":material/sync_problem:")
    st.session_state["flash_error"] = message
    return False


def save_value(model: type[BaseModel], team_id: int, field: str, value: Any) -> bool:
    """Save one field (any value) from a button or form, merging with teammates' edits."""
    c = ctx()
    try:
        return _apply(model, team_id, editing.save_field(
            c.store, c.actor, team_id, model, field, value,
            base=st.session_state[_base_key(model, team_id)]))
    except StoreUnavailable as exc:
        return _unavailable(exc)


def edit_rows(model: type[BaseModel], team_id: int, field: str, *,
              upserts: list[BaseModel] = (), deletes: list[str] = (), what: str = "row") -> bool:
    """Add, change or remove rows of a list field; a teammate's change to the same row wins
    and the person is told."""
    c = ctx()
    try:
        return _apply(model, team_id, editing.edit_list(
            c.store, c.actor, team_id, model, field, upserts=list(upserts),
            deletes=list(deletes), base=st.session_state[_base_key(model, team_id)], what=what))
    except StoreUnavailable as exc:
        return _unavailable(exc)


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
    labels = {name: (cfg.get("label") if isinstance(cfg, dict) else cfg) or name
              for name, cfg in column_config.items()}
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
        args=(model, team_id, field, key, items, to_row, from_row, what, labels),
    )
    show_draft(key.rsplit(":", 1)[0], help="What you typed into the table. Copy it back "
                                            "into the row above.")


def keep_draft(key: str, message: str, text: str) -> None:
    """From a callback: a change was refused; keep its text for show_draft(key)."""
    _keep_draft(key, "conflict", message, text)


def show_draft(key: str, *, label: str = "Your change, not saved", help: str = "") -> None:
    """Under a field or table: why a change was refused, and its text to copy back."""
    if note := st.session_state.get("field_notes", {}).get(key):
        _, message, draft = note
        st.error(message, icon=":material/sync_problem:")
        if not st.session_state.get(f"draft:{key}"):
            st.session_state[f"draft:{key}"] = draft
        st.text_area(label, key=f"draft:{key}", height=100, help=help or None)
        st.button("Done with my change", key=f"draft_drop:{key}", icon=":material/check:",
                  on_click=_drop_draft, args=(key,))


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    return "(empty)" if value in (None, "") else str(value)


def _describe_rows(state: dict, items: list, to_row: Callable[[Any], dict],
                   labels: dict[str, str]) -> str:
    """A table change in words, so a refused one can be kept for the person to copy back."""
    def name(index: int) -> str:
        first = next(iter(to_row(items[index]).values()), "")
        return f"Row {index + 1}" + (f" (“{str(first)[:60]}”)" if first else "")

    lines = [name(int(i)) + ": " + "; ".join(f"{labels.get(c, c)}: {_cell(v)}"
                                             for c, v in changes.items())
             for i, changes in state.get("edited_rows", {}).items()]
    lines += ["New row: " + "; ".join(f"{labels.get(c, c)}: {_cell(v)}"
                                      for c, v in row.items() if v not in (None, ""))
              for row in state.get("added_rows", []) if any(v not in (None, "")
                                                           for v in row.values())]
    lines += [f"{name(i)}: removed" for i in state.get("deleted_rows", [])]
    return "\n".join(lines)


def _on_rows_change(model, team_id, field, key, items, to_row, from_row, what,
                    labels=None) -> None:
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
    described = _describe_rows(state, items, to_row, labels or {})

    def save(store: Store, actor: Actor) -> None:
        result = editing.edit_list(store, actor, team_id, model, field, upserts=upserts,
                                   deletes=deletes,
                                   base=st.session_state[_base_key(model, team_id)], what=what)
        if result.outcome == "conflict" and described:
            # The table is rebuilt from what is stored: keep what they typed beside it.
            _keep_draft(key.rsplit(":", 1)[0], "conflict", result.message, described)
            st.session_state[_base_key(model, team_id)] = result.saved
        else:
            _apply(model, team_id, result)

    in_callback(save, unsaved=(f"Table of {what}s", described))


def show_flash() -> None:
    """A refused save's message, shown once on the next run."""
    if message := st.session_state.pop("flash_error", None):
        st.error(md(message), icon=":material/sync_problem:")
    show_unsaved(signed_in=True)


def saved_caption(saved: Saved) -> None:
    if saved.version == 0:
        st.caption("Nothing saved yet. Each change is saved as soon as you leave the field.")
    else:
        at = saved.saved_at.astimezone(dt.UTC)
        st.caption(f"All changes saved. Last saved by {md(saved.saved_by)} at {at:%H:%M} UTC "
                   f"(version {saved.version}).")


HISTORY_SHOWN = 15  # earlier versions listed in a history panel


def history_panel(model: type[BaseModel], team_id: int, what: str,
                  describe: Callable[[Any], str] | None = None) -> None:
    """Earlier versions of a document, newest first, each restorable as a new version.

    The list is read only while the panel is open: every save adds a version, and reading
    them all on each edit made a busy team's page slower with every save."""
    c = ctx()
    current = st.session_state[_base_key(model, team_id)]
    if current.version < 2:  # each save is one version, so there is nothing earlier yet
        return
    panel = st.expander(f"Earlier versions of the {what}", key=f"history:{model.KIND}:{team_id}",
                        on_change="rerun")
    if not panel.open:
        return
    with panel:
        shown = c.store.revisions(c.actor, team_id, model, limit=HISTORY_SHOWN)
        more = f"; the latest {len(shown)} are listed" if current.version > len(shown) else ""
        st.caption(f"Version {current.version:,} is the current one{more}. Restoring makes an "
                   "earlier version current again. Nothing is deleted: the version you replace "
                   "stays in this list.")
        for rev in shown:
            left, right = st.columns([5, 1])
            note = " (restored from an earlier version)" if rev.restored_from else ""
            text = f"Version {rev.version}, saved by {rev.saved_by} at {rev.saved_at:%b %d %H:%M} UTC"
            if describe:
                body = c.store.revision_body(c.actor, team_id, model, rev.id)
                text += f": {describe(body)}"
            left.markdown(md(text + note))
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
            # A fresh form after each reply sent; one the database refused keeps the text.
            sent = st.session_state.get(f"replies_sent:{item['id']}", 0)
            with st.form(f"reply:{key}:{item['id']}:{sent}", border=False):
                text = st.text_area("Your reply", max_chars=clinic.TEXT_MAX, height=70,
                                    key=f"reply_text:{key}:{item['id']}:{sent}")
                left, right = st.columns(2)
                send = left.form_submit_button("Send reply")
                toggle = None
                if c.actor.can_write(team_id):
                    toggle = right.form_submit_button(
                        "Reopen" if item["status"] == "resolved" else "Mark resolved")
                try:
                    if send:
                        clinic.reply(c.store, c.actor, item["id"], text)
                        st.session_state[f"replies_sent:{item['id']}"] = sent + 1
                        st.rerun()
                    if toggle:
                        c.store.set_feedback_status(
                            c.actor, item["id"],
                            "open" if item["status"] == "resolved" else "resolved")
                        st.rerun()
                except (clinic.FeedbackError, StoreError) as exc:
                    st.error(md(exc))


WATCH_SECONDS = 20


def session_watch() -> None:
    """Every signed-in page re-checks its sign-in now and then, without a click.

    Two reasons. A person signed out in another tab (or at the end of the day) is told
    before they type into a page that can no longer save. And a page with a timed fragment
    is run again as soon as its connection comes back after a wifi drop or a sleeping laptop,
    so a change the browser sent while the connection was dead still reaches the server
    (Streamlit's browser side only asks for that run when a page has a timer).
    """
    path, token = ctx().store.path, st.session_state.get("token")

    @st.fragment(run_every=WATCH_SECONDS)
    def _watch() -> None:
        with Store(path, migrate=False) as store:
            alive = auth.session_for_token(store, token) is not None
        if not alive:
            st.warning("Your sign-in has ended: you signed out in another tab or window, or "
                       "the day's session is over. Changes made on this page now are not "
                       "saved. Copy any text you are writing, then sign in again.",
                       icon=":material/lock_clock:")
            if st.button("Sign in again", icon=":material/login:"):
                st.rerun(scope="app")

    _watch()


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
