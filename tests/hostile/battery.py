"""The hostile-input battery: bad strings, a team filled with them, and a check for live markup."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import types
import typing
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError

from tests.helpers import FACILITATOR
from toolkit import auth, clinic, followup, guidebook, peer, portable
from toolkit import workshop as ws
from toolkit.store import SYSTEM, Actor, Store

# Every string a person could type, pasted or uploaded that has hurt a web app somewhere.
# The first four are the dangerous ones (script, event handler, javascript: link, remote
# image); they come first so even a short field gets one of them.
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
JS_LINK = "[click](javascript:alert(1))"
REMOTE_IMAGE = "![x](http://203.0.113.9/x.png)"
IFRAME = '<iframe src="http://203.0.113.9/frame"></iframe>'
ANCHOR = '<a href="http://203.0.113.9/a">anchor</a>'
MARKDOWN = "# Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n**bold** _italic_ `code` > quote"
TEMPLATE = "{{7*7}} ${7*7} #{7*7} %s%n %(name)s {0} {}"
CONTROL = "NUL\x00 bell\x07 escape\x1b[31m vertical\x0b form\x0c end"
LONG = ("Long text without a break " * 400)[:10_000]
EMOJI = "Team 👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽 🇺🇸 ❤️‍🔥"
RTL = "ميزانية المدينة 2026: 1,200 دولار — שלום עולם 45% כן"
COMBINING = "Zalgo Z̷̢͎a̶l̵g̴o̸ cafe\u0301 n\u0303 \u202eevil\u202c"
STREAMLIT = ":red[alert] :material/warning: :rainbow[x] $x^2$ www.example.com"
FORMULA = '=HYPERLINK("http://203.0.113.9/","click")'
PLUS = "+1+1"
MINUS = "-2+3"
AT = "@SUM(A1:A2)"

STRINGS: dict[str, str] = {
    "script": SCRIPT, "img": IMG, "js_link": JS_LINK, "remote_image": REMOTE_IMAGE,
    "iframe": IFRAME, "anchor": ANCHOR, "markdown": MARKDOWN, "template": TEMPLATE, "control": CONTROL,
    "long": LONG, "emoji": EMOJI, "rtl": RTL, "combining": COMBINING, "streamlit": STREAMLIT,
    "formula": FORMULA, "plus": PLUS, "minus": MINUS, "at": AT,
}
# The strings that would run, fetch or link if they reached a page as markup.
DANGEROUS = (SCRIPT, IMG, JS_LINK, REMOTE_IMAGE, ANCHOR, IFRAME)
# All of them in one, for fields long enough to hold it.
ALL_DANGEROUS = " ".join(DANGEROUS)
# A file name can hold markup too, but no slash (the importer keeps what follows the last).
BUDGET_FILENAME = f"{IMG} {JS_LINK}.csv"

# Raw pieces that only appear in a page's markdown when a person's text went in unescaped:
# md() puts a backslash before every character that starts markup.
LIVE_NEEDLES = ("<script>", "<img src=x", "<iframe src=", "<a href=", "](javascript:",
                "](http://203.0.113.9", ":red[", ":material/warning:", ":rainbow[", "$x^2$",
                "**bold**", "\n# Heading", "| a | b |")
# A bare address becomes a link by GFM's autolinking even with its punctuation escaped,
# unless md() broke it with a zero-width space after "http:" and after "www".
LIVE_PATTERNS = (re.compile(r"http\\?://203\\?\.0"), re.compile(r"www\\?\.example"))


def live_markup(text: str) -> list[str]:
    """The needles found unescaped in markdown sent to the browser."""
    found = [n for n in LIVE_NEEDLES if n in text]
    if text.startswith("# Heading"):
        found.append("# Heading")
    return found + [p.pattern for p in LIVE_PATTERNS if p.search(text)]


# --- filling documents -----------------------------------------------------------------------

# Fields that hold references or codes rather than text a person types: planting text there
# breaks links between rows (the page would show "unknown milestone"), which is not what this
# battery is about. Codes a person can only pick from a list are Literals and skip themselves.
_REFERENCE_FIELDS = {"id"}


def _max_length(model: type[BaseModel], name: str) -> int | None:
    for meta in model.model_fields[name].metadata:
        if isinstance(meta, annotated_types.MaxLen):
            return meta.max_length
    return None


def _is_plain_str(annotation: Any) -> bool:
    """`str` or `str | None`, not a Literal or an enum of codes."""
    if annotation is str:
        return True
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return str in typing.get_args(annotation)
    return False


def _is_str_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list and typing.get_args(annotation) == (str,)


class Planter:
    """Hands out the hostile strings and records where each went.

    A field with room gets all the dangerous strings followed by the next of the others; a
    short field gets, in turn, the next dangerous string or the next other one. So whatever
    the order of fields, every field that can hold one meets a dangerous string.
    """

    def __init__(self, strings: list[str] | None = None):
        strings = strings or list(STRINGS.values())
        self._dangerous = itertools.cycle([t for t in strings if t in DANGEROUS])
        self._others = itertools.cycle([t for t in strings if t not in DANGEROUS])
        self.planted: list[tuple[str, str]] = []  # (path, text)
        self.refused: list[str] = []  # paths whose validators refused every hostile string
        self._count = 0

    def text_for(self, limit: int | None) -> str:
        self._count += 1
        if limit is None or limit > len(ALL_DANGEROUS) + 40:
            text = f"{ALL_DANGEROUS} {next(self._others)}"
        else:
            text = next(self._dangerous if self._count % 2 else self._others)
        return text[:limit] if limit else text

    def fill(self, obj: BaseModel, path: str = "") -> BaseModel:
        """A copy of `obj` with every free-text field (nested, in lists too) made hostile.

        A field whose validator refuses a string keeps its value and is listed in `refused`.
        """
        model = type(obj)
        values = dict(obj)
        for name, info in model.model_fields.items():
            value = values[name]
            where = f"{path}.{name}" if path else name
            if isinstance(value, BaseModel):
                values[name] = self.fill(value, where)
            elif isinstance(value, list) and value and all(isinstance(v, BaseModel)
                                                           for v in value):
                values[name] = [self.fill(v, f"{where}[{i}]") for i, v in enumerate(value)]
            elif name in _REFERENCE_FIELDS or name.endswith(("_id", "_ids")):
                continue
            elif _is_plain_str(info.annotation):
                values[name] = self._try(model, values, name, where,
                                         self.text_for)
            elif _is_str_list(info.annotation) and value:
                count = len(value)
                values[name] = self._try(
                    model, values, name, where,
                    lambda lim: [self.text_for(lim) for _ in range(count)],  # noqa: B023
                    item_limit=True)
        return model.model_validate(values)

    def _try(self, model, values, name, where, make, *, item_limit=False):
        limit = None if item_limit else _max_length(model, name)
        for _ in range(len(STRINGS)):
            candidate = make(limit)
            try:
                model.model_validate({**values, name: candidate})
            except ValidationError:
                continue
            for text in candidate if isinstance(candidate, list) else [candidate]:
                self.planted.append((where, text))
            return candidate
        self.refused.append(where)
        return values[name]


def hostile_documents(store: Store) -> dict[str, ws.Document]:
    """Every kind of team document, each the fullest demo one, with every text field hostile.

    Kinds no demo team has filled are built from their defaults (their lists stay empty).
    """
    fullest: dict[str, BaseModel] = {}
    for team in store.list_teams(SYSTEM):
        for kind, model in all_document_models().items():
            body = store.load(SYSTEM, team.id, model).body
            if len(body.model_dump_json()) > len(fullest.get(kind, model()).model_dump_json()):
                fullest[kind] = body
    planter = Planter()
    out = {}
    for kind, model in all_document_models().items():
        out[kind] = planter.fill(fullest.get(kind, model()), kind)
    out["profile"] = ws.TeamProfile(city=IMG, state="<b>OH</b>", mayor=SCRIPT,
                                    population=120_000)
    out["initiative"] = ws.Initiative(area="safety", title=f"{REMOTE_IMAGE} {JS_LINK}",
                                      goal=f"{ALL_DANGEROUS}\n{MARKDOWN}",
                                      problem=f"{RTL}\n{EMOJI}\n{CONTROL}\n{LONG}"[:4000])
    hostile_documents.planter = planter  # for tests that report what was planted
    return out


def all_document_models() -> dict[str, type[ws.Document]]:
    """Every Document subclass with a KIND, found generically, so a new tool is covered."""
    import toolkit.followup  # noqa: F401  (not in portable's list; its check-ins are text too)

    return portable.document_models()


def plant_team(store: Store, key: bytes, slug: str = "riverton") -> dict[str, Any]:
    """Fill one demo team, and the workshop around it, with hostile text everywhere a person
    can type: documents, budget lines, feedback and replies, guidebook entries, check-ins,
    peer reviews, the agenda, a webinar and an invitation. Returns what a test needs."""
    team = store.find_team(SYSTEM, slug)
    documents = hostile_documents(store)
    for document in documents.values():
        current = store.load(SYSTEM, team.id, type(document))
        store.save(SYSTEM, team.id, document, base_version=current.version)
    _plant_budget(store, team.id)
    member = auth.sign_in_team(store, key, auth.unseal(key, team.join_sealed),
                               f"{SCRIPT[:30]} 👩‍👩‍👧 مرحبا")
    member_actor = Actor(role="team", name=member.session.name, team_id=team.id)
    for tool in ("home", "budget", "action_plan", "engagement", "general"):
        fid = clinic.give_feedback(store, FACILITATOR, team.id, tool=tool, kind="must_fix",
                                   text=f"{ALL_DANGEROUS}\n{MARKDOWN}", item=REMOTE_IMAGE)
        clinic.reply(store, member_actor, fid, f"{JS_LINK} {RTL} {EMOJI}")
    clinic.rate(store, FACILITATOR, team.id, "budget", "partly", f"{IMG} {STREAMLIT}")
    entry = guidebook.contribute(store, member_actor, {
        "kind": "organization", "name": f"{SCRIPT} {EMOJI}"[:160],
        "organization": IMG, "city": REMOTE_IMAGE[:60], "state": "OH",
        "topics": [guidebook.load_topics()[0].id], "summary": f"{ALL_DANGEROUS} {RTL}",
        "help_with": f"{JS_LINK} {MARKDOWN}", "contact": f"{IMG} {FORMULA}",
        "website": "https://example.org/<script>", "source": STREAMLIT[:100],
        "verify_note": TEMPLATE})
    store.guide_save(member_actor, team.id, entry.id, note=f"{REMOTE_IMAGE} {SCRIPT}")
    workshop = store.get_workshop(SYSTEM, team.workshop_id)
    others = [t for t in store.list_teams(SYSTEM, workshop.id) if t.id != team.id]
    round_id = store.create_peer_round(FACILITATOR, workshop.id, f"Round {IMG}"[:120],
                                       [(team.id, others[0].id), (others[0].id, team.id)])
    peer.save_review(store, Actor(role="team", name="Peer", team_id=others[0].id), round_id,
                     team.id, strong=ALL_DANGEROUS, questions=MARKDOWN, suggestion=RTL)
    peer.save_review(store, member_actor, round_id, others[0].id, strong=JS_LINK,
                     questions=REMOTE_IMAGE, suggestion=EMOJI)
    peer.save_takeaway(store, member_actor, round_id, others[0].id, f"{SCRIPT} {STREAMLIT}")
    from toolkit import agenda

    today = dt.date.today()
    agenda.save(store, FACILITATOR, workshop.id, [
        {"day": today, "starts": dt.time(9), "ends": dt.time(10), "title": IMG,
         "tool": "budget", "notes": f"{REMOTE_IMAGE} {JS_LINK}"}])
    store.create_webinar(FACILITATOR, workshop.id, title=f"{SCRIPT} {EMOJI}"[:120],
                         starts_at=dt.datetime.combine(today + dt.timedelta(days=14),
                                                       dt.time(15), tzinfo=dt.UTC),
                         timezone="America/Chicago", duration_minutes=60,
                         agenda=f"{ALL_DANGEROUS}\n{MARKDOWN}", join_link="")
    auth.create_invite(store, FACILITATOR, key, role="guest", name=f"{IMG}"[:60])
    store.set_timer(FACILITATOR, workshop.id, f"{REMOTE_IMAGE} {SCRIPT}"[:80],
                    dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    return {"team": team, "member": member, "documents": documents}


def _plant_budget(store: Store, team_id: int) -> None:
    from toolkit import budget as bg
    from toolkit import budget_import as bi

    rows = ["Department,Program,Category,Fund,Amount"]
    for i, text in enumerate([SCRIPT, IMG, JS_LINK, REMOTE_IMAGE, FORMULA, PLUS, AT, RTL,
                              EMOJI, COMBINING, STREAMLIT, TEMPLATE, ANCHOR]):
        quoted = '"' + text.replace('"', '""') + '"'
        rows.append(f"{quoted},{quoted},Personnel,General,{1000 * (i + 1)}")
    data = ("\n".join(rows) + "\n").encode()
    table = bi.inspect_file(data, BUDGET_FILENAME)
    result = bi.import_lines(table, table.mapping)
    bg.save_import(store, SYSTEM, team_id, result)


__all__ = ["ALL_DANGEROUS", "STRINGS", "Planter", "followup", "hostile_documents",
           "live_markup", "plant_team"]


# --- what a page sent to the browser ----------------------------------------------------------

# Fields the frontend shows as plain text, never as markdown: a person's text may be raw there.
_PLAIN_FIELDS = {"value", "default", "placeholder", "id", "form_id", "code_text", "data",
                 "raw_value", "raw_values", "string_value", "string_array_value",
                 "formatted_value", "icon"}
_PLAIN_BY_TYPE = {("text", "body"), ("selectbox", "options"), ("multiselect", "options"),
                  ("json", "body"), ("text_area", "value"), ("text_input", "value"),
                  ("arrow_data_frame", "styler"), ("dataframe", "columns"),
                  ("arrow_data_frame", "columns"), ("plotly_chart", "figure"),
                  ("plotly_chart", "spec"), ("code", "code_text")}


def _strings(message, kind: str, path: str):
    for field, value in message.ListFields():
        where = f"{path}.{field.name}"
        if field.name in _PLAIN_FIELDS or (kind, field.name) in _PLAIN_BY_TYPE:
            continue
        repeated = hasattr(value, "__len__") and not isinstance(value, str | bytes) and not hasattr(
            value, "ListFields")
        values = value if repeated else [value]
        for v in values:
            if isinstance(v, str):
                yield where, v
            elif hasattr(v, "ListFields"):
                yield from _strings(v, kind, where)


def markdown_strings(at) -> list[tuple[str, str]]:
    """Every string the page sent that the browser renders as markdown (or HTML), with where."""
    found: list[tuple[str, str]] = []

    def walk(node, path):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is not None and hasattr(proto, "ListFields"):
            found.extend(_strings(proto, kind, f"{path}/{kind}"))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for i, child in sorted(children.items()):
                walk(child, f"{path}/{i}")

    walk(at._tree, "")
    return found


def live_on_page(at) -> list[str]:
    """Where a page sent a person's text to the browser as live markup."""
    return [f"{where}: {live_markup(text)} in {text[:120]!r}"
            for where, text in markdown_strings(at) if live_markup(text)]


# Plotly reads a little HTML in its labels (<a href>, <b>, <br>): a person's text must reach a
# chart with < > & escaped, or a name like ANCHOR becomes a link inside the chart.
CHART_NEEDLES = ("<a href=", "<script>", "<img src=x", "<iframe src=")


def live_in_charts(at) -> list[str]:
    """Raw markup from a person's text inside the page's plotly figures."""
    import json

    found = []

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    def walk(node):
        if getattr(node, "type", "") == "plotly_chart":
            spec = json.loads(node.proto.spec or "{}")
            found.extend(f"{n} in {s[:80]!r}" for s in strings(spec) for n in CHART_NEEDLES
                         if n in s)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return found
