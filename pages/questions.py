"""Tool 3, the ten tech prompt questions: prepare a meeting, record the answers, compare them."""

from __future__ import annotations

import hashlib
import html

import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from exports import questions as eq
from pages.common import (
    ctx,
    edit_rows,
    history_panel,
    in_callback,
    keep_draft,
    load_for_editing,
    md,
    page_title,
    require_team,
    show_draft,
)
from toolkit import editing
from toolkit import questions as qs
from toolkit import workshop as ws
from toolkit.store import Actor, Store

c = ctx()
team = require_team()
tool = ws.tool("questions")
can_edit = c.actor.can_write(team.id)
content = qs.load_questions()
saved = load_for_editing(qs.QuestionsPlan, team.id)
plan: qs.QuestionsPlan = saved.body
# Callbacks run before the next script run and save on top of what this run showed.
BASE = f"q_base:{team.id}"
st.session_state[BASE] = saved
area = c.store.load(c.actor, team.id, ws.Initiative).body.area or "other"

page_title(f"{tool.number}. {tool.name}", team, feedback_on="questions")
st.write(tool.purpose)
with st.expander("How to use the questions, and how to score an answer"):
    st.write(content.intro)
    for level in content.scoring_rubric:
        st.markdown(f"- **{level.score} {level.label}.** {level.description}")


def _plain(text: str) -> str:
    """User text shown through markdown without becoming markup, links, icons or maths."""
    return md(text)  # md() also breaks bare web addresses, which GFM would make links


def _digest(value: object) -> str:
    # Part of a widget's key: when the stored value changes (a save, a teammate), the widget
    # is rebuilt from it; while it is unchanged the widget keeps what the person is typing.
    return hashlib.sha1(repr(value).encode()).hexdigest()[:10]


def _save_in_callback(team_id: int, field: str, *, upserts=(), deletes=(), what: str,
                      draft: tuple[str, str, str] | None = None) -> None:
    """Save list rows from a widget callback, on top of what the person last saw.

    `draft` (where to show it, label, text): text the person typed, kept beside the box when
    a teammate's change to the same answer refuses the save (the box then shows theirs).
    """
    base_key = f"q_base:{team_id}"

    def save(store: Store, actor: Actor) -> None:
        result = editing.edit_list(
            store, actor, team_id, qs.QuestionsPlan, field, upserts=list(upserts),
            deletes=list(deletes), base=st.session_state[base_key], labels=qs.PLAN_LABELS,
            what=what)
        if result.outcome == "conflict" and draft and draft[2]:
            keep_draft(draft[0], result.message, draft[2])
        elif result.outcome in ("conflict", "invalid"):
            st.session_state["flash_error"] = result.message
        if result.saved is not None:
            st.session_state[base_key] = result.saved

    in_callback(save, unsaved=draft[1:] if draft else None)


def _refuse(message: str) -> None:
    st.session_state["flash_error"] = message


# --- which meeting --------------------------------------------------------------------------


def _new_meeting_form(key: str) -> None:
    with st.form(key, clear_on_submit=True):
        title = st.text_input("Meeting name", max_chars=120,
                              placeholder="e.g. Gunshot detection vendor pitches")
        audience = st.selectbox("Who you will ask", list(qs.AUDIENCE_LABELS),
                                format_func=qs.AUDIENCE_LABELS.get, index=1)
        project = st.text_input("Project being pitched", max_chars=200,
                                placeholder="What they want the city to buy or do")
        date = st.date_input("Date of the meeting", value=None, format="YYYY-MM-DD")
        if st.form_submit_button("Create the meeting", type="primary"):
            try:
                meeting = qs.new_meeting(content, title=title, audience=audience,
                                         project=project, date=date)
            except (qs.QuestionTextError, ValidationError) as exc:
                st.error(md(exc if isinstance(exc, qs.QuestionTextError)
                            else editing.plain_validation_message(exc, qs.PLAN_LABELS)))
            else:
                st.session_state[f"q_meeting_pending:{team.id}"] = meeting.id
                edit_rows(qs.QuestionsPlan, team.id, "meetings", upserts=[meeting],
                          what="meeting")
                st.rerun()


