"""Recording and annulling discipline. Keyword-only, atomic, Vietnamese messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from discipline.models import FULL_MEMBER_FORMS, ORGANIZATION_FORMS, PROBATIONARY_FORMS, Discipline, Form
from members.models import Member, Status
from orgs.models import Organization


def _allowed_forms(member: Member | None) -> set[str]:
    if member is None:
        return set(ORGANIZATION_FORMS)
    return set(PROBATIONARY_FORMS if member.status == Status.PROBATIONARY else FULL_MEMBER_FORMS)


@transaction.atomic
def discipline_record(
    *,
    form: str,
    decided_on: dt.date,
    decision_number: str,
    member: Member | None = None,
    organization: Organization | None = None,
    violation: str = "",
    self_detected_and_remedied: bool = False,
    for_corruption_or_waste: bool = False,
    user: Any = None,
) -> Discipline:
    """Record a discipline decision against one member or one organization."""
    errors: dict[str, str] = {}
    if (member is None) == (organization is None):
        raise ValidationError(_("Chọn một đảng viên hoặc một tổ chức đảng bị kỷ luật."))
    if form not in _allowed_forms(member):
        allowed = ", ".join(str(Form(f).label) for f in Form if f in _allowed_forms(member))
        errors["form"] = _("Hình thức này không áp dụng ở đây; chỉ được: %(allowed)s.") % {"allowed": allowed}
    if decided_on > dt.date.today():
        errors["decided_on"] = _("Ngày quyết định không được sau hôm nay.")
    if not decision_number.strip():
        errors["decision_number"] = _("Hãy nhập số quyết định.")
    if errors:
        raise ValidationError(errors)
    discipline = Discipline(
        member=member,
        organization=organization,
        form=form,
        decided_on=decided_on,
        decision_number=decision_number.strip(),
        violation=violation,
        self_detected_and_remedied=self_detected_and_remedied,
        for_corruption_or_waste=for_corruption_or_waste,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    discipline.save()
    return discipline


@transaction.atomic
def discipline_annul(*, discipline: Discipline, annulled_on: dt.date, decision_number: str, user: Any = None) -> Discipline:
    """Annul a discipline decision: it no longer counts in the review of its year."""
    discipline = Discipline.objects.select_for_update().get(pk=discipline.pk)
    if discipline.annulled_on is not None:
        raise ValidationError(_("Quyết định kỷ luật này đã được hủy bỏ."))
    if annulled_on < discipline.decided_on:
        raise ValidationError({"annulled_on": _("Ngày hủy bỏ không được trước ngày quyết định kỷ luật.")})
    if not decision_number.strip():
        raise ValidationError({"annulment_decision": _("Hãy nhập số quyết định hủy bỏ.")})
    discipline.annulled_on = annulled_on
    discipline.annulment_decision = decision_number.strip()
    discipline.save()
    return discipline
