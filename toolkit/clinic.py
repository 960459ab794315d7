"""Clinic review: feedback on a team's case study, ratings per tool, and the team's replies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit import content
from toolkit import workshop as ws
from toolkit.content import ContentFile, Strict
from toolkit.store import Actor, Store

KINDS = {"comment": "Comment", "question": "Question", "must_fix": "Must fix"}
RATINGS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}
TEXT_MAX = 2000
ITEM_MAX = 160
SUMMARY_MAX = 1500


class FeedbackError(ValueError):
    """Feedback that cannot be saved; the message says what to change."""


def areas() -> dict[str, str]:
    """What feedback can be about: the home page, the self-assessment and the five tools."""
    return {"home": "Priority initiative", "assessment": "Self-assessment",
            **{t.id: t.name for t in ws.tools()}, "general": "The whole case study"}


def _clean(text: str, limit: int, what: str, *, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise FeedbackError(f"Write the {what} first.")
    if len(text) > limit:
        raise FeedbackError(f"Keep the {what} to {limit} characters (it has {len(text)}).")
    return text


def give_feedback(store: Store, actor: Actor, team_id: int, *, tool: str, kind: str,
                  text: str, item: str = "") -> int:
    if tool not in areas():
        raise FeedbackError("Choose which part of the case study the feedback is about.")
    if kind not in KINDS:
        raise FeedbackError("Choose comment, question or must fix.")
    return store.add_feedback(actor, team_id, tool=tool, kind=kind,
                              text=_clean(text, TEXT_MAX, "feedback"),
                              item=_clean(item, ITEM_MAX, "item it is about", required=False))


def reply(store: Store, actor: Actor, feedback_id: int, text: str) -> None:
    store.reply_feedback(actor, feedback_id, _clean(text, TEXT_MAX, "reply"))


def rate(store: Store, actor: Actor, team_id: int, tool: str, rating: str, summary: str
         ) -> None:
    if tool not in areas() or rating not in RATINGS:
        raise FeedbackError("Choose a part of the case study and a rating.")
    store.set_clinic_rating(actor, team_id, tool, rating,
                            _clean(summary, SUMMARY_MAX, "summary", required=False))


@dataclass(frozen=True)
class ClinicSummary:
    ratings: dict[str, dict[str, Any]]
    items: list[dict[str, Any]]

    @property
    def started(self) -> bool:
        return bool(self.ratings or self.items)

    @property
    def open_items(self) -> int:
        return sum(1 for i in self.items if i["status"] == "open")


def summary(store: Store, actor: Actor, team_id: int) -> ClinicSummary:
    return ClinicSummary(store.clinic_ratings(actor, team_id), store.feedback(actor, team_id))


class DemoRating(Strict):
    tool: str
    rating: str
    summary: str


class DemoFeedback(Strict):
    tool: str
    item: str = ""
    kind: str
    text: str
    reply: str = ""
    resolved: bool = False


class DemoClinicFile(ContentFile):
    team: str
    author: str
    ratings: list[DemoRating]
    feedback: list[DemoFeedback]


def load_demo(store: Store, team_id: int, slug: str) -> None:
    """The demo facilitator's ratings and feedback for the demo team, with its reply."""
    demo = content.load("demo/clinic.yaml", DemoClinicFile)
    if demo.team != slug:
        return
    facilitator = Actor(role="facilitator", name=demo.author)
    for r in demo.ratings:
        rate(store, facilitator, team_id, r.tool, r.rating, r.summary)
    team = Actor(role="team", name="Riverton team", team_id=team_id)
    for f in demo.feedback:
        fid = give_feedback(store, facilitator, team_id, tool=f.tool, kind=f.kind, text=f.text,
                            item=f.item)
        if f.reply:
            reply(store, team, fid, f.reply)
        if f.resolved:
            store.set_feedback_status(team, fid, "resolved")