def _meeting_picker() -> qs.Meeting | None:
    if not plan.meetings:
        st.info("Start by preparing a meeting: who you will ask, about which project. The "
                "questions written for that audience are chosen for you; change them as you "
                "like.", icon=":material/event:")
        if can_edit:
            _new_meeting_form(f"first_meeting:{team.id}")
        return None
    key = f"q_meeting:{team.id}"
    if pending := st.session_state.pop(f"q_meeting_pending:{team.id}", None):
        st.session_state[key] = pending
    names = {m.id: m.title + (f" ({m.date:%b} {m.date.day})" if m.date else "")
             for m in plan.meetings}
    if st.session_state.get(key) not in names:
        st.session_state[key] = plan.meetings[0].id
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    pick = left.selectbox("Meeting", list(names), format_func=names.get, key=key)
    if can_edit:
        with right.popover("New meeting", icon=":material/add:", width="stretch"):
            _new_meeting_form(f"new_meeting:{team.id}")
    return plan.meeting(pick)


meeting = _meeting_picker()
if meeting is None:
    st.stop()
asked = qs.meeting_questions(plan, meeting, content)
people = plan.respondents_of(meeting.id)
prepare_tab, record_tab, compare_tab = st.tabs(["Prepare", "Record", "Compare"])


# --- prepare --------------------------------------------------------------------------------


def _on_wording(team_id: int, meeting_id: str, question_id: str, key: str) -> None:
    body: qs.QuestionsPlan = st.session_state[f"q_base:{team_id}"].body
    text = st.session_state[key]
    own = body.custom(question_id)
    if own is not None:
        try:
            checked = qs.custom_question(text, own.strong_answer)
        except qs.QuestionTextError as exc:
            _refuse(f"Question not changed. {exc}")
            st.session_state[key] = own.text
            return
        _save_in_callback(team_id, "custom_questions",
                          upserts=[own.model_copy(update={"text": checked.text})],
                          what="question")
        return
    m = body.meeting(meeting_id)
    core = {q.id: q for q in content.questions}.get(question_id)
    if m is None or core is None:
        _refuse("That meeting or question was removed by a teammate; nothing was changed.")
        return
    _save_in_callback(team_id, "meetings", upserts=[qs.reword(m, question_id, text,
                                                              core.question)], what="meeting")


def _listen_for(q: qs.AskedQuestion) -> None:
    if q.core is None:
        if q.strong_answer:
            st.markdown("**A strong answer includes:** " + _plain(q.strong_answer[0]))
        else:
            st.caption("Your own question. Add what a strong answer includes when you write "
                       "the next one.")
        return
    core = q.core
    if q.reworded:
        st.caption(f"Original wording: {core.question}")
    st.markdown(f"**Why it matters.** {core.why_it_matters}")
    if note := core.initiative_notes.get(area):
        st.markdown(f"**For your initiative.** {note}")
    st.markdown("**A strong answer includes:**\n" + "\n".join(f"- {x}" for x in
                                                             core.strong_answer))
    st.markdown("**Weak answers sound like:**\n" + "\n".join(f"- {x}" for x in
                                                            core.weak_answers))
    st.markdown("**Red flags:**\n" + "\n".join(f"- {x}" for x in core.red_flags))
    st.markdown("**Follow-up questions:**\n" + "\n".join(f"- {x}" for x in core.follow_ups))


