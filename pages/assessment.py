"""Self-assessment: where the city stands on managing technology, and the next steps."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import streamlit as st

from pages.common import (
    ctx,
    edit_rows,
    in_callback,
    load_for_editing,
    md,
    page_title,
    require_team,
)
from toolkit import assessment as am

c = ctx()
team = require_team()
can_edit = c.actor.can_write(team.id)
content = am.load_assessment()
saved = load_for_editing(am.AssessmentDoc, team.id)
doc: am.AssessmentDoc = saved.body
labels = {lab.level: lab.label for lab in content.level_labels}

page_title("City technology self-assessment", team, feedback_on="assessment")
st.write(content.intro)

ROUND_LABELS = ["Before the Institute", "End of the workshop", "Three-month follow-up",
                "Six-month follow-up", "One-year follow-up"]


def _start_round(label: str) -> None:
    edit_rows(am.AssessmentDoc, team.id, "rounds", upserts=[am.Round(label=label)],
              what="round")
    st.session_state[f"assess_round:{team.id}"] = None  # show the new, latest round


if not doc.rounds:
    st.info("Nobody has started the assessment yet. It takes about 30 minutes as a team; "
            "you can stop and come back at any time.")
    if can_edit and st.button("Start the assessment", type="primary"):
        _start_round(ROUND_LABELS[0])
        st.rerun()
    st.stop()

rounds = {r.id: r for r in doc.rounds}
key = f"assess_round:{team.id}"
if st.session_state.get(key) not in rounds:
    st.session_state[key] = doc.rounds[-1].id
left, right = st.columns([3, 2])
round_id = left.selectbox("Round", list(rounds), key=key,
                          format_func=lambda rid: f"{rounds[rid].label} "
                          f"(started {rounds[rid].started_on:%b %d, %Y})")
rnd = rounds[round_id]
if can_edit:
    with right.popover("Take it again", icon=":material/replay:", width="stretch"):
        st.write("Start a new round, for example at the end of the workshop or at a follow-up. "
                 "Earlier rounds are kept so you can see the change.")
        taken = {r.label for r in doc.rounds}
        label = st.selectbox("Name of the round",
                             [x for x in ROUND_LABELS if x not in taken] or ["Another round"])
        if st.button("Start the new round"):
            _start_round(label)
            st.rerun()

scores = am.score_round(rnd, content)
answer_tab, results_tab, history_tab, cohort_tab = st.tabs(
    ["Answer", "Results", "Change over time", "Cohort"])


# --- answering ------------------------------------------------------------------------------

def _widget(statement_id: str, part: str) -> str:
    return f"assess:{round_id}:{statement_id}:{part}"


def _sync_widgets() -> None:
    """After any save (ours or a teammate's), show what is stored."""
    marker = f"assess_synced:{team.id}:{round_id}"
    if st.session_state.get(marker) == saved.version:
        return
    for area in content.areas:
        for s in area.statements:
            answer = rnd.answers.get(s.id, am.Answer())
            st.session_state[_widget(s.id, "level")] = (
                "not_sure" if answer.not_sure else answer.level)
            st.session_state[_widget(s.id, "note")] = answer.note
            st.session_state[_widget(s.id, "link")] = answer.evidence_link
    st.session_state[marker] = saved.version


def _save_answer(statement_id: str) -> None:
    choice = st.session_state[_widget(statement_id, "level")]
    note = st.session_state[_widget(statement_id, "note")]
    link = st.session_state[_widget(statement_id, "link")].strip()
    try:
        answer = am.Answer(level=None if choice in (None, "not_sure") else choice,
                           not_sure=choice == "not_sure", note=note, evidence_link=link)
    except ValueError as exc:
        message = str(exc).split("\n")[-1] if "https" not in str(exc) else (
            "The evidence link must start with https:// (or leave it blank). Not saved.")
        st.session_state["assess_error"] = message
        return

    def save(store, actor) -> None:
        outcome, latest, message = am.set_answer(
            store, actor, team.id, round_id, statement_id, answer,
            base=st.session_state[f"base:{am.AssessmentDoc.KIND}:{team.id}"])
        st.session_state[f"base:{am.AssessmentDoc.KIND}:{team.id}"] = latest
        if message:
            st.session_state["assess_error"] = message

    in_callback(save)


_sync_widgets()
with answer_tab:
    answered = sum(s.answered for s in scores)
    not_sure = sum(s.not_sure for s in scores)
    total = sum(len(a.statements) for a in content.areas)
    st.progress(min(1.0, (answered + not_sure) / total),
                text=f"{answered + not_sure} of {total} statements answered "
                     f"({not_sure} not sure). Each answer is saved when you choose it.")
    if message := st.session_state.pop("assess_error", None):
        st.error(md(message))
    st.caption("Pick what your city does now, not what is planned. If two levels fit, pick "
               "the lower one. " + content.not_sure)
    for area in content.areas:
        area_score = next(s for s in scores if s.area_id == area.id)
        done = area_score.answered + area_score.not_sure
        # A key keeps the area open while its answered count (in the label) changes.
        with st.expander(f"{area.name} ({done} of {len(area.statements)} answered)",
                         key=f"assess_area:{round_id}:{area.id}"):
            st.write(area.description)
            for s in area.statements:
                st.markdown(f"**{s.text}**")
                st.caption(f"Where to look: {s.evidence}")
                st.radio(
                    s.text, [1, 2, 3, 4, "not_sure"], key=_widget(s.id, "level"),
                    index=None, label_visibility="collapsed", disabled=not can_edit,
                    format_func=lambda v, s=s: "Not sure" if v == "not_sure"
                    else f"{v}. {labels[v]}: {s.levels[v]}",
                    on_change=_save_answer, args=(s.id,))
                n1, n2 = st.columns(2)
                n1.text_input("Note (optional)", key=_widget(s.id, "note"),
                              max_chars=am.NOTE_MAX, disabled=not can_edit,
                              on_change=_save_answer, args=(s.id,),
                              placeholder="Who would know? What did you find?")
                n2.text_input("Evidence link (optional)", key=_widget(s.id, "link"),
                              max_chars=500, disabled=not can_edit,
                              on_change=_save_answer, args=(s.id,),
                              placeholder="https://…")
            st.caption("Sources: " + "; ".join(area.cites))


# --- results ------------------------------------------------------------------------------

def _radar(series: list[tuple[str, list[float | None], str, str]]) -> go.Figure:
    names = [a.name for a in content.areas]
    figure = go.Figure()
    for label, values, color, dash in series:
        points = [v if v is not None else 0 for v in values]
        figure.add_trace(go.Scatterpolar(r=points + points[:1], theta=names + names[:1],
                                         name=html.escape(label, quote=False),
                                         line=dict(color=color, dash=dash, width=3),
                                         fill="toself" if dash == "solid" else None,
                                         opacity=0.85))
    figure.update_layout(polar=dict(radialaxis=dict(range=[0, 4], tickvals=[1, 2, 3, 4])),
                         height=520, margin=dict(t=30, b=30, l=60, r=60),
                         legend_orientation="h")
    return figure


previous = doc.rounds[doc.rounds.index(rnd) - 1] if doc.rounds.index(rnd) > 0 else None
with results_tab:
    total_score = am.overall(scores)
    if total_score is None:
        st.info("Answer at least one statement to see results.")
    else:
        m1, m2, m3 = st.columns(3)
        m1.metric("Overall (1 to 4)", f"{total_score:.2f}")
        m2.metric("Answered", sum(s.answered for s in scores))
        m3.metric("Not sure", sum(s.not_sure for s in scores),
                  help="Kept apart from the four levels: it does not raise or lower a score.")
        series = [(rnd.label, [s.score for s in scores], "#0B4F8A", "solid")]
        if previous:
            series.append((previous.label,
                           [s.score for s in am.score_round(previous, content)], "#5A6470",
                           "dash"))
        st.plotly_chart(_radar(series), width="stretch")
        st.caption("Chart in words: " + "; ".join(
            f"{s.name} {s.score:.1f}" if s.score is not None else f"{s.name} not answered"
            for s in scores) + ". Areas with no answer are drawn at 0.")
        st.dataframe([{"Area": s.name, "Score": s.score, "Answered": s.answered,
                       "Not sure": s.not_sure, "Not answered": s.unanswered} for s in scores],
                     hide_index=True, width="stretch")
        st.header("Next steps for the three weakest areas")
        for step in am.weakest(scores, content):
            st.subheader(f"{step.area.name} ({step.score:.1f})")
            for action in step.actions:
                st.markdown(f"- {action.text}")
            if step.question_titles:
                st.markdown("**Ask these tech questions:** "
                            + " · ".join(step.question_titles.values()))
            st.caption("Look in the Resource guidebook under: "
                       + ", ".join(t.replace("_", " ") for t in step.guidebook_topics))


# --- history and cohort -----------------------------------------------------------------------

with history_tab:
    if len(doc.rounds) < 2:
        st.info("Take the assessment again (Take it again, above) to see the change per area.")
    else:
        past = am.history(doc, content)
        rows = []
        for area in content.areas:
            row = {"Area": area.name}
            for r, by_area in past:
                row[r.label] = by_area[area.id]
            first, last = past[0][1][area.id], past[-1][1][area.id]
            row["Change"] = (f"{last - first:+.2f}" if first is not None and last is not None
                             else "")
            rows.append(row)
        st.dataframe(rows, hide_index=True, width="stretch")

with cohort_tab:
    all_teams = c.store.list_teams(c.actor, team.workshop_id) if c.is_facilitator else []
    if c.is_facilitator:
        by_team = am.latest_scores_by_team(c.store, c.actor, [t.id for t in all_teams])
        names = {t.id: t.city or t.slug for t in all_teams}
        st.write(f"{len(by_team)} of {len(all_teams)} teams have answered. Facilitators see "
                 "each city; teams see only the cohort median, and only when at least "
                 f"{am.COHORT_MINIMUM} teams have answered an area.")
        if by_team:
            st.dataframe([{"City": names[tid], **{s.name: s.score for s in team_scores}}
                          for tid, team_scores in by_team.items()],
                         hide_index=True, width="stretch")
    else:
        view = am.cohort_view(c.store, c.actor, team.workshop_id)
        shown = {a: m for a, m in view.medians.items() if m is not None}
        if not shown:
            st.info(f"The cohort median appears once at least {am.COHORT_MINIMUM} teams have "
                    "answered. No other city's answers are ever shown to your team.")
        else:
            st.dataframe([{"Area": s.name, "Your score": s.score,
                           "Cohort median": view.medians.get(s.area_id),
                           "Teams counted": view.teams_counted.get(s.area_id, 0)}
                          for s in scores], hide_index=True, width="stretch")
