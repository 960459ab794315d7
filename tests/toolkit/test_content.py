import datetime as dt
from pathlib import Path

import pytest
import textstat
import yaml

from toolkit import content
from toolkit import workshop as ws
from toolkit.demo import demo_content

CONTENT = Path(content.CONTENT_DIR)


@pytest.mark.parametrize("path", sorted(CONTENT.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_content_file_says_who_maintains_it_and_when_it_was_reviewed(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(str(data.get("maintainer", ""))) >= 3, f"{path.name} has no maintainer"
    reviewed = data.get("last_reviewed")
    assert isinstance(reviewed, dt.date), f"{path.name} has no last_reviewed date"
    assert reviewed <= dt.date.today()


def test_areas_include_the_institutes_three_examples_and_other():
    ids = [a.id for a in ws.areas()]
    assert {"public_safety", "permitting", "mobility", "other"} <= set(ids)


def test_the_five_tools_are_in_workshop_order():
    assert [t.id for t in ws.tools()] == ["budget", "action_plan", "questions", "engagement",
                                          "guidebook"]
    assert [t.number for t in ws.tools()] == [1, 2, 3, 4, 5]


def test_tool_and_area_guidance_reads_at_grade_nine_or_lower():
    for text in [t.purpose for t in ws.tools()] + [a.description for a in ws.areas()]:
        assert textstat.flesch_kincaid_grade(text) <= 9, text


def test_the_demo_workshop_has_one_team_per_example_area():
    demo = demo_content()
    assert sorted(t.initiative.area for t in demo.teams) == ["mobility", "permitting",
                                                             "public_safety"]


def test_a_malformed_content_file_names_the_file_and_the_field(tmp_path, monkeypatch):
    broken = tmp_path / "areas.yaml"
    broken.write_text(
        "maintainer: Someone\nlast_reviewed: 2026-01-01\nareas:\n"
        "  - id: other\n    label: Other\n    short: Other\n    description: x\n"
        "  - id: BAD ID\n    short: Bad\n    description: y\n    example_title: z\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    content.clear_cache()
    with pytest.raises(content.ContentError) as caught:
        ws.areas()
    message = str(caught.value)
    assert "areas.yaml" in message
    assert "areas[0].example_title" in message
    assert "areas[1].label" in message and "areas[1].id" in message


def test_content_that_is_not_yaml_or_missing_is_named(tmp_path, monkeypatch):
    (tmp_path / "tools.yaml").write_text("tools: [unclosed", encoding="utf-8")
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    content.clear_cache()
    with pytest.raises(content.ContentError, match="tools.yaml: this is not valid YAML"):
        ws.tools()
    with pytest.raises(content.ContentError, match="areas.yaml: the content file is missing"):
        ws.areas()
