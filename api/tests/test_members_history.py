"""GET /api/v1/members/{id}/status-history, /cell-history and /members/statistics."""

import datetime as dt
from types import SimpleNamespace

import pytest

from members.models import Member, Status
from members.selectors import member_statistics
from members.services import member_attach_temporarily, member_change_status, member_transfer_within
from members.testing import add_member
from orgs.services import NewOrgSpec, organization_found
from orgs.testing import FOUNDED

URL = "/api/v1/members"
STATS = f"{URL}/statistics"


def history(client, member: Member, which: str) -> list[dict]:
    response = client.get(f"{URL}/{member.pk}/{which}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["member"] == member.pk and body["count"] == len(body["items"])
    return body["items"]


@pytest.fixture
def people(cast):
    """Bình (exempt from activities since this spring), Hùng (moved from Điện lực into the
    office cell, then attached to the budget cell for study), Hoa (a woman in the newspaper)."""
    tree = cast.tree
    power_cell = organization_found(
        parent=tree.power,
        spec=NewOrgSpec(code="cb-ky-thuat", name="Chi bộ Phòng Kỹ thuật", kind=tree.kinds["chi-bo"]),
        effective_on=FOUNDED,
    ).organization
    binh = add_member(tree.budget_cell, family_name="Nguyễn", middle_name="Văn", given_name="Bình", full_decision_no="15-QĐ/ĐU")
    member_change_status(
        member=binh, status=Status.EXEMPT, effective_on=dt.date(2025, 3, 1), decision_no="42-QĐ/ĐU", note="Tuổi cao, sức yếu"
    )
    hung = add_member(power_cell, family_name="Đỗ", middle_name="Văn", given_name="Hùng", cell_since=dt.date(2016, 1, 4))
    member_transfer_within(
        member=hung,
        to_organization=tree.office_cell,
        cause_on=dt.date(2024, 2, 1),
        letter_no="07-GGT/ĐU",
        letter_on=dt.date(2024, 2, 20),
        presented_on=dt.date(2024, 3, 4),
    )
    today = dt.date.today()
    member_attach_temporarily(
        member=hung,
        organization=tree.budget_cell,
        started_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=300),
        reason="study",
        letter_no="11-GGT/CB",
    )
    hoa = add_member(tree.newspaper, family_name="Lê", middle_name="Thị", given_name="Hoa", sex="F")
    return SimpleNamespace(binh=binh, hung=Member.objects.get(pk=hung.pk), hoa=hoa, power_cell=power_cell)


# ---------------------------------------------------------------------------------------
# Status history


def test_the_status_history_lists_each_dated_status_with_its_decision_oldest_first(api_as, people):
    binh = people.binh
    items = history(api_as("base"), binh, "status-history")
    assert items == [
        {"date": binh.admitted_on.isoformat(), "status": "probationary", "status_name": "Dự bị", "decision_no": "", "note": ""},
        {
            "date": binh.full_member_on.isoformat(),
            "status": "full",
            "status_name": "Chính thức",
            "decision_no": "15-QĐ/ĐU",
            "note": "",
        },
        {
            "date": "2025-03-01",
            "status": "exempt",
            "status_name": "Miễn sinh hoạt",
            "decision_no": "42-QĐ/ĐU",
            "note": "Tuổi cao, sức yếu",
        },
    ]
    assert items[-1]["status"] == Member.objects.get(pk=binh.pk).status


def test_the_status_history_of_a_member_outside_the_scope_answers_404(api_as, people):
    assert api_as("outsider").get(f"{URL}/{people.binh.pk}/status-history").json() == {"detail": "Không tìm thấy."}
    assert api_as("cell").get(f"{URL}/{people.binh.pk}/status-history").status_code == 404


def test_a_member_reads_only_their_own_histories(api_as, cast, people):
    Member.objects.filter(pk=people.hoa.pk).update(user=cast.member)
    client = api_as("member")
    assert [i["status"] for i in history(client, people.hoa, "status-history")] == ["probationary", "full"]
    assert len(history(client, people.hoa, "cell-history")) == 1
    for which in ("status-history", "cell-history"):
        assert client.get(f"{URL}/{people.binh.pk}/{which}").status_code == 404


# ---------------------------------------------------------------------------------------
# Cell history