def _prepare() -> None:
    st.header("Prepare the meeting")
    if can_edit:
        with st.expander("Meeting details", expanded=False):
            with st.form(f"details:{meeting.id}"):
                title = st.text_input("Meeting name", value=meeting.title, max_chars=120)
                audience = st.selectbox(
                    "Who you will ask", list(qs.AUDIENCE_LABELS),
                    index=list(qs.AUDIENCE_LABELS).index(meeting.audience),
                    format_func=qs.AUDIENCE_LABELS.get)
                project = st.text_input("Project being pitched", value=meeting.project,
                                        max_chars=200)
                date = st.date_input("Date of the meeting", value=meeting.date,
                                     format="YYYY-MM-DD")
                if st.form_submit_button("Save details"):
                    if not title.strip():
                        st.error("Give the meeting a name.")
                    else:
                        edit_rows(qs.QuestionsPlan, team.id, "meetings", what="meeting",
                                  upserts=[meeting.model_copy(update={
                                      "title": title.strip(), "audience": audience,
                                      "project": project.strip(), "date": date})])
                        st.rerun()
    st.caption(f"{qs.AUDIENCE_LABELS[meeting.audience]}"
               + (f" · {meeting.date:%B} {meeting.date.day}, {meeting.date.year}"
                  if meeting.date else "")
               + (f" · Project: {_plain(meeting.project)}" if meeting.project else ""))

    card_meeting, card_questions = meeting, asked
    st.download_button(
        "Download the question card (PDF)",
        data=lambda: eq.question_card_pdf(card_meeting, card_questions),
        file_name=f"question-card-{ws.slugify(meeting.title)}.pdf", mime="application/pdf",
        icon=":material/download:", disabled=not asked,
        help="One page to take into the room: the questions in order, in large type, with a "
             "score to circle and space to write.")
    st.subheader("Questions, in the order you will ask them")
    st.caption(f"{len(asked)} of up to {qs.MAX_MEETING_QUESTIONS}, so they fit on one card and "
               "in one hour. Change the wording to fit the meeting; clear a box to go back "
               "to the original.")
    if not asked:
        st.info("No questions chosen yet. Add some below.")
    for q in asked:
        with st.container(border=True):
            key = f"wording:{meeting.id}:{q.id}:{_digest(q.text)}"
            st.text_area(f"Question {q.position}", value=q.text, key=key, height=68,
                         max_chars=300, disabled=not can_edit, on_change=_on_wording,
                         args=(team.id, meeting.id, q.id, key))
            source = ("Your own question" if q.is_custom else
                      f"Question {q.core.number} of the ten"
                      + (", reworded" if q.reworded else ""))
            if can_edit:
                cols = st.columns([3, 1, 1, 1])
                cols[0].caption(source)
                if cols[1].button("Move up", key=f"up:{meeting.id}:{q.id}",
                                  disabled=q.position == 1, width="stretch"):
                    _update_meeting(qs.move_question(meeting, q.id, -1))
                if cols[2].button("Move down", key=f"down:{meeting.id}:{q.id}",
                                  disabled=q.position == len(asked), width="stretch"):
                    _update_meeting(qs.move_question(meeting, q.id, 1))
                if cols[3].button("Remove", key=f"remove:{meeting.id}:{q.id}",
                                  width="stretch"):
                    _update_meeting(qs.remove_question(meeting, q.id))
            else:
                st.caption(source)
            with st.expander("Why it matters and what to listen for"):
                _listen_for(q)

    if can_edit and len(asked) >= qs.MAX_MEETING_QUESTIONS:
        st.info(f"This meeting has the most questions a card can hold "
                f"({qs.MAX_MEETING_QUESTIONS}). Remove one to add another.")
    elif can_edit:
        st.subheader("Add questions")
        chosen = set(meeting.question_ids)
        suggested = set(qs.suggested_question_ids(content, meeting.audience))
        options = [q.id for q in content.questions if q.id not in chosen]
        options += [o.id for o in plan.custom_questions if o.id not in chosen]
        labels = {q.id: f"{q.number}. {q.question}"
                  + ("" if q.id in suggested else " (usually for other audiences)")
                  for q in content.questions}
        labels |= {o.id: f"Your own: {o.text}" for o in plan.custom_questions}
        with st.form(f"add_questions:{meeting.id}", clear_on_submit=True):
            picked = st.multiselect("Questions to add", options, format_func=labels.get,
                                    placeholder="Choose from the ten and your own questions")
            if st.form_submit_button("Add to the meeting"):
                if not picked:
                    st.error("Choose at least one question to add.")
                else:
                    try:
                        _update_meeting(qs.add_questions(meeting, picked))
                    except qs.QuestionTextError as exc:
                        st.error(md(exc))
        with st.form(f"own_question:{meeting.id}", clear_on_submit=True):
            st.markdown("**Add a question of your own**")
            text = st.text_area("Your question", max_chars=300, height=80,
                                placeholder="e.g. Which East Side residents have seen where "
                                            "the sensors would go?")
            strong = st.text_input("What a strong answer includes (optional)", max_chars=600)
            if st.form_submit_button("Add your question"):
                try:
                    own = qs.custom_question(text, strong)
                    updated = qs.add_questions(meeting, [own.id])
                except qs.QuestionTextError as exc:
                    st.error(md(exc))
                else:
                    if edit_rows(qs.QuestionsPlan, team.id, "custom_questions", upserts=[own],
                                 what="question"):
                        _update_meeting(updated)
                    st.rerun()

    if can_edit:
        with st.popover("Delete this meeting", icon=":material/delete:"):
            st.write(f"This deletes the meeting, its {len(people)} respondents and their "
                     "answers. Earlier versions stay in the history.")
            if st.button("Delete the meeting", key=f"delete_meeting:{meeting.id}",
                         type="primary"):
                ids = {r.id for r in people}
                gone = [a.id for a in plan.answers if a.respondent_id in ids]
                ok = (edit_rows(qs.QuestionsPlan, team.id, "answers", deletes=gone,
                                what="answer")
                      and edit_rows(qs.QuestionsPlan, team.id, "respondents",
                                    deletes=list(ids), what="respondent")
                      and edit_rows(qs.QuestionsPlan, team.id, "meetings",
                                    deletes=[meeting.id], what="meeting"))
                if ok:
                    st.session_state.pop(f"q_meeting:{team.id}", None)
                st.rerun()


