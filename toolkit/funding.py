"""The financing plan's content: new-funding sources, cost categories and risky-budget-line flags."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from toolkit import content
from toolkit.content import ContentError, ContentFile, Strict

FUNDING_FILE = "funding.yaml"
BUDGET_FLAGS_FILE = "budget_flags.yaml"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Items = Annotated[list[Text], Field(min_length=1)]
CostKind = Literal["one_time", "recurring"]
Origin = Literal["outside", "city"]
BudgetField = Literal["department", "category", "fund"]
FlagGroup = Literal["mandated", "personnel_heavy"]
BUDGET_FIELDS: tuple[BudgetField, ...] = ("department", "category", "fund")


def _no_repeats(values: list, what: str = "listed more than once") -> list:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"{what}: {', '.join(repeated)}")
    return values


# --- funding.yaml ------------------------------------------------------------------------


class Example(Strict):
    """A real program family or kind of organization, never a promise that money is there."""

    name: Text
    verify_note: Text


class FundingSource(Strict):
    """One category of money a team can look for, with what it is good for and what to watch."""

    id: Slug
    name: Text
    origin: Origin
    description: Text
    typically_funds: Items
    match_requirements: Text
    timeline: Text
    good_for_areas: Annotated[list[Slug], Field(min_length=1)]
    watch_outs: Items
    examples: Annotated[list[Example], Field(min_length=1)]

    @field_validator("good_for_areas")
    @classmethod
    def _unique_areas(cls, values: list[str]) -> list[str]:
        return _no_repeats(values)


class CostCategory(Strict):
    """A line of a five-year total-cost-of-ownership plan."""

    id: Slug
    name: Text
    kind: CostKind
    description: Text
    often_missed: Text


class FundingCatalog(ContentFile):
    """content/funding.yaml: where new money can come from, and what the initiative will cost."""

    intro: Text
    verify_note: Text
    sources: Annotated[list[FundingSource], Field(min_length=1)]
    cost_intro: Text
    cost_categories: Annotated[list[CostCategory], Field(min_length=2)]

    @field_validator("sources")
    @classmethod
    def _unique_source_ids(cls, sources: list[FundingSource]) -> list[FundingSource]:
        _no_repeats([s.id for s in sources], "source ids listed more than once")
        return sources

    @field_validator("cost_categories")
    @classmethod
    def _both_kinds_of_cost(cls, categories: list[CostCategory]) -> list[CostCategory]:
        _no_repeats([c.id for c in categories], "cost category ids listed more than once")
        missing = {"one_time", "recurring"} - {c.kind for c in categories}
        if missing:
            raise ValueError(f"no cost category of kind {', '.join(sorted(missing))}")
        return categories

    def source(self, source_id: str) -> FundingSource:
        for item in self.sources:
            if item.id == source_id:
                return item
        raise KeyError(source_id)

    def cost_category(self, category_id: str) -> CostCategory:
        for item in self.cost_categories:
            if item.id == category_id:
                return item
        raise KeyError(category_id)

    def sources_for_area(self, area_id: str) -> list[FundingSource]:
        return [s for s in self.sources if area_id in s.good_for_areas]


def unknown_areas(catalog: FundingCatalog, area_ids: set[str]) -> list[str]:
    """Every good_for_areas entry that is not an area in areas.yaml, by file and field."""
    return [
        f"{FUNDING_FILE}: sources[{si}].good_for_areas: {area!r} is not an area in areas.yaml"
        for si, source in enumerate(catalog.sources)
        for area in source.good_for_areas
        if area not in area_ids
    ]


def load_funding_catalog() -> FundingCatalog:
    """The validated funding catalog, with its links to areas.yaml checked too."""
    # Imported here: toolkit.workshop pulls in the store, which this module does not need.
    from toolkit.workshop import areas

    catalog = content.load(FUNDING_FILE, FundingCatalog)
    problems = unknown_areas(catalog, {a.id for a in areas()})
    if problems:
        raise ContentError(f"{content.content_dir()}: " + "; ".join(problems))
    return catalog


# --- budget_flags.yaml -------------------------------------------------------------------


def _check_pattern(pattern: str) -> str:
    if pattern != pattern.lower():
        # Names are lowercased before matching, so an upper-case letter could never match.
        raise ValueError(f"pattern {pattern!r} must be lowercase")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({exc})") from None
    if compiled.search(""):
        raise ValueError(f"pattern {pattern!r} matches an empty name, so it would flag every line")
    return pattern


Pattern = Annotated[str, StringConstraints(min_length=1)]


class FlagRule(Strict):
    """One kind of risky line and the name patterns that find it."""

    id: Slug
    label: Text
    explanation: Text
    match: Annotated[list[Pattern], Field(min_length=1)]
    fields: Annotated[list[BudgetField], Field(min_length=1)] = list(BUDGET_FIELDS)

    @field_validator("match")
    @classmethod
    def _valid_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            _check_pattern(pattern)
        return _no_repeats(patterns)

    @field_validator("fields")
    @classmethod
    def _unique_fields(cls, fields: list[str]) -> list[str]:
        return _no_repeats(fields)


class BudgetFlagsFile(ContentFile):
    """content/budget_flags.yaml: rules for lines that are risky to move money out of."""

    intro: Text
    mandated: Annotated[list[FlagRule], Field(min_length=1)]
    personnel_heavy: Annotated[list[FlagRule], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> BudgetFlagsFile:
        _no_repeats(
            [r.id for r in self.mandated + self.personnel_heavy], "rule ids listed more than once"
        )
        return self

    def rules(self) -> list[tuple[FlagGroup, FlagRule]]:
        return [("mandated", r) for r in self.mandated] + [
            ("personnel_heavy", r) for r in self.personnel_heavy
        ]


class Flag(Strict):
    """Why one budget line is risky to reallocate: the rule, and the name that tripped it."""

    id: str
    group: FlagGroup
    label: str
    explanation: str
    field: BudgetField
    matched: str


def load_budget_flags() -> BudgetFlagsFile:
    return content.load(BUDGET_FLAGS_FILE, BudgetFlagsFile)


_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalize(name: str) -> str:
    """How a name is compared: lowercase, straight quotes, single spaces, no padding."""
    return _SPACES.sub(" ", (name or "").translate(_QUOTES)).strip().lower()


@functools.lru_cache(maxsize=8)
def _compiled(directory: Path) -> tuple[tuple[FlagGroup, FlagRule, re.Pattern[str]], ...]:
    # Keyed by the content directory so a test pointing ISC_CONTENT_DIR elsewhere gets its own.
    rules = content.load(BUDGET_FLAGS_FILE, BudgetFlagsFile).rules()
    return tuple(
        (group, rule, re.compile("|".join(f"(?:{p})" for p in rule.match))) for group, rule in rules
    )


@functools.lru_cache(maxsize=65_536)
def _flags(directory: Path, department: str, category: str, fund: str) -> tuple[Flag, ...]:
    names = {"department": department, "category": category, "fund": fund}
    normal = {field: normalize(name) for field, name in names.items()}
    found = []
    for group, rule, pattern in _compiled(directory):
        # Category first: it says most about what a line buys, so it is the clearest reason.
        for field in sorted(rule.fields, key=("category", "fund", "department").index):
            if normal[field] and pattern.search(normal[field]):
                found.append(
                    Flag(
                        id=rule.id,
                        group=group,
                        label=rule.label,
                        explanation=rule.explanation,
                        field=field,
                        matched=names[field].strip(),
                    )
                )
                break
    return tuple(found)


def flags_for(department: str, category: str, fund: str) -> list[Flag]:
    """Every flag the line's department, category/account and fund names trip, in file order.

    Pure and cached: a budget of ten thousand lines repeats the same few hundred names.
    """
    return list(_flags(content.content_dir(), department or "", category or "", fund or ""))


def clear_cache() -> None:
    _compiled.cache_clear()
    _flags.cache_clear()
