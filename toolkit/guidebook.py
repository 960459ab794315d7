"""The Resource Guidebook: topic tags, directory entries and the seed entries in content/."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, field_validator, model_validator

from toolkit import content
from toolkit.content import ContentError, ContentFile, Strict

# --- content ----------------------------------------------------------------------------

TOPICS_FILE = "topics.yaml"
GUIDEBOOK_FILE = "guidebook.yaml"

EntryKind = Literal["organization", "program", "case_study", "person"]
# The seed lists no individual people; "person" exists for entries that teams contribute.
SEED_KINDS: tuple[str, ...] = ("organization", "program", "case_study")

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TOPIC_ID = r"^[a-z]+(?:_[a-z]+)*$"


def https_url(value: str) -> str:
    """Accept only a plain https address; a link is rendered to users, so no other scheme."""
    if any(ch.isspace() for ch in value) or any(ord(ch) < 32 for ch in value):
        raise ValueError("a web address may not contain spaces or control characters")
    parts = urlsplit(value)
    if parts.scheme != "https":
        raise ValueError("a web address must start with https://")
    if not parts.hostname or "." not in parts.hostname:
        raise ValueError("a web address needs a host name such as example.org")
    if parts.username or parts.password:
        raise ValueError("a web address may not carry a user name or password")
    return value


HttpsUrl = Annotated[str, Field(max_length=300), AfterValidator(https_url)]


class Topic(Strict):
    id: str = Field(pattern=TOPIC_ID)
    label: str = Field(min_length=2, max_length=60)
    description: str = Field(min_length=10, max_length=200)


class TopicsFile(ContentFile):
    topics: list[Topic] = Field(min_length=1)

    @field_validator("topics")
    @classmethod
    def _unique_ids(cls, topics: list[Topic]) -> list[Topic]:
        ids = [t.id for t in topics]
        if len(set(ids)) != len(ids):
            raise ValueError("topic ids must be unique")
        return topics


class Entry(Strict):
    """One listing in the guidebook: who or what it is, and what a city team can ask of it."""

    id: str = Field(pattern=SLUG, max_length=80)
    kind: EntryKind
    name: str = Field(min_length=2, max_length=160)
    organization: str | None = Field(default=None, max_length=160)
    city: str | None = Field(default=None, max_length=60)
    state: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    topics: list[str] = Field(min_length=1, max_length=6)
    summary: str = Field(min_length=20, max_length=600)
    help_with: str = Field(min_length=20, max_length=600)
    website: HttpsUrl
    source: str = Field(min_length=3, max_length=100)
    last_verified: dt.date
    verify_note: str | None = Field(default=None, max_length=400)

    @field_validator("topics")
    @classmethod
    def _no_repeated_topic(cls, topics: list[str]) -> list[str]:
        if len(set(topics)) != len(topics):
            raise ValueError("a topic is listed twice")
        return topics

    @model_validator(mode="after")
    def _city_and_state_together(self) -> Entry:
        if (self.city is None) != (self.state is None):
            raise ValueError("give both city and state, or neither")
        return self


class GuidebookFile(ContentFile):
    entries: list[Entry] = Field(min_length=1)

    @field_validator("entries")
    @classmethod
    def _unique_ids(cls, entries: list[Entry]) -> list[Entry]:
        seen: set[str] = set()
        for entry in entries:
            if entry.id in seen:
                raise ValueError(f"entry id {entry.id!r} is used twice")
            seen.add(entry.id)
        return entries


def load_topics() -> list[Topic]:
    return content.load(TOPICS_FILE, TopicsFile).topics


def unknown_topics(guidebook: GuidebookFile, topics: list[Topic]) -> list[str]:
    """Where an entry names a topic that topics.yaml does not define, as "entries[i].topics"."""
    known = {t.id for t in topics}
    return [
        f"entries[{i}].topics: unknown topic {topic!r}"
        for i, entry in enumerate(guidebook.entries)
        for topic in entry.topics
        if topic not in known
    ]


def load_seed_entries() -> list[Entry]:
    """The seed entries, checked against the topic list; a stray tag is a ContentError."""
    guidebook = content.load(GUIDEBOOK_FILE, GuidebookFile)
    problems = unknown_topics(guidebook, load_topics())
    if problems:
        raise ContentError(f"{content.content_dir() / GUIDEBOOK_FILE}: {'; '.join(problems)}")
    return guidebook.entries
