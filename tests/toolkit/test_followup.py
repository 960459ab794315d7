"""Follow-up after the Institute: status rules, value series, webinars and calendar files."""

import datetime as dt

import icalendar
import pytest

from toolkit import followup as fu
from toolkit.action_plan import ActionPlan, PlanMeasure, PlanMilestone
from toolkit.action_plan import demo_document as plan_demo
from toolkit.store import SYSTEM, AccessDenied, Actor, StoreError


def _plan() -> ActionPlan:
    return ActionPlan(
        milestones=[PlanMilestone(id="m1", name="Sign the agreement", end=dt.date(2027, 3, 31)),
                    PlanMilestone(id="m2", name="Launch", end=dt.date(2027, 6, 30))],
        measures=[PlanMeasure(id="me1", name="Homicides", unit="per year", baseline=40,
                              target=20)])


def _check_in(day, statuses, values=()):
    return fu.CheckIn(date=day, label=f"{day:%B}",
                      milestones=[fu.MilestoneUpdate(milestone_id=k, status=v)
                                  for k, v in statuses.items()],
                      actuals=[fu.MeasureActual(measure_id="me1", value=v, as_of=d)
                               for d, v in values])


def test_a_milestone_past_its_end_and_not_done_is_late_whatever_was_reported():
    plan = _plan()
    rows = fu.milestone_rows(plan, _check_in(dt.date(2027, 4, 15),
                                             {"m1": "on_track", "m2": "at_risk"}))
    assert [(r.reported, r.computed) for r in rows] == [("on_track", "late"),
                                                        ("at_risk", "at_risk")]
    assert rows[0].disagrees and rows[0].behind


def test_a_done_milestone_past_its_end_is_not_late():
    m = PlanMilestone(id="m1", name="x", end=dt.date(2027, 1, 1))
    assert fu.computed_status(m, "done", dt.date(2027, 5, 1)) == "done"
    assert fu.computed_status(m, None, dt.date(2027, 5, 1)) == "late"
    assert fu.computed_status(m, None, dt.date(2026, 12, 1)) == "not_reported"


def test_actual_values_form_a_date_ordered_series_across_check_ins():
    followup = fu.FollowUp(check_ins=[
        _check_in(dt.date(2027, 4, 1), {}, [(dt.date(2027, 3, 31), 35)]),
        _check_in(dt.date(2027, 2, 1), {}, [(dt.date(2027, 1, 31), 38)]),
        _check_in(dt.date(2027, 5, 1), {}),  # no value this time: not a zero
    ])
    (series,) = fu.measure_series(_plan(), followup)
    assert [(p.on, p.value) for p in series.points] == [(dt.date(2027, 1, 31), 38),
                                                        (dt.date(2027, 3, 31), 35)]
    assert series.percent_of_way == pytest.approx(25.0)
    assert "38 on Jan 31, 2027, 35 on Mar 31, 2027" in fu.series_in_words(series)


def test_check_ins_are_kept_and_never_overwritten(store, teams):
    from toolkit.editing import edit_list

    team_id = teams["lakeport"].id
    for day in (dt.date(2027, 1, 10), dt.date(2027, 2, 10)):
        base = store.load(SYSTEM, team_id, fu.FollowUp)
        result = edit_list(store, SYSTEM, team_id, fu.FollowUp, "check_ins",
                           upserts=[fu.CheckIn(date=day, label="x")], base=base)
        assert result.outcome == "saved"
    assert len(store.load(SYSTEM, team_id, fu.FollowUp).body.check_ins) == 2


def test_a_team_with_no_action_plan_gets_a_clear_message_not_an_error(store, teams):
    team_id = teams["lakeport"].id
    assert fu.load_plan(store, SYSTEM, team_id) is None
    draft = fu.new_check_in(None, dt.date(2027, 1, 10))
    assert draft.milestones == [] and draft.actuals == []
    assert "no action plan yet" in fu.NO_PLAN_MESSAGE
    from exports.followup import progress_report_pdf

    assert progress_report_pdf(store, SYSTEM, team_id, dt.date(2027, 1, 10)).startswith(b"%PDF")


def test_the_demo_check_ins_match_the_demo_action_plan_ids():
    plan = plan_demo("riverton")
    followup = fu.demo_document("riverton")
    milestone_ids = {m.id for m in plan.milestones}
    measure_ids = {m.id for m in plan.measures}
    assert len(followup.check_ins) == 2 and followup.requests
    for c in followup.check_ins:
        assert {u.milestone_id for u in c.milestones} <= milestone_ids
        assert {a.measure_id for a in c.actuals} <= measure_ids
    assert fu.demo_document("lakeport") is None


def _webinar(store, workshop_id, **kw):
    values = dict(title="Data, sharing; and\nagreements", timezone="America/Chicago",
                  starts_at=fu.to_utc(dt.date(2027, 2, 12), dt.time(14, 0), "America/Chicago"),
                  duration_minutes=60, agenda="One, two; three\nfour",
                  join_link="https://meet.example.org/a")
    values.update(kw)
    return store.create_webinar(SYSTEM, workshop_id, **values)


