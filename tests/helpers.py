"""Actors and small helpers the tests share."""

from toolkit.store import Actor


def member(team, name="Ana") -> Actor:
    return Actor(role="team", name=name, team_id=team.id)


FACILITATOR = Actor(role="facilitator", name="Fran")
GUEST = Actor(role="guest", name="Expert guest")