def _update_meeting(updated: qs.Meeting) -> None:
    edit_rows(qs.QuestionsPlan, team.id, "meetings", upserts=[updated], what="meeting")
    st.rerun()


with prepare_tab:
    _prepare()


# --- record ---------------------------------------------------------------------------------

SCORE_OPTIONS = [-1, 0, 1, 2, 3]  # -1: not asked yet (a radio cannot be cleared otherwise)
SCORE_LABELS = {-1: "Not asked", **{lv.score: f"{lv.score} {lv.label}"
                                    for lv in content.scoring_rubric}}


def _on_answer(team_id: int, respondent_id: str, question_id: str, part: str, key: str,
               listed: tuple[str, ...]) -> None:
    body: qs.QuestionsPlan = st.session_state[f"q_base:{team_id}"].body
    value = st.session_state[key]
    try:
        if part == "new_flag":
            current = qs.answer_with(body, respondent_id, question_id)
            added = qs.add_custom_flag(current, value)
            # Typed a flag the list already has: tick it rather than keep it twice.
            flags, own = qs.split_flags(added.all_flags, listed)
            answer = added.model_copy(update={"flags": flags, "custom_flags": own})
            st.session_state[key] = ""
        elif part == "score":
            answer = qs.answer_with(body, respondent_id, question_id,
                                    score=None if value == -1 else value)
        elif part == "notes":
            answer = qs.answer_with(body, respondent_id, question_id, notes=value.strip())
        else:
            flags, own = qs.split_flags(value, listed)
            answer = qs.answer_with(body, respondent_id, question_id, flags=flags,
                                    custom_flags=own)
    except qs.QuestionTextError as exc:
        _refuse(str(exc))
        return
    except ValidationError as exc:
        _refuse("Not saved: " + editing.plain_validation_message(exc, qs.PLAN_LABELS))
        return
    existing = body.answer(respondent_id, question_id)
    if answer.is_blank:
        if existing is not None:
            _save_in_callback(team_id, "answers", deletes=[answer.id], what="answer")
        return
    draft = None
    if part == "notes":
        who = next((r.name for r in body.respondents if r.id == respondent_id), "")
        draft = (f"ans:{respondent_id}:{question_id}:notes", f"Notes on {who}'s answer",
                 value.strip())
    _save_in_callback(team_id, "answers", upserts=[answer], what="answer", draft=draft)


def _respondent_picker() -> qs.Respondent | None:
    key = f"q_resp:{team.id}:{meeting.id}"
    if pending := st.session_state.pop(f"q_resp_pending:{team.id}", None):
        st.session_state[key] = pending
    names = {r.id: f"{r.name} ({qs.KIND_LABELS[r.kind].lower()})" for r in people}
    if not names:
        return None
    if st.session_state.get(key) not in names:
        st.session_state[key] = people[0].id
    pick = st.selectbox("Whose answers", list(names), format_func=names.get, key=key)
    return next(r for r in people if r.id == pick)


def _add_respondent_form() -> None:
    with st.expander("Add someone you asked", expanded=not people, icon=":material/person_add:"
                     ), st.form(f"add_respondent:{meeting.id}", clear_on_submit=True):
        left, right = st.columns([2, 1])
        name = left.text_input("Name of the company, department or group", max_chars=120)
        kinds = list(qs.KIND_LABELS)
        kind = right.selectbox("Kind", kinds, format_func=qs.KIND_LABELS.get,
                               index=kinds.index(qs.KIND_FOR_AUDIENCE[meeting.audience]))
        if st.form_submit_button("Add respondent"):
            if not name.strip():
                st.error("Type a name, such as the company or the department you asked.")
            elif name.strip().lower() in {r.name.lower() for r in people}:
                st.error(f"{_plain(name.strip())} is already listed for this meeting.")
            else:
                person = qs.Respondent(name=name, kind=kind, meeting_id=meeting.id)
                st.session_state[f"q_resp_pending:{team.id}"] = person.id
                edit_rows(qs.QuestionsPlan, team.id, "respondents", upserts=[person],
                          what="respondent")
                st.rerun()


