from members.tests._people import add_people
from members.services import member_update
from members.pages_support import history_entries


def test_x(cast):
    p = add_people(cast.tree)
    member_update(member=p.duc, hometown="X", user=cast.base)
    for h in history_entries(p.duc):
        print(h)
    for r in p.duc.history.all():
        print(r.history_id, r.history_date, r.hometown, r.history_type)
