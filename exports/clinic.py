"""The clinic appendix of the Blueprint: ratings per part and the feedback with replies."""

from __future__ import annotations

from reportlab.platypus import Flowable

from exports import pdf
from toolkit import clinic


def appendix(summary: clinic.ClinicSummary, title: str,
             peer_reviews: list[dict] = ()) -> list[Flowable]:
    names = clinic.areas()
    flow: list[Flowable] = [pdf.heading(title, 0)]
    flow.append(pdf.para("Facilitators and expert guests reviewed this case study at the "
                         "Institute. Their ratings and feedback, and the team's replies, "
                         "follow."))
    if summary.ratings:
        flow.append(pdf.heading("Ratings", 1))
        flow.append(pdf.table(
            ["Part", "Rating", "Summary", "By"],
            [(names.get(t, t), clinic.RATINGS[r["rating"]], r["summary"], r["author"])
             for t, r in summary.ratings.items()],
            [1.5 * 72, 0.9 * 72, 3.0 * 72, 1.1 * 72]))
    if summary.items:
        flow.append(pdf.heading("Feedback", 1))
        rows = []
        for item in reversed(summary.items):  # oldest first reads like the session did
            replies = "\n".join(f"{r['author']}: {r['text']}" for r in item["replies"])
            rows.append((
                names.get(item["tool"], item["tool"])
                + (f" › {item['item']}" if item["item"] else ""),
                clinic.KINDS[item["kind"]],
                f"{item['text']}\n— {item['author']}",
                replies,
                "Resolved" if item["status"] == "resolved" else "Open",
            ))
        flow.append(pdf.table(["About", "Kind", "Feedback", "Team's replies", "Status"], rows,
                              [1.2 * 72, 0.75 * 72, 2.2 * 72, 1.7 * 72, 0.65 * 72]))
    if peer_reviews:
        flow.append(pdf.heading("Peer feedback and our takeaways", 1))
        flow.append(pdf.table(
            ["Round", "What is strong", "Questions", "One suggestion", "Our takeaway"],
            [(r["round_name"], r["strong"], r["questions"], r["suggestion"], r["takeaway"])
             for r in peer_reviews],
            [0.9 * 72, 1.4 * 72, 1.4 * 72, 1.4 * 72, 1.4 * 72]))
    return flow