def _record() -> None:
    st.header("Record the answers")
    if not asked:
        st.info("Choose questions for this meeting first (the Prepare tab).")
        return
    person = _respondent_picker()
    if can_edit:
        _add_respondent_form()
    if person is None:
        st.info("Add the vendor, department or partner you asked, then record what they "
                "said. Each answer is saved as soon as you leave the field.")
        return
    total = next(t for t in qs.compare(plan, meeting.id, content).totals
                 if t.respondent.id == person.id)
    st.caption(total.summary + " Each change is saved at once.")
    for q in asked:
        answer = plan.answer(person.id, q.id) or qs.Answer(respondent_id=person.id,
                                                           question_id=q.id)
        with st.container(border=True):
            st.subheader(f"{q.position}. " + _plain(q.text))
            with st.expander("What to listen for"):
                _listen_for(q)
            stem = f"ans:{person.id}:{q.id}"
            score = -1 if answer.score is None else answer.score
            key = f"{stem}:score:{_digest(score)}"
            st.radio(f"Score for question {q.position}", SCORE_OPTIONS,
                     index=SCORE_OPTIONS.index(score), format_func=SCORE_LABELS.get,
                     horizontal=True, key=key, disabled=not can_edit, on_change=_on_answer,
                     args=(team.id, person.id, q.id, "score", key, q.red_flags))
            key = f"{stem}:notes:{_digest(answer.notes)}"
            st.text_area(f"Notes on question {q.position}", value=answer.notes, key=key,
                         height=90, max_chars=3000, disabled=not can_edit,
                         placeholder="What they said, in their words where you can",
                         on_change=_on_answer,
                         args=(team.id, person.id, q.id, "notes", key, q.red_flags))
            show_draft(f"{stem}:notes", label=f"Your notes on question {q.position}, not saved",
                       help="The box above shows the saved notes. Copy what you need from "
                            "here into it.")
            options = list(dict.fromkeys([*q.red_flags, *answer.all_flags]))
            if options:
                key = f"{stem}:flags:{_digest(answer.all_flags)}"
                st.multiselect(f"Red flags heard (question {q.position})", options,
                               default=answer.all_flags, key=key, disabled=not can_edit,
                               placeholder="Tick what you heard", on_change=_on_answer,
                               args=(team.id, person.id, q.id, "flags", key, q.red_flags))
            if can_edit:
                key = f"{stem}:new_flag"
                st.text_input(f"Another red flag you heard (question {q.position})",
                              key=key, max_chars=300,
                              placeholder="Type it and press Enter to add it",
                              on_change=_on_answer,
                              args=(team.id, person.id, q.id, "new_flag", key, q.red_flags))
    if can_edit:
        with st.popover(f"Remove {_plain(person.name)}", icon=":material/person_remove:"):
            st.write("This removes them from the meeting with all their answers. Earlier "
                     "versions stay in the history.")
            if st.button("Remove", key=f"remove_resp:{person.id}", type="primary"):
                gone = [a.id for a in plan.answers if a.respondent_id == person.id]
                if edit_rows(qs.QuestionsPlan, team.id, "answers", deletes=gone,
                             what="answer"):
                    edit_rows(qs.QuestionsPlan, team.id, "respondents", deletes=[person.id],
                              what="respondent")
                st.rerun()


with record_tab:
    _record()


# --- compare --------------------------------------------------------------------------------

PAGE_SIZE = 10  # respondents per matrix page: wider than this and names stop being readable