def test_the_ics_file_has_the_time_zone_a_stable_uid_and_escaped_text(store, teams):
    w = _webinar(store, teams["riverton"].workshop_id)
    first, second = fu.webinar_ics(w), fu.webinar_ics(store.webinar(SYSTEM, w.id))
    assert first == second  # DTSTAMP comes from the webinar, not the clock
    assert "SUMMARY:Data\\, sharing\\; and\\nagreements" in first
    assert "DESCRIPTION:One\\, two\\; three\\nfour" in first
    cal = icalendar.Calendar.from_ical(first)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"webinar-{w.id}@isc-blueprint"
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    start = event.decoded("DTSTART")
    assert (start.hour, start.utcoffset()) == (14, dt.timedelta(hours=-6))
    assert str(event["SUMMARY"]) == "Data, sharing; and\nagreements"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]


def test_the_series_ics_holds_every_webinar_with_uids_stable_across_exports(store, teams):
    workshop_id = teams["riverton"].workshop_id
    a = _webinar(store, workshop_id, title="First")
    b = _webinar(store, workshop_id, title="Second", timezone="America/New_York")
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(
        fu.series_ics(store.webinars(SYSTEM, workshop_id))).walk("VEVENT")]
    again = [str(e["UID"]) for e in icalendar.Calendar.from_ical(
        fu.series_ics(store.webinars(SYSTEM, workshop_id))).walk("VEVENT")]
    assert uids == again == [f"webinar-{a.id}@isc-blueprint", f"webinar-{b.id}@isc-blueprint"]


def test_attendance_counts_count_teams_that_attended(store, teams):
    workshop_id = teams["riverton"].workshop_id
    w1, w2 = _webinar(store, workshop_id), _webinar(store, workshop_id)
    store.set_attendance(SYSTEM, w1.id, teams["riverton"].id, True)
    store.set_attendance(SYSTEM, w1.id, teams["lakeport"].id, True)
    store.set_attendance(SYSTEM, w1.id, teams["lakeport"].id, False)
    store.set_attendance(SYSTEM, w2.id, teams["mesa-verde"].id, True)
    assert store.attendance_counts(SYSTEM, workshop_id) == {w1.id: 1, w2.id: 1}


def test_only_staff_schedule_webinars_and_teams_read_only_their_workshop(store, teams):
    workshop_id = teams["riverton"].workshop_id
    member = Actor(role="team", name="Ana", team_id=teams["riverton"].id)
    with pytest.raises(AccessDenied):
        store.create_webinar(
            member, workshop_id, title="x", starts_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
            timezone="UTC", duration_minutes=30)
    w = _webinar(store, workshop_id)
    assert [x.id for x in store.webinars(member, workshop_id)] == [w.id]
    with pytest.raises(AccessDenied):
        store.set_attendance(member, w.id, teams["riverton"].id, True)


@pytest.mark.parametrize("link", ["http://meet.example.org/a", "javascript:alert(1)",
                                  "https://", "https://a b.org"])
def test_a_join_link_that_is_not_https_is_refused(store, teams, link):
    with pytest.raises(StoreError, match="https://"):
        _webinar(store, teams["riverton"].workshop_id, join_link=link)


def test_an_unknown_time_zone_is_refused(store, teams):
    with pytest.raises(StoreError, match="time zone"):
        _webinar(store, teams["riverton"].workshop_id, timezone="Mars/Olympus")


def test_demo_webinars_are_created_with_attendance(store, teams):
    workshop_id = teams["riverton"].workshop_id
    created = fu.create_demo_webinars(store, workshop_id)
    assert len(created) == 2
    assert store.attendance_counts(SYSTEM, workshop_id) == {created[0].id: 3, created[1].id: 2}


def test_on_track_share_ignores_milestones_not_yet_due_and_not_reported():
    plan = _plan()
    ci = _check_in(dt.date(2027, 4, 15), {"m1": "done"})
    assert fu.on_track_share(plan, ci) == 1.0
    assert fu.on_track_share(plan, _check_in(dt.date(2027, 3, 1), {})) is None
    assert fu.on_track_share(plan, _check_in(dt.date(2027, 4, 15), {})) == 0.0  # m1 is late


def test_common_blockers_count_each_word_once_per_team():
    words = dict(fu.common_blockers(["Hospital lawyers slow, hospital again",
                                     "Waiting on the hospital", "Insurance"]))
    assert words == {"hospital": 2}


def test_the_command_line_writes_the_series_calendar_and_a_progress_report(store, teams,
                                                                          tmp_path, capsys):
    import cli

    assert cli.main(["webinars", "--ics", "--out", str(tmp_path / "s.ics")]) == 2
    assert "no webinars" in capsys.readouterr().err
    fu.create_demo_webinars(store, teams["riverton"].workshop_id)
    assert cli.main(["webinars", "--ics", "--out", str(tmp_path / "s.ics")]) == 0
    cal = icalendar.Calendar.from_ical((tmp_path / "s.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == 2
    assert cli.main(["webinars", "--ics", "--workshop", "nope", "--out", "x.ics"]) == 2
    assert cli.main(["progress", "riverton", "--out", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert cli.main(["progress", "nowhere", "--out", str(tmp_path / "n.pdf")]) == 2
