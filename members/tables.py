"""The member list table (django-tables2). Every column sorts, by the fields ``members.filters.SORTS``
names for it, so the page's ``?sort=`` and the FilterSet's agree. Headers are those of the
7-HSĐV column definitions (``members.columns``) that the exports use; the page shows a
subset of them, the export every one."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lib.dates import format_date
from members.columns import BY_KEY
from members.filters import SORTS
from members.models import Member

# What the rows need, in one query with the page: the columns shown read these relations.
ROW_RELATIONS = ("organization", "political_theory")


def header(key: str) -> str:
    return BY_KEY[key].label


class DateColumn(tables.Column):
    def render(self, value: Any) -> str:
        return format_date(value)


class MemberTable(tables.Table):
    name = tables.Column(header("full_name"), accessor="sort_key", order_by=SORTS["name"], attrs={"td": {"class": "text-nowrap"}})
    sex = tables.Column(header("sex"), order_by=SORTS["sex"])
    birth_date = DateColumn(header("birth_date"), order_by=SORTS["birth_date"])
    cell = tables.Column(header("organization_name"), accessor="organization__name", order_by=SORTS["cell"])
    status = tables.Column(header("status"), order_by=SORTS["status"])
    admitted_on = DateColumn(header("admitted_on"), order_by=SORTS["admitted_on"])
    full_member_on = DateColumn(header("full_member_on"), order_by=SORTS["full_member_on"], default="")
    political_theory = tables.Column(
        header("political_theory"), accessor="political_theory__name", order_by=SORTS["political_theory"], default=""
    )
    card_number = tables.Column(header("card_number"), order_by=SORTS["card_number"], default="")

    class Meta:
        model = Member
        fields: tuple[str, ...] = ()
        order_by_field = "sort"
        template_name = "members/_table.html"
        attrs = {"class": "table table-vcenter table-striped card-table", "data-testid": "member-table"}
        empty_text = _("Không có đảng viên nào khớp với điều kiện lọc.")

    def render_name(self, record: Member) -> str:
        url = reverse("members:member_detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.full_name)

    def render_sex(self, record: Member) -> str:
        return record.get_sex_display()

    def render_status(self, record: Member) -> str:
        return record.get_status_display()
