import pytest

from tests.helpers import FACILITATOR, GUEST, member
from toolkit import auth, clinic
from toolkit import workshop as ws
from toolkit.store import AccessDenied


def test_an_expert_guest_gives_feedback_but_cannot_change_a_teams_work(store, teams):
    team = teams["riverton"]
    clinic.give_feedback(store, GUEST, team.id, tool="budget", kind="question",
                         text="Where does the overtime go today?", item="Move 1")
    assert store.feedback(member(team), team.id)[0]["author_role"] == "guest"
    current = store.load(GUEST, team.id, ws.Initiative)
    with pytest.raises(AccessDenied):
        store.save(GUEST, team.id, current.body, base_version=current.version)


def test_team_members_cannot_give_clinic_feedback_or_ratings(store, teams):
    ana = member(teams["riverton"])
    with pytest.raises(AccessDenied):
        clinic.give_feedback(store, ana, teams["riverton"].id, tool="budget", kind="comment",
                             text="Looks great")
    with pytest.raises(AccessDenied):
        clinic.rate(store, ana, teams["riverton"].id, "budget", "met", "")


def test_the_team_replies_and_resolves_and_another_team_sees_nothing(store, teams):
    team = teams["riverton"]
    fid = clinic.give_feedback(store, FACILITATOR, team.id, tool="home", kind="must_fix",
                               text="Name who is accountable.")
    ana = member(team)
    clinic.reply(store, ana, fid, "The deputy mayor for public safety.")
    store.set_feedback_status(ana, fid, "resolved")
    item = store.feedback(ana, team.id)[0]
    assert item["status"] == "resolved" and item["resolved_by"] == "Ana"
    assert item["replies"][0]["text"] == "The deputy mayor for public safety."
    outsider = member(teams["lakeport"], "Lee")
    for call in (lambda: store.feedback(outsider, team.id),
                 lambda: store.reply_feedback(outsider, fid, "hi"),
                 lambda: store.set_feedback_status(outsider, fid, "open"),
                 lambda: store.clinic_ratings(outsider, team.id)):
        with pytest.raises(AccessDenied):
            call()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"tool": "budget", "kind": "comment", "text": "  "}, "Write the feedback first"),
     ({"tool": "spaceship", "kind": "comment", "text": "x"}, "Choose which part"),
     ({"tool": "budget", "kind": "praise", "text": "x"}, "comment, question or must fix"),
     ({"tool": "budget", "kind": "comment", "text": "x" * 2001}, "2000 characters")],
)
def test_bad_feedback_gets_a_plain_message(store, teams, kwargs, message):
    with pytest.raises(clinic.FeedbackError, match=message):
        clinic.give_feedback(store, FACILITATOR, teams["riverton"].id, **kwargs)


def test_a_rating_per_part_is_replaced_not_duplicated(store, teams):
    team_id = teams["lakeport"].id
    clinic.rate(store, FACILITATOR, team_id, "budget", "partly", "Gap in year 3.")
    clinic.rate(store, GUEST, team_id, "budget", "met", "Closed by the state funds.")
    ratings = store.clinic_ratings(FACILITATOR, team_id)
    assert list(ratings) == ["budget"] and ratings["budget"]["rating"] == "met"


def test_an_invitation_signs_a_guest_in_and_a_withdrawn_one_does_not(store, key, demo):
    code = auth.create_invite(store, FACILITATOR, key, role="guest", name="Dr. Rivera")
    signed = auth.sign_in_with_code(store, key, code.lower(), "Dr. Rivera")
    assert signed.session.role == "guest" and signed.session.team_id is None
    invite = store.invites(FACILITATOR)[0]
    store.revoke_invite(FACILITATOR, invite["id"])
    with pytest.raises(auth.SignInError, match="does not match any team"):
        auth.sign_in_with_code(store, key, code, "Dr. Rivera")


def test_team_codes_still_work_through_the_same_form(store, key, demo, teams):
    signed = auth.sign_in_with_code(store, key, demo["lakeport"], "Lee")
    assert signed.session.team_id == teams["lakeport"].id


def test_only_facilitators_invite(store, key, teams):
    with pytest.raises(AccessDenied):
        auth.create_invite(store, member(teams["riverton"]), key, role="facilitator",
                           name="Me")
