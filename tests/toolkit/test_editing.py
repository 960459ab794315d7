from tests.helpers import member
from toolkit import editing
from toolkit import workshop as ws


def _edit(store, team, who, field, value, base):
    return editing.save_field(store, member(team, who), team.id, ws.Initiative, field, value,
                              base=base, labels=ws.FIELD_LABELS)


def test_teammates_editing_different_fields_both_land(store, teams):
    team = teams["riverton"]
    base = store.load(member(team), team.id, ws.Initiative)
    assert _edit(store, team, "Ana", "title", "New title", base).outcome == "saved"
    result = _edit(store, team, "Ben", "goal", "New goal", base)  # Ben started before Ana saved
    assert result.outcome == "saved"
    assert (result.saved.body.title, result.saved.body.goal) == ("New title", "New goal")


def test_teammates_editing_the_same_field_get_a_conflict_not_an_overwrite(store, teams):
    team = teams["riverton"]
    base = store.load(member(team), team.id, ws.Initiative)
    _edit(store, team, "Ana", "title", "Ana's title", base)
    result = _edit(store, team, "Ben", "title", "Ben's title", base)
    assert result.outcome == "conflict" and "Ana" in result.message
    assert store.load(member(team), team.id, ws.Initiative).body.title == "Ana's title"


def test_too_long_text_is_refused_with_the_limit_named(store, teams):
    team = teams["riverton"]
    base = store.load(member(team), team.id, ws.Initiative)
    result = _edit(store, team, "Ana", "title", "x" * 500, base)
    assert result.outcome == "invalid"
    assert result.message == "Initiative title: use 160 characters or fewer."
    assert store.load(member(team), team.id, ws.Initiative).version == base.version


def test_a_negative_population_is_refused_plainly(store, teams):
    team = teams["riverton"]
    base = store.load(member(team), team.id, ws.TeamProfile)
    result = editing.save_field(store, member(team), team.id, ws.TeamProfile, "population", -5,
                                base=base, labels=ws.FIELD_LABELS)
    assert result.outcome == "invalid" and "cannot be below 0" in result.message


def test_saving_the_same_value_again_writes_no_new_version(store, teams):
    team = teams["riverton"]
    base = store.load(member(team), team.id, ws.Initiative)
    assert _edit(store, team, "Ana", "title", base.body.title, base).outcome == "unchanged"
