"""lib.bulk, as the member import uses it: keys reserved inside the transaction, history rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from lib import bulk
from members.models import StatusChange
from members.testing import add_member


def test_it_refuses_to_reserve_keys_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        bulk.reserve_ids(StatusChange, 3)


def test_it_writes_rows_after_the_highest_key_with_one_history_row_each(cast):
    member = add_member(cast.tree.office_cell)
    highest = StatusChange.objects.order_by("-pk").first().pk
    rows = [
        {"member_id": member.pk, "status": "full", "effective_on": dt.date(2012, 1, day), "recorded_by_id": cast.base.pk}
        for day in (1, 2)
    ]
    with transaction.atomic():
        ids = bulk.insert_with_history(StatusChange, rows, user_id=cast.base.pk, reason="Nhập từ tệp")
    assert ids == [highest + 1, highest + 2]
    saved = StatusChange.objects.get(pk=ids[1])
    assert saved.effective_on == dt.date(2012, 1, 2) and saved.recorded_at is not None and saved.note == ""
    record = saved.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", cast.base, "Nhập từ tệp")
