import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import FACILITATOR, member
from toolkit import peer
from toolkit import workshop as ws
from toolkit.store import AccessDenied, Conflict


@given(st.lists(st.integers(min_value=1, max_value=10_000), min_size=2, max_size=40,
                unique=True), st.integers())
def test_a_random_ring_gives_every_team_one_review_and_nobody_reviews_itself(ids, seed):
    pairs = peer.ring(ids, seed)
    assert sorted(a for a, _ in pairs) == sorted(ids)
    assert sorted(b for _, b in pairs) == sorted(ids)
    assert all(a != b for a, b in pairs)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [([], "at least one pair"), ([(1, 1)], "its own case study"),
     ([(1, 2), (1, 2)], "listed twice"), ([(1, 99)], "belong to this workshop")],
)
def test_chosen_pairs_that_cannot_work_are_refused(pairs, message):
    with pytest.raises(peer.PeerError, match=message):
        peer.check_pairs(pairs, [1, 2, 3])


def test_a_ring_needs_two_teams():
    with pytest.raises(peer.PeerError, match="at least two teams"):
        peer.ring([1])


def _session_actor(store, team):
    from toolkit.store import Session

    return store.actor_for(Session(0, "team", "Ana", team.id, None))


def test_a_team_reads_only_its_assigned_case_study_and_only_while_the_round_is_open(store,
                                                                                      teams):
    r, lk, mv = teams["riverton"], teams["lakeport"], teams["mesa-verde"]
    round_id = store.create_peer_round(FACILITATOR, r.workshop_id, "Round 1", [(r.id, lk.id)])
    actor = _session_actor(store, r)
    assert store.load(actor, lk.id, ws.Initiative).body.title.startswith("Small-business")
    with pytest.raises(AccessDenied):
        store.load(actor, mv.id, ws.Initiative)
    current = store.load(actor, lk.id, ws.Initiative)
    with pytest.raises(AccessDenied):
        store.save(actor, lk.id, current.body, base_version=current.version)
    store.close_peer_round(FACILITATOR, round_id)
    with pytest.raises(AccessDenied):
        store.load(_session_actor(store, r), lk.id, ws.Initiative)


def test_reviews_are_saved_by_the_reviewer_and_takeaways_by_the_reviewed_team(store, teams):
    r, lk = teams["riverton"], teams["lakeport"]
    round_id = store.create_peer_round(FACILITATOR, r.workshop_id, "Round 1", [(r.id, lk.id)])
    with pytest.raises(peer.PeerError, match="at least one part"):
        peer.save_review(store, member(r), round_id, lk.id, strong="", questions=" ",
                         suggestion="")
    peer.save_review(store, member(r), round_id, lk.id, strong="Clear goal",
                     questions="Who owns intake?", suggestion="Test the form with owners")
    with pytest.raises(AccessDenied):
        peer.save_review(store, member(lk), round_id, r.id, strong="x", questions="",
                         suggestion="")
    with pytest.raises(AccessDenied):
        peer.save_takeaway(store, member(r), round_id, r.id, "Not ours")
    peer.save_takeaway(store, member(lk), round_id, r.id, "Test the form with owners first.")
    taken = store.peer_takeaways(member(lk), lk.id)
    assert taken[0]["takeaway"] == "Test the form with owners first."
    store.close_peer_round(FACILITATOR, round_id)
    with pytest.raises(Conflict, match="closed"):
        peer.save_review(store, member(r), round_id, lk.id, strong="late", questions="",
                         suggestion="")


def test_a_new_round_closes_the_open_one(store, teams):
    r, lk = teams["riverton"], teams["lakeport"]
    store.create_peer_round(FACILITATOR, r.workshop_id, "One", [(r.id, lk.id)])
    store.create_peer_round(FACILITATOR, r.workshop_id, "Two", [(lk.id, r.id)])
    statuses = [x["status"] for x in store.peer_rounds(FACILITATOR, r.workshop_id)]
    assert statuses == ["open", "closed"]


def test_only_facilitators_run_rounds_and_the_timer(store, teams):
    r = teams["riverton"]
    with pytest.raises(AccessDenied):
        store.create_peer_round(member(r), r.workshop_id, "x", [])
    with pytest.raises(AccessDenied):
        store.set_timer(member(r), r.workshop_id, "x", None)
