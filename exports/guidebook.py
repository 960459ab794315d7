"""The Resources section of the Blueprint: who the team will call and why, and what it added."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl import Workbook
from reportlab.platypus import Flowable

from exports import pdf, workbook
from toolkit import guidebook as gb
from toolkit.store import Actor, GuideEntry, SavedGuideEntry, Store


@dataclass(frozen=True)
class GuidebookSection:
    saved: tuple[SavedGuideEntry, ...]
    contributed: tuple[GuideEntry, ...]
    topic_labels: dict[str, str]
    prepared_on: dt.date

    @property
    def started(self) -> bool:
        return bool(self.saved or self.contributed)

    @property
    def listed(self) -> list[SavedGuideEntry]:
        return [s for s in self.saved if s.entry is not None]


def gather(store: Store, actor: Actor, team_id: int, today: dt.date) -> GuidebookSection:
    contributed = store.guide_search(actor, contributed_by=team_id, statuses=(
        "approved", "pending", "rejected"), limit=500).entries
    return GuidebookSection(
        saved=tuple(store.guide_saved(actor, team_id)),
        contributed=tuple(contributed),
        topic_labels={t.id: t.label for t in gb.load_topics()},
        prepared_on=today,
    )


def who(entry: GuideEntry) -> str:
    """Name, then what and where, one per line: how a person reads a directory listing."""
    role = ", ".join(x for x in (entry.title, entry.organization) if x)
    place = ", ".join(x for x in (entry.city, entry.state) if x)
    kind = gb.KIND_LABELS.get(entry.kind, entry.kind).split(" (")[0]
    return "\n".join(x for x in (entry.name, role, f"{kind}{f' · {place}' if place else ''}")
                     if x)


def reach(entry: GuideEntry) -> str:
    return "\n".join(x for x in (entry.website, entry.contact or "") if x)


def verified(entry: GuideEntry) -> str:
    day = entry.last_verified
    return f"{day:%b} {day.day}, {day.year}" if day else "Not recorded"


def section(s: GuidebookSection, number: int, title: str) -> list[Flowable]:
    width = pdf.PAGE_W - 2 * pdf.MARGIN
    flow: list[Flowable] = [
        pdf.heading(f"{number}. {title}", 0),
        pdf.para("The experts, city leaders and organizations the team plans to call, and "
                 "why. Details were checked on the date shown; verify them before you rely "
                 "on them."),
        pdf.heading("Who we will call", 1),
    ]
    listed = s.listed
    if listed:
        flow.append(pdf.table(
            ["Who", "Why we will call", "How to reach them", "Checked"],
            [(who(x.entry), x.note or "No note yet", reach(x.entry), verified(x.entry))
             for x in listed],
            [1.9 * 72, 2.3 * 72, width - (1.9 + 2.3 + 0.85) * 72, 0.85 * 72]))
        topics = sorted({t for x in listed for t in x.entry.topics},
                        key=lambda t: s.topic_labels.get(t, t))
        flow.append(pdf.para("Topics covered: " + ", ".join(
            s.topic_labels.get(t, t) for t in topics) + ".", "small"))
    else:
        flow.append(pdf.para("The team has not saved anyone to call yet.", "notice"))
    gone = len(s.saved) - len(listed)
    if gone:
        flow.append(pdf.para(
            f"{gone} saved {'entry is' if gone == 1 else 'entries are'} no longer listed in "
            "the guidebook and left out.", "small"))
    if s.contributed:
        flow.append(pdf.heading("What the team added to the guidebook", 1))
        flow.append(pdf.table(
            ["Entry", "Topics", "Status"],
            [(who(e), ", ".join(s.topic_labels.get(t, t) for t in e.topics),
              gb.STATUS_LABELS[e.status]
              + (f": {e.reject_reason}" if e.status == "rejected" and e.reject_reason else ""))
             for e in s.contributed],
            [2.6 * 72, 2.0 * 72, width - 4.6 * 72]))
    return flow


SAVED_COLUMNS = ["Name", "Kind", "Title", "Organization", "City", "State", "Topics",
                 "Why we will call", "Can help with", "Website", "How to reach them", "Source",
                 "Last verified", "Saved by", "Saved on"]
SAVED_WIDTHS = [30, 14, 18, 26, 14, 7, 28, 50, 50, 32, 32, 20, 13, 16, 12]
CONTRIBUTED_COLUMNS = ["Name", "Kind", "Organization", "Topics", "Can help with", "Status",
                       "Reason given"]
CONTRIBUTED_WIDTHS = [30, 14, 26, 28, 50, 22, 40]


def add_sheets(wb: Workbook, s: GuidebookSection) -> None:
    """A "Who we will call" sheet, and the team's contributions when it made any."""
    sheet = wb.create_sheet(workbook.sheet_title("Who we will call", wb.sheetnames))
    workbook.header(sheet, SAVED_COLUMNS, SAVED_WIDTHS)
    for row, item in enumerate(s.listed, start=2):
        e = item.entry
        values = [e.name, gb.KIND_LABELS.get(e.kind, e.kind).split(" (")[0], e.title,
                  e.organization, e.city, e.state,
                  ", ".join(s.topic_labels.get(t, t) for t in e.topics), item.note,
                  e.help_with, e.website, e.contact or "", e.source,
                  e.last_verified.isoformat() if e.last_verified else "",
                  item.saved_by, item.saved_at.date().isoformat()]
        for col, value in enumerate(values, start=1):
            workbook.text_cell(sheet, row, col, value)
    if s.contributed:
        sheet = wb.create_sheet(workbook.sheet_title("Our guidebook entries", wb.sheetnames))
        workbook.header(sheet, CONTRIBUTED_COLUMNS, CONTRIBUTED_WIDTHS)
        for row, e in enumerate(s.contributed, start=2):
            values = [e.name, gb.KIND_LABELS.get(e.kind, e.kind).split(" (")[0],
                      e.organization, ", ".join(s.topic_labels.get(t, t) for t in e.topics),
                      e.help_with, gb.STATUS_LABELS[e.status], e.reject_reason]
            for col, value in enumerate(values, start=1):
                workbook.text_cell(sheet, row, col, value)
