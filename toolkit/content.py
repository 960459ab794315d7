"""Loads the words of the product from content/ and validates them on load."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


class ContentError(Exception):
    """A content file is missing or malformed; the message names the file and the field."""


class Strict(BaseModel):
    """Base for every content model: unknown keys are typos, so they are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ContentFile(Strict):
    """Every content file says who keeps it and when it was last reviewed."""

    maintainer: str = Field(min_length=3)
    last_reviewed: dt.date


T = TypeVar("T", bound=ContentFile)


def content_dir() -> Path:
    # ISC_CONTENT_DIR lets tests point at a deliberately broken copy.
    return Path(os.environ.get("ISC_CONTENT_DIR") or CONTENT_DIR)


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse(path: Path, model: type[T]) -> T:
    """Read one YAML file into `model`, raising ContentError with file and field named."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: the content file is missing.") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: this is not valid YAML ({exc}).") from None
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: expected a mapping of fields at the top of the file.")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_where(err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)
        )
        raise ContentError(f"{path}: {problems}") from None


@functools.cache
def _load_cached(directory: Path, name: str, model: type[T]) -> T:
    return parse(directory / name, model)


def load(name: str, model: type[T]) -> T:
    """The validated content file `name` (e.g. "areas.yaml"); cached, content is immutable."""
    return _load_cached(content_dir(), name, model)


def read_text(name: str) -> str:
    """A Markdown or text file from content/, for longer guidance."""
    path = content_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path}: the content file is missing.") from None


def clear_cache() -> None:
    _load_cached.cache_clear()
