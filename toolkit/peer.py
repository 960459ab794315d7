"""Peer feedback rounds: who reviews whom, the structured review, and the takeaway."""

from __future__ import annotations

import random
from dataclasses import dataclass

from toolkit.store import Actor, Store

TEXT_MAX = 1500
STEPS = {"read": ("Read the case study", 10), "write": ("Write your feedback", 10),
         "discuss": ("Talk it through together", 15)}  # label, default minutes


class PeerError(ValueError):
    """A pairing or a review that cannot be saved; the message says what to change."""


def ring(team_ids: list[int], seed: int | None = None) -> list[tuple[int, int]]:
    """Shuffle the teams into a ring: each reviews the next, so every team gives one review
    and gets one, and no team reviews itself."""
    if len(team_ids) < 2:
        raise PeerError("A peer round needs at least two teams.")
    order = list(team_ids)
    random.Random(seed).shuffle(order)
    return [(order[i], order[(i + 1) % len(order)]) for i in range(len(order))]


def check_pairs(pairs: list[tuple[int, int]], team_ids: list[int]) -> list[tuple[int, int]]:
    """Chosen pairs are kept if no team reviews itself and each pair appears once."""
    if not pairs:
        raise PeerError("Choose at least one pair of teams.")
    if any(a == b for a, b in pairs):
        raise PeerError("A team cannot review its own case study.")
    if len(set(pairs)) != len(pairs):
        raise PeerError("The same pair is listed twice.")
    unknown = {t for pair in pairs for t in pair} - set(team_ids)
    if unknown:
        raise PeerError("Every team in a pair must belong to this workshop.")
    return pairs


def _clean(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise PeerError(f"Keep '{what}' to {TEXT_MAX} characters (it has {len(text)}).")
    return text


def save_review(store: Store, actor: Actor, round_id: int, reviewed_team_id: int, *,
                strong: str, questions: str, suggestion: str) -> None:
    fields = {"what is strong": strong, "questions": questions, "one suggestion": suggestion}
    cleaned = {k: _clean(v, k) for k, v in fields.items()}
    if not any(cleaned.values()):
        raise PeerError("Write at least one part of the review before saving.")
    store.save_peer_review(actor, round_id, reviewed_team_id, strong=cleaned["what is strong"],
                           questions=cleaned["questions"],
                           suggestion=cleaned["one suggestion"])


def save_takeaway(store: Store, actor: Actor, round_id: int, reviewer_team_id: int,
                  takeaway: str) -> None:
    store.save_peer_takeaway(actor, round_id, reviewer_team_id, _clean(takeaway, "takeaway"))


@dataclass(frozen=True)
class RoundView:
    round: dict
    giving: list[dict]  # reviews this team writes
    receiving: list[dict]  # reviews written about this team


def current_round(store: Store, actor: Actor, workshop_id: int) -> RoundView | None:
    rounds = [r for r in store.peer_rounds(actor, workshop_id) if r["status"] == "open"]
    if not rounds:
        return None
    reviews = store.peer_reviews(actor, rounds[0]["id"])
    return RoundView(rounds[0], [r for r in reviews if r["reviewer_team_id"] == actor.team_id],
                     [r for r in reviews if r["reviewed_team_id"] == actor.team_id])