def _unique_names(people_: list[qs.Respondent]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for r in people_:
        seen[r.name] = seen.get(r.name, 0) + 1
        out.append(r.name if seen[r.name] == 1 else f"{r.name} ({seen[r.name]})")
    return out


def _compare() -> None:
    st.header("Compare the answers")
    if not people or not asked:
        st.info("Nothing to compare yet. Add respondents and record their answers on the "
                "Record tab.")
        return
    comparison = qs.compare(plan, meeting.id, content)

    st.subheader("Key findings")
    st.markdown("\n".join(f"- {_plain(f)}" for f in qs.key_findings(comparison)))

    st.subheader("Questions by respondent")
    pages = qs.pages_of(comparison.respondents, PAGE_SIZE)
    shown = pages[0]
    if len(pages) > 1:
        labels = [f"Respondents {i * PAGE_SIZE + 1} to {i * PAGE_SIZE + len(p)}"
                  for i, p in enumerate(pages)]
        pick = st.selectbox(f"{len(comparison.respondents)} respondents: show", labels,
                            key=f"q_page:{meeting.id}")
        shown = pages[labels.index(pick)]
    names = _unique_names(shown)
    matrix = comparison.matrix(shown)
    st.dataframe(
        [{"Question": q.short(70), **dict(zip(names, matrix[i], strict=True))}
         for i, q in enumerate(comparison.questions)],
        hide_index=True, width="stretch", height=36 * (len(comparison.questions) + 1) + 3,
        column_config={"Question": st.column_config.TextColumn("Question", pinned=True,
                                                               width="large")})
    st.caption("Each square: the score (0 no answer, 1 weak, 2 adequate, 3 strong) and the "
               "number of red flags heard. A dash means not asked. Scroll sideways for more "
               "respondents.")

    st.subheader("Totals")
    totals = comparison.standings()
    st.dataframe([{"Respondent": t.respondent.name, "Kind": qs.KIND_LABELS[t.respondent.kind],
                   "Points": t.points_text,
                   "Average (0 to 3)": f"{t.average:.1f}" if t.average is not None else "",
                   "Asked": f"{t.asked} of {t.questions}", "Answered": t.answered,
                   "Red flags": t.flags} for t in totals],
                 hide_index=True, width="stretch")

    bars, left_out = qs.chart_totals(comparison, eq.CHART_LIMIT)
    if bars:
        st.subheader("Points by respondent")
        # Plotly reads a few HTML tags (links among them) in labels: names go in as text.
        names = [html.escape(n, quote=False) for n in _unique_names([t.respondent for t in bars])]
        figure = go.Figure([
            go.Bar(name="Points possible", y=names, x=[t.possible for t in bars],
                   orientation="h", marker_color="#DCE5EF",
                   marker_line=dict(color="#1B1F24", width=1)),
            go.Bar(name="Points scored", y=names, x=[t.points for t in bars],
                   orientation="h", marker_color="#0B4F8A", marker_pattern_shape="/",
                   text=[f"{t.points} of {t.possible}" for t in bars],
                   textposition="outside"),
        ])
        figure.update_layout(barmode="group", height=120 + 48 * len(bars),
                             margin=dict(t=10, l=0, r=0, b=0), yaxis_autorange="reversed",
                             legend_orientation="h", xaxis_title="Points")
        st.plotly_chart(figure, width="stretch")
        st.caption("Text version. " + _plain(eq.chart_in_words(comparison).removeprefix(
            "Chart in words: ")))

    st.subheader("What to ask next")
    choices = {"": "Everyone", **{r.id: r.name for r in comparison.respondents}}
    who = st.selectbox("For", list(choices), format_func=choices.get,
                       key=f"q_next_for:{meeting.id}")
    steps = qs.ask_next(comparison, content, limit=8, respondent_id=who or None)
    if not steps:
        st.write("No weak answers or red flags recorded yet.")
    for step in steps:
        with st.container(border=True):
            st.markdown(f"**{_plain(step.respondent.name)}**, question "
                        f"{step.question.position}: {_plain(step.question.text)}")
            st.caption(step.reason + ("." if not step.flags else ": "
                                      + " · ".join(_plain(f) for f in step.flags)))
            st.markdown("Ask next:\n" + "\n".join(f"- {_plain(f)}"
                                                  for f in step.follow_ups[:2]))

    section = eq.QuestionsSection(plan, content)
    st.download_button(
        "Download the comparison (Excel)", data=lambda: eq.comparison_xlsx(section),
        file_name=f"{team.slug}-question-comparison.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table:", on_click="ignore",  # the click needs no rerun of the page
        help="Every meeting's questions, a comparison sheet with live totals, every answer "
             "with its notes, what to ask next and the key findings.")


with compare_tab:
    _compare()


history_panel(qs.QuestionsPlan, team.id, "questions",
              describe=lambda body: f"{len(body.meetings)} meetings, {len(body.respondents)} "
                                    f"respondents, {len(body.answers)} answers")