def test_the_cell_history_keeps_the_old_cell_the_letter_and_the_temporary_attachment(api_as, people):
    items = history(api_as("base"), people.hung, "cell-history")
    today = dt.date.today()
    assert items == [
        {
            # Điện lực lies outside the base secretary's scope: named, its code withheld.
            "organization": {"code": None, "name": "Chi bộ Phòng Kỹ thuật"},
            "kind": "permanent",
            "kind_name": "Chính thức",
            "started_on": "2016-01-04",
            "ended_on": "2024-03-04",
            "decision_no": "",
            "note": "",
        },
        {
            "organization": {"code": "cb-van-phong", "name": "Chi bộ Văn phòng"},
            "kind": "permanent",
            "kind_name": "Chính thức",
            "started_on": "2024-03-04",
            "ended_on": None,
            "decision_no": "07-GGT/ĐU",
            "note": "",
        },
        {
            "organization": {"code": "cb-ngan-sach", "name": "Chi bộ Ngân sách"},
            "kind": "temporary",
            "kind_name": "Tạm thời",
            "started_on": (today - dt.timedelta(days=30)).isoformat(),
            "ended_on": None,
            "decision_no": "11-GGT/CB",
            "note": "",
        },
    ]


def test_the_administrator_sees_the_code_of_every_cell_in_the_history(api_as, people):
    items = history(api_as("admin"), people.hung, "cell-history")
    assert [i["organization"]["code"] for i in items] == ["cb-ky-thuat", "cb-van-phong", "cb-ngan-sach"]


def test_the_old_committee_no_longer_reads_a_member_who_moved_away(api_as, people):
    assert api_as("outsider").get(f"{URL}/{people.hung.pk}/cell-history").status_code == 404


# ---------------------------------------------------------------------------------------
# Statistics


def test_statistics_count_the_scope_as_the_selector_does(api_as, cast, people):
    body = api_as("upper").get(STATS, {"organization": "so-tai-chinh", "date": "01/06/2025"}).json()
    expected = member_statistics(Member.objects.for_user(cast.upper), on=dt.date(2025, 6, 1), organization=cast.tree.finance)
    assert body["date"] == "2025-06-01"
    assert body["organization"] == {"code": "so-tai-chinh", "name": "Đảng bộ Sở Tài chính"}
    assert (body["total"], body["youth"]) == (expected.total, expected.youth)
    assert body["total"] == 2  # Bình (exempt still counts) and Hùng in the office cell since 2024
    for name, rows in expected.dimensions().items():
        assert body[f"by_{name}"] == [{"key": r.key, "label": r.label, "count": r.count} for r in rows]
    assert {r["key"]: r["count"] for r in body["by_status"]}["exempt"] == 1


def test_statistics_follow_the_tree_as_it_was_on_the_date(api_as, people):
    # Early in 2024 Hùng was still in Điện lực: the finance committee counted only Bình.
    assert api_as("admin").get(STATS, {"organization": "so-tai-chinh", "date": "2024-01-15"}).json()["total"] == 1
    assert api_as("admin").get(STATS, {"organization": "dien-luc", "date": "2024-01-15"}).json()["total"] == 1


def test_statistics_without_an_organization_count_the_whole_scope_today(api_as, people):
    body = api_as("upper").get(STATS).json()
    assert body["date"] == dt.date.today().isoformat() and body["organization"] is None
    assert body["total"] == 3
    assert {r["key"]: r["count"] for r in body["by_sex"]} == {"M": 2, "F": 1}


def test_statistics_of_an_organization_outside_the_scope_answer_404(api_as, people):
    assert api_as("base").get(STATS, {"organization": "dien-luc"}).json() == {"detail": "Không tìm thấy."}


@pytest.mark.parametrize("date", ["0001-01-01", "31/12/2999", "hôm qua"])
def test_statistics_refuse_a_date_outside_the_party_s_era_or_unreadable(api_as, people, date):
    response = api_as("admin").get(STATS, {"date": date})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date"
    assert response.json()["detail"].startswith("Yêu cầu không hợp lệ: date: ")


def test_statistics_refuse_a_caller_without_credentials(client, people):
    assert client.get(STATS).status_code == 401


def test_a_new_member_is_counted_from_the_day_of_admission(api_as, cast, people):
    add_member(cast.tree.newspaper, given_name="Mới", admitted_on=dt.date(2025, 6, 2), full_member_on=None)
    client = api_as("admin")
    assert client.get(STATS, {"organization": "bao-bg", "date": "2025-06-01"}).json()["total"] == 1
    assert client.get(STATS, {"organization": "bao-bg", "date": "2025-06-02"}).json()["total"] == 2
