"""The Resource Guidebook: topic tags, directory entries and the seed entries in content/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from toolkit import content, csvtext
from toolkit import workshop as ws
from toolkit.assessment import load_assessment
from toolkit.content import ContentError, ContentFile, Strict
from toolkit.store import (
    GUIDE_NOTE_LIMIT,
    SYSTEM,
    Actor,
    DuplicateEntry,
    GuideEntry,
    Store,
    guide_name_key,
    guide_website_key,
)

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


# --- what a person types: one entry -------------------------------------------------------

KIND_LABELS = {
    "organization": "Organization",
    "program": "Program or tool",
    "case_study": "Case study",
    "person": "Person (expert or city leader)",
}
STATUS_LABELS = {
    "approved": "Listed",
    "pending": "Waiting for a facilitator's review",
    "rejected": "Not accepted",
    "withdrawn": "Withdrawn",
}
FIELD_LABELS = {
    "kind": "Kind",
    "name": "Name",
    "title": "Job title",
    "organization": "Organization",
    "city": "City",
    "state": "State",
    "topics": "Topics",
    "summary": "Who they are",
    "help_with": "What they can help with",
    "contact": "How to reach them",
    "website": "Website",
    "source": "Source or who vouched for them",
    "last_verified": "Last verified",
    "verify_note": "Note on what to check",
    "consent_given": "They agreed to be listed",
}
MAX_TOPICS = 6
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value: object) -> object:
    # Tags and markup are kept exactly as typed (pages and the PDF show them as text);
    # only invisible control characters go, because they break CSV, vCard and PDF output.
    return _CONTROL_CHARS.sub("", value).strip() if isinstance(value, str) else value


class GuideEntryInput(BaseModel):
    """One entry as a team or facilitator types it, checked before the store sees it."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", frozen=True)

    kind: EntryKind
    name: str = Field(min_length=2, max_length=160)
    title: str = Field(default="", max_length=120)
    organization: str = Field(default="", max_length=160)
    city: str = Field(default="", max_length=60)
    state: str = Field(default="", max_length=20)
    topics: list[str] = Field(min_length=1, max_length=MAX_TOPICS)
    summary: str = Field(default="", max_length=600)
    help_with: str = Field(min_length=10, max_length=600)
    contact: str = Field(default="", max_length=300)
    website: str = Field(default="", max_length=300)
    source: str = Field(default="", max_length=100)
    last_verified: dt.date | None = None
    verify_note: str = Field(default="", max_length=400)
    consent_given: bool = False

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        return _clean(value)

    @field_validator("state")
    @classmethod
    def _two_letters(cls, value: str) -> str:
        value = value.upper()
        if value and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError("use the two-letter state code, such as MN")
        return value

    @field_validator("website")
    @classmethod
    def _https_only(cls, value: str) -> str:
        if not value:
            return value
        if not value.lower().startswith(("https://", "http://")) and ":" not in value.split(
                "/")[0] and "." in value:
            value = "https://" + value  # "example.org" is what people type
        try:
            return https_url(value)
        except ValueError as exc:
            raise ValueError(f"{exc} (for example https://example.org)") from None

    @field_validator("topics")
    @classmethod
    def _known_topics(cls, topics: list[str]) -> list[str]:
        known = {t.id for t in load_topics()}
        unknown = [t for t in topics if t not in known]
        if unknown:
            raise ValueError(f"unknown topic {', '.join(unknown)}; choose from the topic list")
        return list(dict.fromkeys(topics))

    @field_validator("last_verified")
    @classmethod
    def _not_in_the_future(cls, value: dt.date | None) -> dt.date | None:
        if value and value > dt.date.today() + dt.timedelta(days=1):
            raise ValueError("the date it was last checked cannot be in the future")
        return value

    @model_validator(mode="after")
    def _reachable_and_consented(self) -> GuideEntryInput:
        if self.kind == "person" and not self.consent_given:
            raise ValueError("a person can only be listed after they agree to it; tick the box "
                             "that says they agreed")
        if not self.website and not self.contact:
            raise ValueError("give a website or a way to reach them")
        if self.city and not self.state:
            raise ValueError("give the state as well as the city")
        return self


