import datetime as dt

from members.models import Member, Status
from members.selectors import member_statistics
from members.services import members_backfill_history

D = dt.date


def test_members_inserted_in_bulk_get_their_status_and_cell_history(tree):
    Member.objects.bulk_create(
        [
            Member(
                family_name="Vũ",
                given_name="Tâm",
                sex="M",
                birth_date=D(1980, 1, 1),
                organization=tree.office_cell,
                status=Status.FULL,
                admitted_on=D(2005, 1, 1),
                full_member_on=D(2006, 1, 1),
            ),
            Member(
                family_name="Vũ",
                given_name="Tú",
                sex="F",
                birth_date=D(1950, 1, 1),
                organization=tree.office_cell,
                status=Status.DECEASED,
                status_since=D(2020, 5, 5),
                admitted_on=D(1975, 1, 1),
                full_member_on=D(1976, 1, 1),
            ),
        ]
    )
    assert member_statistics(Member.objects.all(), on=D(2019, 1, 1), organization=tree.office_cell).total == 0
    assert members_backfill_history() == 2
    assert members_backfill_history() == 0  # only once
    assert member_statistics(Member.objects.all(), on=D(2019, 1, 1), organization=tree.office_cell).total == 2
    assert member_statistics(Member.objects.all(), on=D(2021, 1, 1), organization=tree.office_cell).total == 1
    dead = Member.objects.get(given_name="Tú")
    assert [c.status for c in dead.status_changes.all()] == ["probationary", "full", "deceased"]
    assert dead.memberships.get().ended_on == D(2020, 5, 5)
