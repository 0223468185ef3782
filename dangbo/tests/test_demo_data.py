"""The demonstration data set: its structure, its 2025 restructuring, its logins, its seed."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from accounts.models import Role, User
from dangbo.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from dangbo.demo.members import add_years
from dangbo.management.commands.serve_demo import login_table
from discipline.models import Discipline
from lib.names import FAMILY_NAMES, random_name
from members import selectors
from members.models import (
    BadgeAward,
    CellMembership,
    Member,
    MembershipKind,
    Status,
    StatusChange,
    Transfer,
    TransferKind,
    TransferStatus,
)
from orgs.models import Level, Organization, OrgChange, Term
from orgs.services import tree_as_of
from reviews.models import MemberReview, RegimeChoice, ReviewRound, Step
from reviews.regimes.base import Rating
from reviews.regimes.common import excellent_quota
from reviews.selectors import recount, tallies, year_report
from reviews.services import quota_units, review_appraise, review_decide, review_self_assess

pytestmark = pytest.mark.django_db

SCALE = "0.1"
BEFORE = dt.date(2020, 6, 30)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demonstration data set for the whole module (it takes seconds), rolled back at the end."""
    # The same fast hasher conftest.py sets for each test, or the logins could not log in.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = StringIO()
        call_command("demo_data", "--scale", SCALE, "--seed", "2026", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_it_reports_what_it_made(demo):
    assert "Đã tạo dữ liệu minh họa" in demo
    assert f"{Member.objects.count()} đảng viên" in demo


def test_base_organizations_sit_under_upper_committees(demo):
    for org in Organization.objects.filter(kind__level__in=[Level.BASE_COMMITTEE, Level.BASE_CELL]).select_related("kind"):
        parent = Organization.objects.get_parent(org)
        assert parent.kind.level == Level.UPPER, org.name
    committees = Organization.objects.filter(kind__level=Level.BASE_COMMITTEE, dissolved_on__isnull=True)
    assert committees.exists()
    for committee in committees:
        cells = Organization.objects.get_children(committee).filter(dissolved_on__isnull=True)
        assert cells.count() >= 2, committee.name
        assert all(c.kind.level == Level.CELL for c in cells)


def test_members_belong_to_active_cells_only(demo):
    assert Member.objects.count() == round(4500 * float(SCALE))
    levels = set(Member.objects.values_list("organization__kind__level", flat=True))
    assert levels <= {Level.CELL, Level.BASE_CELL}
    assert not Member.objects.filter(organization__dissolved_on__isnull=False).exists()


def test_members_have_plausible_records(demo):
    today = dt.date.today()
    statuses = set(Member.objects.values_list("status", flat=True))
    assert {Status.FULL, Status.PROBATIONARY} <= statuses
    for m in Member.objects.all():
        assert len(m.national_id) == 12 and m.national_id.isdigit()
        assert m.admitted_on >= add_years(m.birth_date, 18)
        if m.status == Status.PROBATIONARY:
            # 12 months of probation, and a few whose cell has not met yet (under 50 days late).
            assert m.full_member_on is None and (today - m.admitted_on).days <= 366 + 50
        else:
            assert m.full_member_on is not None and 365 <= (m.full_member_on - m.admitted_on).days <= 366
        assert m.sort_key and m.search_text
    assert Member.objects.values("card_number").distinct().count() == Member.objects.count()
    # History rows exist although the members were written in bulk.
    assert Member.history.count() >= Member.objects.count()


def _admin() -> User:
    """The demonstration's administrator: the whole tree, as the data set wrote it."""
    return User.objects.get(username="quantri")


def test_the_bloc_exists_in_2020_with_its_base_organizations(demo):
    then = tree_as_of(BEFORE, user=_admin())
    bloc = next(v for v in then if v.name == "Đảng bộ Khối các cơ quan tỉnh")
    under_bloc = [v for v in then if v.parent_id == bloc.organization_id]
    assert len(under_bloc) >= round(77 * float(SCALE))
    assert not any(v.name == "Đảng bộ các cơ quan Đảng tỉnh" for v in then)


def test_today_the_bloc_is_dissolved_and_its_base_organizations_are_in_the_new_committees(demo):
    bloc = Organization.objects.get(code="khoi-cac-co-quan-tinh")
    assert (
        bloc.dissolved_on is not None and not Organization.objects.get_children(bloc).filter(dissolved_on__isnull=True).exists()
    )
    now = tree_as_of(dt.date.today(), user=_admin())
    assert bloc.pk not in {v.organization_id for v in now}
    party = Organization.objects.get(code="dang-bo-cac-co-quan-dang")
    ubnd = Organization.objects.get(code="dang-bo-ubnd-tinh")
    assert party.kind.code == ubnd.kind.code == "cap-tren-2025"
    party_children = {o.name for o in Organization.objects.get_children(party).filter(dissolved_on__isnull=True)}
    ubnd_children = {o.name for o in Organization.objects.get_children(ubnd).filter(dissolved_on__isnull=True)}
    assert "Chi bộ Ban Tổ chức Tỉnh ủy" in party_children
    assert "Đảng bộ Sở Tài chính" in ubnd_children
    assert "Đảng bộ Sở Nông nghiệp và Môi trường" in ubnd_children
    # The moves were recorded as dated changes, and the 2025 department merges too.
    assert OrgChange.objects.filter(kind="move", effective_on=bloc.dissolved_on).count() >= len(party_children)
    assert Organization.objects.get(code="so-ke-hoach-dau-tu").successor.code == "so-tai-chinh"


def test_the_split_and_the_rename_are_in_the_history(demo):
    assert OrgChange.objects.filter(kind="split").exists()
    assert OrgChange.objects.filter(kind="rename", effective_on__year=2017).exists()
    names_2010 = {v.name for v in tree_as_of(dt.date(2010, 1, 1), user=_admin())}
    assert "Đảng bộ Sở Văn hóa, Thể thao và Du lịch" in names_2010
    assert "Đảng bộ Sở Văn hóa – Thông tin" in {v.name for v in tree_as_of(dt.date(2005, 1, 1), user=_admin())}


def test_terms_exist_for_three_terms_with_committees(demo):
    for org in Organization.objects.filter(kind__level__in=[Level.BASE_COMMITTEE, Level.BASE_CELL], dissolved_on__isnull=True):
        names = set(Term.objects.filter(organization=org).values_list("name", flat=True))
        if org.founded_on < dt.date(2015, 1, 1):
            assert {"2015–2020", "2020–2025", "2025–2030"} <= names, org.name
    bloc_terms = set(Term.objects.filter(organization__code="khoi-cac-co-quan-tinh").values_list("name", flat=True))
    assert bloc_terms == {"2015–2020", "2020–2025"}
    for term in Term.objects.all():
        secretaries = term.seats.filter(role="secretary").order_by("started_on")
        assert secretaries.exists()
        for first, second in itertools.pairwise(secretaries):
            assert first.ended_on is not None and first.ended_on < second.started_on


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda d: d.username)
def test_each_demo_login_works(demo, client, login):
    user = User.objects.get(username=login.username)
    assert user.has_role(login.role) and user.full_name
    response = client.post(reverse("accounts:login"), {"username": login.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_member_login_is_a_member_of_its_cell(demo):
    user = User.objects.get(username="dangvien")
    assert user.member.full_name == user.full_name
    assert user.assignments.get().organization == user.member.organization
    assert User.objects.get(username="quantri").has_role(Role.ADMIN)


def test_the_login_table_lists_every_role(demo):
    table = login_table()
    for login in DEMO_LOGINS:
        assert login.username in table
    assert DEMO_PASSWORD in table


def test_if_empty_leaves_a_loaded_database_alone(demo):
    before = Organization.objects.count()
    out = StringIO()
    call_command("demo_data", "--if-empty", stdout=out)
    assert Organization.objects.count() == before
    assert "giữ nguyên" in out.getvalue()


def test_names_are_in_vietnamese_order_and_follow_the_frequencies():
    rng = random.Random(5)
    names = [random_name(rng) for _ in range(4000)]
    families = {f for f, _ in FAMILY_NAMES}
    assert all(n.family in families and n.full.split()[0] == n.family for n in names)
    share = sum(n.family == "Nguyễn" for n in names) / len(names)
    assert 0.33 < share < 0.44
    women = [n for n in names if n.sex == "F"]
    assert sum(n.middle.startswith("Thị") for n in women) / len(women) > 0.4
    assert [random_name(random.Random(9)).full for _ in range(3)] == [random_name(random.Random(9)).full for _ in range(3)]


# -- the members' history (issue 3) ---------------------------------------------------


def test_every_statistics_dimension_has_rows(demo):
    stats = selectors.member_statistics(Member.objects.all(), on=dt.date.today())
    assert stats.total > 0 and 0 < stats.youth < stats.total
    for key, rows in stats.dimensions().items():
        assert sum(r.count for r in rows) == stats.total, key
        assert len([r for r in rows if r.count]) >= 2 or key == "status", key
    assert any(r.label == "Kinh" and r.count > stats.total / 2 for r in stats.by_ethnicity)


def test_admissions_come_every_year_and_the_latest_are_probationary(demo):
    years = set(Member.objects.filter(admitted_on__year__gte=2015).values_list("admitted_on__year", flat=True))
    assert set(range(2015, dt.date.today().year + 1)) <= years
    assert Member.objects.filter(status=Status.PROBATIONARY).exists()
    assert Member.objects.filter(admitted_on__year__lt=1996).exists()  # old enough for 30-year badges


def test_the_working_lists_are_not_empty(demo):
    today = dt.date.today()
    members = Member.objects.all()
    assert selectors.probationary_due_for_full(members, on=today, within_days=366)
    assert BadgeAward.objects.exists()
    assert {b.awarded_on.strftime("%d/%m") for b in BadgeAward.objects.all()} <= {"03/02", "02/09"}
    assert selectors.badges_due(members, award_date=dt.date(today.year + 1, 2, 3))
    assert selectors.overdue_transfers(members, on=today)


def test_members_left_and_came_through_the_services(demo):
    statuses = set(StatusChange.objects.values_list("status", flat=True))
    assert {Status.DECEASED, Status.TRANSFERRED_OUT, Status.REMOVED} <= statuses
    assert Transfer.objects.filter(kind=TransferKind.IN, status=TransferStatus.COMPLETED).exists()
    assert CellMembership.objects.filter(kind=MembershipKind.TEMPORARY, ended_on__isnull=True).exists()
    assert Transfer.objects.filter(kind=TransferKind.WITHIN, status=TransferStatus.OPEN).exists()


def test_a_completed_transfer_within_shows_both_cells_in_the_history(demo):
    transfer = Transfer.objects.filter(kind=TransferKind.WITHIN, status=TransferStatus.COMPLETED).first()
    assert transfer is not None
    cells = list(transfer.member.memberships.filter(kind=MembershipKind.PERMANENT).order_by("started_on"))
    assert [c.organization_id for c in cells][-2:] == [transfer.from_org_id, transfer.to_org_id]
    assert cells[-2].ended_on == cells[-1].started_on == transfer.presented_on
    texts = [e.text for e in selectors.member_timeline(transfer.member)]
    assert any(transfer.from_org.name in t for t in texts) and any(transfer.to_org.name in t for t in texts)


def test_profiles_are_filled(demo):
    m = Member.objects.filter(transfers__isnull=True).exclude(ethnicity=None).first()
    assert m is not None
    assert m.hometown.endswith("tỉnh Bắc Giang") and m.residence and m.job and m.post and m.host_unit and m.profile_number


# -- the annual reviews (issue 8) ---------------------------------------------------------


def _round_of(year: int) -> ReviewRound:
    return ReviewRound.objects.get(organization__code="tinh-bac-giang", year=year)


def test_past_ratings_are_stored_as_given_in_closed_rounds_from_2020(demo):
    decided_year = dt.date.today().year - 1
    for year in range(2020, decided_year):
        round = _round_of(year)
        assert round.regime == RegimeChoice.GIVEN and round.is_closed, year
        assert round.member_reviews.exists() and round.organization_reviews.exists()
        assert not round.member_reviews.exclude(step=Step.DECIDED).exists()
        assert not round.organization_reviews.exclude(step=Step.DECIDED).exists()
        assert recount(year=year) == tallies(year=year), year
    province = Organization.objects.get(code="tinh-bac-giang")
    report = year_report(organization=province, year=decided_year - 1)
    assert report.members.rated == MemberReview.objects.filter(round__year=decided_year - 1).count()
    assert report.bases.rated and [y for y, _m, _b in report.earlier] == list(range(decided_year - 5, decided_year - 1))


def test_last_year_was_decided_under_regime_b_with_scores_discipline_and_quota_pressure(demo):
    round = _round_of(dt.date.today().year - 1)
    assert round.regime_module.code == "b_366" and round.is_closed
    rated = round.member_reviews.filter(excluded_rule="")
    assert rated.exists() and not rated.exclude(step=Step.DECIDED).exists()
    assert not rated.filter(general_points__isnull=True).exists()
    assert not round.organization_reviews.exclude(step=Step.DECIDED).exists()
    # Discipline in the year: a disciplined member is not complete, and the cap says why.
    assert Discipline.objects.in_force_in(round.year).filter(organization__isnull=False).exists()
    capped = [r for r in rated.filter(rating=Rating.NOT_COMPLETE) if "cap.disciplined" in {x["rule"] for x in r.proposal_reasons}]
    assert capped
    # Quota pressure: somewhere the proposals exceeded 20%, and the decision kept the quota.
    proposed: dict[int, list[int]] = {}
    for base_id, appraised in rated.values_list("base_id", "appraised_rating"):
        counts = proposed.setdefault(base_id, [0, 0])
        counts[0] += appraised == Rating.EXCELLENT
        counts[1] += appraised == Rating.GOOD
    assert any(e > excellent_quota(excellent=e, good=g, settings=round.quota_settings) for e, g in proposed.values())
    assert rated.filter(appraised_rating=Rating.EXCELLENT, rating=Rating.GOOD).exclude(decision_note="").exists()
    assert not [unit for unit in quota_units(round) if unit.overflow]
    assert recount(year=round.year) == tallies(year=round.year)


def test_this_years_round_is_open_at_self_assessment_with_december_deadlines(demo):
    year = dt.date.today().year
    round = _round_of(year)
    assert not round.is_closed and round.regime_module.code == "b_366"
    assert [d.month for d in (round.self_deadline, round.appraisal_deadline, round.decision_deadline)] == [12, 12, 12]
    assert round.decision_deadline.year == year
    assert not round.member_reviews.exclude(step=Step.SELF).exists()
    review = MemberReview.objects.get(round=round, member__user__username="dangvien", post="")
    assert review.excluded_rule == "" and review.self_assessed_at is None


def test_the_member_login_walks_its_form_through_the_three_steps_with_the_demo_logins(demo):
    review = MemberReview.objects.get(round=_round_of(dt.date.today().year), member__user__username="dangvien", post="")
    review = review_self_assess(
        review=review,
        user=User.objects.get(username="dangvien"),
        general_points=Decimal(26),
        result_points=Decimal(58),
        tasks_total=8,
        tasks_above=1,
    )
    assert review.proposed_rating == Rating.GOOD  # 84 points, every task on time
    review = review_appraise(review=review, user=User.objects.get(username="bithu.cb"), rating=Rating.GOOD)
    review = review_decide(
        review=review, user=User.objects.get(username="bithu.cs"), decided_on=dt.date.today(), decision_number="01-QĐ/ĐU"
    )
    assert review.step == Step.DECIDED and review.rating == Rating.GOOD
