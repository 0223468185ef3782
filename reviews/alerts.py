"""The annual review's alerts (``lib.alerts``): each round in progress that covers a subtree,
with how far its members' reviews have gone there and which steps are late.

A review still at self-assessment after the round's self-assessment deadline is late, and
one not yet decided after the decision deadline (the deadlines the round was opened with).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.alerts import Alert, Level, Progress
from lib.dates import format_date
from orgs.models import Organization
from orgs.scope import subtree_q
from reviews.models import MemberReview, ReviewRound, Step

EXCLUDED = "excluded"


def _rounds(user: Any, organization: Organization) -> list[ReviewRound]:
    """Open rounds of ``organization``'s subtree and those opened above it that cover it."""
    steplen = Organization.steplen
    above = [organization.path[: steplen * d] for d in range(1, organization.depth)]
    return list(
        ReviewRound.objects.for_user(user)
        .filter(closed_at__isnull=True)
        .filter(subtree_q(organization.path, "organization__path") | Q(organization__path__in=above))
        .select_related("organization")
        .order_by("-year", "organization__path")
    )


def review_alerts(user: Any, organization: Organization, today: dt.date) -> list[Alert]:
    rounds = _rounds(user, organization)
    if not rounds:
        return []
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = (
        MemberReview.objects.for_user(user)
        .filter(subtree_q(organization.path, "cell_path"), round__in=[r.pk for r in rounds])
        .annotate(excluded=~Q(excluded_rule=""))
        .values_list("round_id", "step", "excluded")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_id, step, excluded, n in rows:
        counts[round_id][EXCLUDED if excluded else step] += n
    alerts = []
    for round in rounds:
        c = counts[round.pk]
        total = sum(c.values())
        progress = Progress(
            done=c[Step.DECIDED] + c[EXCLUDED],
            total=total,
            parts=(
                (Step.SELF.label, c[Step.SELF]),
                (Step.APPRAISED.label, c[Step.APPRAISED]),
                (Step.DECIDED.label, c[Step.DECIDED]),
                (_("Không xếp loại"), c[EXCLUDED]),
            ),
        )
        late = []
        if c[Step.SELF] and today > round.self_deadline:
            late.append(
                _("%(n)s chưa tự đánh giá, quá hạn %(date)s") % {"n": c[Step.SELF], "date": format_date(round.self_deadline)}
            )
        undecided = c[Step.SELF] + c[Step.APPRAISED]
        if undecided and today > round.decision_deadline:
            late.append(
                _("%(n)s chưa quyết định, quá hạn %(date)s") % {"n": undecided, "date": format_date(round.decision_deadline)}
            )
        alerts.append(
            Alert(
                f"reviews.round.{round.pk}",
                _("Đợt đánh giá năm %(year)s (%(name)s) đang thực hiện") % {"year": round.year, "name": round.organization.name},
                reverse("reviews:round_detail", args=[round.pk]),
                Level.LATE if late else Level.INFO,
                total,
                progress,
                "; ".join(late),
            )
        )
    return alerts
