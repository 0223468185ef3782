"""The shared change history: labels, values as a reader sees them, hidden fields, order."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.history import history_entries, recent
from orgs.models import Organization, OrgKind
from workdays.models import Holiday, HolidayKind

pytestmark = pytest.mark.django_db


def edit(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


@pytest.fixture
def holiday():
    day = Holiday.objects.create(date=dt.date(2040, 9, 2), name="Quốc khánh", kind=HolidayKind.STATUTORY)
    return edit(day, date=dt.date(2040, 9, 3), kind=HolidayKind.COMPENSATORY)


def test_each_change_is_labelled_with_the_field_verbose_name_and_shows_dates_as_dd_mm_yyyy(holiday):
    newest = history_entries(recent(holiday.history, 10))[0]
    changes = {c.field: (c.label, c.old, c.new) for c in newest.changes}
    assert changes["date"] == ("Ngày", "02/09/2040", "03/09/2040")


def test_a_choice_is_shown_by_its_label(holiday):
    newest = history_entries(recent(holiday.history, 10))[0]
    kind = next(c for c in newest.changes if c.field == "kind")
    assert (kind.label, kind.old, kind.new) == ("Loại", "Nghỉ lễ, Tết theo luật", "Nghỉ bù")


def test_entries_come_newest_first_with_their_type_in_vietnamese_and_the_first_has_no_changes(holiday):
    entries = history_entries(recent(holiday.history, 10))
    assert [(e.type, e.type_label) for e in entries] == [("changed", "Sửa"), ("created", "Tạo mới")]
    assert entries[-1].changes == []
    assert entries[0].date >= entries[1].date


def test_an_unchanged_field_is_not_listed(holiday):
    newest = history_entries(recent(holiday.history, 10))[0]
    assert {c.field for c in newest.changes} == {"date", "kind"}


def test_a_hidden_field_lists_its_change_without_either_value(holiday):
    newest = history_entries(recent(holiday.history, 10), hidden_fields={"date"})[0]
    date = next(c for c in newest.changes if c.field == "date")
    assert (date.old, date.new, date.hidden) == ("(ẩn)", "(ẩn)", True)
    assert "02/09/2040" not in repr(newest.changes)
    kind = next(c for c in newest.changes if c.field == "kind")
    assert not kind.hidden and kind.new == "Nghỉ bù"


def test_only_the_fields_asked_for_are_compared(holiday):
    newest = history_entries(recent(holiday.history, 10), fields=["kind"])[0]
    assert [c.field for c in newest.changes] == ["kind"]


def test_the_limit_keeps_the_newest_entries_and_the_oldest_shown_is_still_compared(holiday):
    edit(holiday, name="Quốc khánh 2/9")
    entries = history_entries(recent(holiday.history, 2), limit=2)
    assert len(entries) == 2
    assert {c.field for c in entries[1].changes} == {"date", "kind"}


def test_a_foreign_key_is_shown_by_the_row_it_names(tree):
    finance = tree.finance
    old_kind = finance.kind
    new_kind = OrgKind.objects.exclude(pk=old_kind.pk).first()
    edit(finance, kind=new_kind)
    newest = history_entries(recent(finance.history, 5), fields=["kind"])[0]
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("Loại", str(old_kind), str(new_kind))]


def test_a_foreign_key_to_a_row_the_reader_may_not_see_reads_hidden(tree):
    finance = tree.finance
    edit(finance, successor=tree.power)
    visible = Organization.objects.filter(pk=tree.finance.pk)
    newest = history_entries(recent(finance.history, 5), fields=["successor"], related={"successor": visible})[0]
    assert [(c.old, c.new) for c in newest.changes] == [("", "(ẩn)")]
    assert tree.power.name not in repr(newest)


def test_records_of_several_objects_are_each_compared_with_their_own_previous_record():
    first = Holiday.objects.create(date=dt.date(2041, 1, 1), name="Tết Dương lịch")
    second = Holiday.objects.create(date=dt.date(2041, 4, 30), name="Giải phóng miền Nam")
    edit(first, name="Tết Dương lịch 2031")
    edit(second, name="Ngày Giải phóng miền Nam")
    records = [*first.history.all(), *second.history.all()]
    entries = history_entries(records, subject=lambda r: r.name)
    renamed = {e.subject: [(c.old, c.new) for c in e.changes] for e in entries if e.type == "changed"}
    assert renamed == {
        "Tết Dương lịch 2031": [("Tết Dương lịch", "Tết Dương lịch 2031")],
        "Ngày Giải phóng miền Nam": [("Giải phóng miền Nam", "Ngày Giải phóng miền Nam")],
    }


def test_the_author_and_the_reason_are_kept(holiday, cast):
    record = holiday.history.first()
    record.history_user = cast.upper
    record.history_change_reason = "Theo Quyết định 01"
    record.save()
    newest = history_entries(recent(holiday.history, 10))[0]
    assert (newest.user, newest.reason) == (str(cast.upper), "Theo Quyết định 01")