def store_fields(entry: GuideEntryInput) -> dict:
    """The fields the store keeps, with topic labels added so searching "contracts" finds
    entries tagged procurement ("Procurement and contracts")."""
    labels = {t.id: t.label for t in load_topics()}
    words = [f"{t.replace('_', ' ')} {labels.get(t, '')}" for t in entry.topics]
    return {**entry.model_dump(), "topics_text": " ".join(words)}


def input_from_entry(entry: GuideEntry) -> dict:
    """An entry's editable fields, ready to fill an edit form or a CSV row."""
    data = entry.fields()
    data["topics"] = list(data["topics"])
    data["contact"] = data["contact"] or ""
    return data


def plain_errors(exc: ValidationError) -> str:
    """Validation errors in words a person can act on (field labels, no pydantic jargon)."""
    parts = []
    for err in exc.errors(include_url=False):
        names = [str(p) for p in err["loc"] if isinstance(p, str)]
        label = FIELD_LABELS.get(names[-1], names[-1]) if names else ""
        ctx = err.get("ctx") or {}
        kind = err["type"]
        message = err["msg"].removeprefix("Value error, ")
        if kind == "string_too_long":
            message = f"use {ctx.get('max_length')} characters or fewer"
        elif kind == "string_too_short":
            message = (f"use at least {ctx.get('min_length')} characters"
                       if ctx.get("min_length", 0) > 1 else "fill this in")
        elif kind == "too_short":
            message = "choose at least one"
        elif kind == "too_long":
            message = f"choose at most {ctx.get('max_length')}"
        elif kind == "literal_error":
            message = "choose one of " + ", ".join(KIND_LABELS.values())
        elif kind.startswith("date"):
            message = "use a date like 2026-11-22"
        elif kind == "missing":
            message = "fill this in"
        text = f"{label}: {message}" if label else message[:1].upper() + message[1:]
        parts.append(text.rstrip(".") + ".")
    return " ".join(parts)


def validate(data: dict) -> GuideEntryInput:
    """GuideEntryInput from form or file data; raises ValueError with a plain message."""
    try:
        return GuideEntryInput.model_validate(data)
    except ValidationError as exc:
        raise ValueError(plain_errors(exc)) from None


def contribute(store: Store, actor: Actor, data: dict) -> GuideEntry:
    return store.guide_add(actor, store_fields(validate(data)))


def edit(store: Store, actor: Actor, entry_id: int, data: dict, *, base_version: int
         ) -> GuideEntry:
    return store.guide_update(actor, entry_id, store_fields(validate(data)),
                              base_version=base_version)


# --- the seed -------------------------------------------------------------------------------


def seed_fields(entry: Entry) -> dict:
    data = GuideEntryInput(
        kind=entry.kind, name=entry.name, organization=entry.organization or "",
        city=entry.city or "", state=entry.state or "", topics=entry.topics,
        summary=entry.summary, help_with=entry.help_with, website=entry.website,
        source=entry.source, last_verified=entry.last_verified,
        verify_note=entry.verify_note or "",
    )
    return {**store_fields(data), "content_id": entry.id}


def seed_guidebook(store: Store, actor: Actor = SYSTEM) -> tuple[int, int]:
    """Load content/guidebook.yaml into the directory; (added, updated). Safe to run often."""
    return store.guide_seed(actor, [seed_fields(e) for e in load_seed_entries()])


# --- CSV import and export -------------------------------------------------------------------

CSV_COLUMNS = ["kind", "name", "title", "organization", "city", "state", "topics", "summary",
               "help_with", "contact", "website", "source", "last_verified", "verify_note",
               "consent_given"]
REQUIRED_COLUMNS = ["kind", "name", "topics", "help_with"]
MAX_IMPORT_ROWS = 5_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Header spellings people use, folded to lower case with single spaces.
COLUMN_ALIASES = {
    "type": "kind", "what they can help with": "help_with", "help with": "help_with",
    "can help with": "help_with", "how to reach them": "contact", "how to reach": "contact",
    "source or who vouched for them": "source", "vouched by": "source", "job title": "title",
    "who they are": "summary", "they agreed to be listed": "consent_given", "consent": "consent_given",
    "note on what to check": "verify_note", "url": "website", "topic": "topics",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_YES = {"yes", "y", "true", "1", "x", "agreed"}
_NO = {"", "no", "n", "false", "0"}


class CsvImportError(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""


class NotACsvError(CsvImportError):
    pass


class MissingColumnsError(CsvImportError):
    def __init__(self, missing: list[str], filename: str = "The file"):
        self.missing = missing
        super().__init__(
            f"{csvtext.quoted(filename)} is missing these columns: " + ", ".join(missing) + ". The first row must "
            "name the columns; download the export to see the layout.")


class TooManyRowsError(CsvImportError):
    def __init__(self, rows: int, limit: int = MAX_IMPORT_ROWS, filename: str = "The file"):
        self.rows, self.limit = rows, limit
        super().__init__(f"{csvtext.quoted(filename)} has {rows:,} entries; the limit is {limit:,} in one import. "
                         "Split it into smaller files.")


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    message: str


@dataclass
class ImportReport:
    entries: list[tuple[int, GuideEntryInput]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    added: int = 0

    @property
    def ready(self) -> int:
        return len(self.entries)


def _safe_cell(value: object) -> str:
    # A cell starting with = + - @ would run as a formula in Excel; a leading apostrophe
    # keeps it text, and import_csv takes the apostrophe off again.
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unsafe_cell(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in _FORMULA_START and text[1:2] else text


def export_csv(entries: list[GuideEntry]) -> str:
    """The entries as CSV with CSV_COLUMNS; topics are ids joined by "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        data = input_from_entry(entry)
        data["topics"] = "; ".join(data["topics"])
        data["last_verified"] = data["last_verified"].isoformat() if data["last_verified"] else ""
        data["consent_given"] = "yes" if data["consent_given"] else "no"
        writer.writerow([_safe_cell(data[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def all_entries(store: Store, actor: Actor, *, statuses: tuple[str, ...] = ("approved",)
                ) -> list[GuideEntry]:
    """Every entry the actor may see with these statuses, by name (for the CSV export)."""
    out: list[GuideEntry] = []
    while True:
        page = store.guide_search(actor, statuses=statuses, limit=500, offset=len(out))
        out += page.entries
        if not page.entries or len(out) >= page.total:
            return out


def _decode(data: str | bytes, filename: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return csvtext.decode(data, filename, max_bytes=MAX_IMPORT_BYTES)
    except csvtext.NotCsvText as exc:
        raise NotACsvError(str(exc)) from None


def _column(header: str) -> str:
    folded = " ".join(header.strip().strip("\ufeff").casefold().replace("_", " ").split())
    folded = COLUMN_ALIASES.get(folded, folded)
    return folded.replace(" ", "_")


def _topic_ids(text: str) -> list[str]:
    by_label = {t.label.casefold(): t.id for t in load_topics()}
    by_id = {t.id for t in load_topics()}
    out = []
    for part in re.split(r"[;,|]", text):
        part = part.strip()
        if not part:
            continue
        key = part.casefold().replace(" ", "_")
        out.append(key if key in by_id else by_label.get(part.casefold(), part))
    return out


def _kind(text: str) -> str:
    folded = text.strip().casefold().replace(" ", "_")
    for kind, label in KIND_LABELS.items():
        if folded in (kind, label.casefold().replace(" ", "_")):
            return kind
    return {"program_or_tool": "program", "tool": "program", "org": "organization",
            "expert": "person", "city_leader": "person"}.get(folded, folded)


def import_csv(text: str | bytes, filename: str = "The file") -> ImportReport:
    """Read a guidebook CSV: entries ready to add, and each row's problem with its number.

    Raises NotACsvError, MissingColumnsError or TooManyRowsError when the file as a whole
    cannot be used. Two rows for the same entry: the second is reported as a duplicate.
    Duplicates of entries already in the guidebook are found by `add_imported`.
    """
    body = _decode(text, filename)
    if not body.strip():
        raise NotACsvError(f"{csvtext.quoted(filename)} is empty. Export the guidebook "
                           "to see the layout.")
    try:
        dialect = csv.Sniffer().sniff(body[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = csvtext.rows(body, filename, dialect)
    except csvtext.NotCsvText as exc:
        raise NotACsvError(str(exc)) from None
    header = [_column(h) for h in rows[0]]
    data_rows = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise MissingColumnsError(missing, filename)
    if len(data_rows) > MAX_IMPORT_ROWS:
        raise TooManyRowsError(len(data_rows), filename=filename)
    report = ImportReport(ignored_columns=[rows[0][i] for i, h in enumerate(header)
                                           if h not in CSV_COLUMNS])
    seen: dict[str, int] = {}
    for number, row in data_rows:
        cells = {h: _unsafe_cell(row[i].strip()) if i < len(row) else ""
                 for i, h in enumerate(header) if h in CSV_COLUMNS}
        consent = cells.get("consent_given", "").casefold()
        if consent not in _YES | _NO:
            report.problems.append(RowProblem(number, "They agreed to be listed: write yes "
                                                      "or no."))
            continue
        data = {**cells, "kind": _kind(cells.get("kind", "")),
                "topics": _topic_ids(cells.get("topics", "")),
                "consent_given": consent in _YES,
                "last_verified": cells.get("last_verified") or None}
        try:
            entry = validate(data)
        except ValueError as exc:
            report.problems.append(RowProblem(number, str(exc)))
            continue
        keys = [entry_key(entry.name, entry.organization)]
        if entry.website and entry.kind != "person":
            keys.append("site:" + website_key(entry.website))
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            report.duplicates.append(RowProblem(
                number, f"Repeats row {first} ({entry.name}); only the first is added."))
            continue
        for k in keys:
            seen[k] = number
        report.entries.append((number, entry))
    return report


def check_imported(store: Store, actor: Actor, report: ImportReport) -> ImportReport:
    """Move entries already in the guidebook from `entries` to `duplicates`, before adding."""
    reasons = store.guide_duplicates(actor, [store_fields(e) for _, e in report.entries])
    report.duplicates += [RowProblem(number, why)
                          for (number, _), why in zip(report.entries, reasons, strict=True) if why]
    report.duplicates.sort(key=lambda p: p.row)
    report.entries = [item for item, why in zip(report.entries, reasons, strict=True) if not why]
    return report


def add_imported(store: Store, actor: Actor, report: ImportReport) -> ImportReport:
    """Add the report's entries in one transaction; entries already listed are reported as
    duplicates (with the existing entry named) and left out."""
    results = store.guide_import(actor, [store_fields(e) for _, e in report.entries])
    added = []
    for (number, entry), (new_id, why) in zip(report.entries, results, strict=True):
        if new_id is None:
            report.duplicates.append(RowProblem(number, why))
        else:
            added.append((number, entry))
    report.duplicates.sort(key=lambda p: p.row)
    report.added = len(added)
    report.entries = added
    return report


def entry_key(name: str, organization: str = "") -> str:
    """The key two entries share when they are the same (the store refuses the second)."""
    return guide_name_key(name, organization)


def website_key(url: str) -> str:
    return guide_website_key(url)


# --- vCard 4.0 (RFC 6350) ---------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\(?\d[\d ().-]{6,}\d")


def vcard_text(value: str) -> str:
    """Escape a text value: backslash, comma, semicolon and newline (RFC 6350 3.4)."""
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold at 75 octets with CRLF and one space, never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def to_vcard(entry: GuideEntry) -> str:
    """One entry as a vCard 4.0 contact card, for a phone or e-mail address book."""
    labels = {t.id: t.label for t in load_topics()}
    is_person = entry.kind == "person"
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"KIND:{'individual' if is_person else 'org'}",
             f"FN:{vcard_text(entry.name)}"]
    if is_person:
        lines.append("N:" + ";".join([vcard_text(entry.name), "", "", "", ""]))
        if entry.organization:
            lines.append(f"ORG:{vcard_text(entry.organization)}")
        if entry.title:
            lines.append(f"TITLE:{vcard_text(entry.title)}")
    else:
        lines.append(f"ORG:{vcard_text(entry.organization or entry.name)}")
    if entry.city or entry.state:
        lines.append("ADR;TYPE=work:" + ";".join(
            ["", "", "", vcard_text(entry.city), vcard_text(entry.state), "", ""]))
    contact = entry.contact or ""
    for email in dict.fromkeys(_EMAIL.findall(contact)):
        lines.append(f"EMAIL;TYPE=work:{vcard_text(email)}")
    for phone in dict.fromkeys(_PHONE.findall(_EMAIL.sub(" ", contact))):
        lines.append(f"TEL;VALUE=text;TYPE=work:{vcard_text(phone.strip())}")
    if entry.website:
        lines.append(f"URL:{entry.website}")
    if entry.topics:
        lines.append("CATEGORIES:" + ",".join(vcard_text(labels.get(t, t))
                                               for t in entry.topics))
    note = [f"Can help with: {entry.help_with}"]
    if contact:
        note.append(f"How to reach them: {contact}")
    if entry.source:
        note.append(f"Source: {entry.source}")
    if entry.last_verified:
        note.append(f"Last verified {entry.last_verified.isoformat()}. Verify before you rely "
                    "on it.")
    if entry.verify_note:
        note.append(entry.verify_note)
    lines.append(f"NOTE:{vcard_text(chr(10).join(note))}")
    lines.append(f"REV:{entry.updated_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}")
    lines.append(f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'isc-guidebook:{entry.id}')}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def vcard_filename(entry: GuideEntry) -> str:
    return f"{ws.slugify(entry.name)}.vcf"


# --- suggestions for gaps in a team's plan ---------------------------------------------------

# Which topics help each tool when a team has put little into it. Ids only (the words are in
# topics.yaml); when content/tools.yaml gains a guidebook_topics list, read it from there.
TOOL_TOPICS: dict[str, tuple[str, ...]] = {
    "budget": ("budgeting",),
    "action_plan": ("performance", "partnerships", "workforce"),
    "questions": ("procurement", "ai", "cybersecurity"),
    "engagement": ("engagement", "digital_inclusion"),
}
LITTLE_CONTENT = 3  # fewer filled-in values than this and a tool counts as barely started
LOW_LEVEL = 2.0  # an assessment area averaging below this is a gap (levels run 1 to 4)


@dataclass(frozen=True)
class Gap:
    topics: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Suggestion:
    topic: str
    label: str
    reason: str
    entries: list[GuideEntry]


def filled_values(body: object) -> int:
    """How many values a person filled in, however deep the document nests them."""
    if isinstance(body, dict):
        return sum(filled_values(v) for k, v in body.items()
                   if k not in ("id", "mappings", "version"))
    if isinstance(body, list):
        return sum(filled_values(v) for v in body)
    if isinstance(body, bool) or body is None:
        return 0
    if isinstance(body, str):
        return int(bool(body.strip()))
    return int(body != 0) if isinstance(body, int | float) else 1


def plan_gaps(bodies: dict, area_levels: dict[str, float] | None = None) -> list[Gap]:
    """Where a team's plan is thin, each with the topics that would help and why.

    `bodies` is Store.document_bodies; `area_levels` (assessment area id -> average level)
    comes from the self-assessment once a team has filled it in.
    """
    gaps: list[Gap] = []
    area = (bodies.get("initiative") or {}).get("area")
    known = {t.id for t in load_topics()}
    if area in known:
        gaps.append(Gap((area,), f"Your initiative is about {ws.area(area).short.lower()}."))
    names = {t.id: t.name for t in ws.tools()}
    for tool_id, topics in TOOL_TOPICS.items():
        if filled_values(bodies.get(tool_id) or {}) < LITTLE_CONTENT:
            gaps.append(Gap(topics, f"Your {names.get(tool_id, tool_id).lower()} has little "
                                    "in it yet."))
    if area_levels:
        for item in load_assessment().areas:
            level = area_levels.get(item.id)
            if level is not None and level < LOW_LEVEL:
                gaps.append(Gap(tuple(item.guidebook_topics),
                                f"Your self-assessment rates {item.name.lower()} low."))
    return gaps


def suggest(topics_from_gaps: list[Gap] | list[str]) -> list[str]:
    """Topic ids to suggest, most pressing first, each once."""
    ordered: list[str] = []
    for item in topics_from_gaps:
        ordered += list(item.topics) if isinstance(item, Gap) else [item]
    known = {t.id for t in load_topics()}
    return [t for t in dict.fromkeys(ordered) if t in known]


def assessment_levels(store: Store, actor: Actor, team_id: int) -> dict[str, float]:
    """Area id -> score of the team's latest self-assessment round (answered areas only)."""
    from toolkit import assessment as am  # assessment is a sibling tool; import when needed

    doc = store.load(actor, team_id, am.AssessmentDoc).body
    if doc.latest is None:
        return {}
    return {s.area_id: s.score for s in am.score_round(doc.latest, am.load_assessment())
            if s.score is not None}


def suggestions(store: Store, actor: Actor, team_id: int, *, per_topic: int = 3,
                max_topics: int = 5, area_levels: dict[str, float] | None = None
                ) -> list[Suggestion]:
    """Listed entries on the topics where the team's plan is thin, leaving out those the team
    already saved. Low areas of the team's latest self-assessment count as thin."""
    if area_levels is None:
        area_levels = assessment_levels(store, actor, team_id)
    gaps = plan_gaps(store.document_bodies(actor, team_id), area_levels)
    saved = {s.entry_id for s in store.guide_saved(actor, team_id)}
    labels = {t.id: t.label for t in load_topics()}
    out, shown = [], set(saved)
    for topic in suggest(gaps)[:max_topics]:
        # An entry that names the topic first is about it; one that names it last only
        # touches on it.
        found = store.guide_search(actor, topic=topic, statuses=("approved",), topic_first=True,
                                   limit=per_topic + len(shown))
        picks = [e for e in found.entries if e.id not in shown][:per_topic]
        if not picks:
            continue
        shown.update(e.id for e in picks)
        reason = next(g.reason for g in gaps if topic in g.topics)
        out.append(Suggestion(topic, labels[topic], reason, picks))
    return out


# --- the demo -------------------------------------------------------------------------------


class DemoSaved(Strict):
    entry: str = Field(pattern=SLUG)  # a seed entry's id in guidebook.yaml
    note: str = Field(min_length=10, max_length=GUIDE_NOTE_LIMIT)
    saved_by: str = Field(min_length=2, max_length=80)


class DemoContribution(Strict):
    contributed_by: str = Field(min_length=2, max_length=80)
    entry: GuideEntryInput


class DemoGuidebook(ContentFile):
    team: str = Field(pattern=SLUG)
    saved: list[DemoSaved] = Field(min_length=1)
    contributed: list[DemoContribution] = Field(default_factory=list)


DEMO_FILE = "demo/guidebook.yaml"


def demo_document(slug: str) -> DemoGuidebook | None:
    """The demo team's guidebook use (saved entries and a contribution); None for others."""
    demo = content.load(DEMO_FILE, DemoGuidebook)
    return demo if demo.team == slug else None


def load_demo(store: Store, team_id: int) -> int:
    """Fill in the demo team's "who we will call" list and its pending contribution.

    Seeds the guidebook first (idempotent) and can run again without adding anything twice.
    Returns how many entries the team's list holds.
    """
    team = store.get_team(SYSTEM, team_id)
    demo = demo_document(team.slug)
    if demo is None:
        return 0
    seed_guidebook(store)
    by_content = {e.content_id: e for e in store.guide_search(SYSTEM, limit=500).entries
                  if e.content_id}
    for item in demo.saved:
        if item.entry not in by_content:
            raise ContentError(f"{content.content_dir() / DEMO_FILE}: saved entry "
                               f"{item.entry!r} is not in {GUIDEBOOK_FILE}")
        store.guide_save(Actor("team", item.saved_by, team_id), team_id,
                         by_content[item.entry].id, item.note)
    for item in demo.contributed:
        try:
            store.guide_add(Actor("team", item.contributed_by, team_id),
                            store_fields(item.entry))
        except DuplicateEntry:
            pass  # added on an earlier run
    return len(store.guide_saved(SYSTEM, team_id))
