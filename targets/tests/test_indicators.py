"""Each registered indicator against a hand count on the small tree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lib import indicators
from lib.indicators import Kind

TERM = (dt.date(2020, 1, 1), dt.date(2025, 12, 31))
YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def measure(code, organization, period, user=None):
    return indicators.get(code).measure(organization, *period, user)


def test_the_apps_register_their_indicators_at_start():
    codes = {i.code for i in indicators.all_indicators()}
    assert {
        "members.admitted",
        "members.admitted_youth",
        "members.in_party",
        "members.admitted_share",
        "reviews.members_good",
        "reviews.members_excellent",
        "reviews.members_excellent_of_good",
        "reviews.bases_good",
        "reviews.bases_excellent",
        "reviews.cells_good",
    } <= codes
    assert indicators.get("members.admitted").kind == Kind.COUNT
    assert indicators.get("reviews.members_good").kind == Kind.RATE


def test_admissions_in_the_term_count_those_admitted_within_it_and_not_before(cast, admissions):
    found = measure("members.admitted", cast.tree.bloc, TERM)
    assert (found.numerator, found.denominator) == (3, None)
    assert [m.given_name for m in found.row_list()] == ["Ba", "Bốn", "Năm"]
    assert measure("members.admitted", cast.tree.finance, TERM).numerator == 2


def test_youth_among_the_admitted_is_thirty_or_younger_on_the_day_of_admission(cast, admissions):
    found = measure("members.admitted_youth", cast.tree.bloc, TERM)
    assert found.numerator == 2
    assert {m.given_name for m in found.row_list()} == {"Ba", "Năm"}


def test_members_in_the_party_at_a_date_count_those_admitted_by_then(cast, admissions):
    assert measure("members.in_party", cast.tree.bloc, (TERM[0], dt.date(2020, 1, 1))).numerator == 1
    assert measure("members.in_party", cast.tree.bloc, (TERM[0], dt.date(2023, 12, 31))).numerator == 4


def test_admissions_as_a_share_of_the_members_at_the_term_start(cast, admissions):
    found = measure("members.admitted_share", cast.tree.bloc, TERM)
    assert (found.numerator, found.denominator) == (3, 1)
    assert found.value == Decimal(300)


def test_the_review_rates_match_a_hand_count_of_the_decided_ratings(cast, decided_2025):
    bloc = cast.tree.bloc
    good = measure("reviews.members_good", bloc, YEAR_2025)
    assert (good.numerator, good.denominator) == (3, 5)  # An, Hoa good; Lan excellent; of 5 rated
    assert good.value == Decimal(60)
    excellent = measure("reviews.members_excellent", bloc, YEAR_2025)
    assert (excellent.numerator, excellent.denominator) == (1, 5)
    of_good = measure("reviews.members_excellent_of_good", bloc, YEAR_2025)
    assert (of_good.numerator, of_good.denominator) == (1, 3)
    assert (
        measure("reviews.bases_good", bloc, YEAR_2025).numerator,
        measure("reviews.bases_good", bloc, YEAR_2025).denominator,
    ) == (2, 2)
    assert measure("reviews.bases_excellent", bloc, YEAR_2025).value == Decimal(50)
    cells = measure("reviews.cells_good", bloc, YEAR_2025)
    assert (cells.numerator, cells.denominator) == (1, 2)


def test_a_review_rate_is_read_in_one_query_with_the_subtree_of_its_year(cast, decided_2025, django_assert_num_queries):
    # The organization's path on 31/12 of the year is read inside the query (reviews.selectors.subtree_tallies).
    with django_assert_num_queries(1):
        found = measure("reviews.organizations_good", cast.tree.bloc, YEAR_2025)
    assert (found.numerator, found.denominator) == (
        measure("reviews.bases_good", cast.tree.bloc, YEAR_2025).numerator
        + measure("reviews.cells_good", cast.tree.bloc, YEAR_2025).numerator,
        4,
    )


def test_the_rows_behind_a_rate_are_the_reviews_its_numerator_counts(cast, decided_2025):
    rows = measure("reviews.members_good", cast.tree.bloc, YEAR_2025, cast.upper).row_list()
    assert sorted(r.member.given_name for r in rows) == ["An", "Hoa", "Lan"]


def test_a_cell_secretary_counts_only_their_cell_and_sees_only_its_rows(cast, decided_2025):
    found = measure("reviews.members_good", cast.tree.office_cell, YEAR_2025, cast.cell)
    assert (found.numerator, found.denominator) == (1, 2)  # An good, Đức complete
    at_bloc = measure("reviews.members_good", cast.tree.bloc, YEAR_2025, cast.cell)
    assert [r.member.given_name for r in at_bloc.row_list()] == ["An"]


def test_a_rate_with_nothing_rated_has_no_value(cast):
    assert measure("reviews.members_good", cast.tree.bloc, YEAR_2025).value is None


def test_a_review_rate_reads_the_subtree_as_it_stood_at_the_end_of_its_year(cast, decided_2025):
    from orgs.services import NewOrgSpec, organization_found, organization_move

    finance = cast.tree.finance
    before = measure("reviews.members_good", finance, YEAR_2025)
    spec = NewOrgSpec(code="dbct-moi", name="Đảng bộ cấp trên mới", kind=cast.tree.kinds["cap-tren-2025"])
    upper = organization_found(parent=cast.tree.province, spec=spec, effective_on=dt.date(2026, 1, 1)).organization
    organization_move(organization=finance, new_parent=upper, effective_on=dt.date(2026, 3, 1))
    finance.refresh_from_db()
    assert finance.path.startswith(upper.path)  # today's path: under the new committee
    after = measure("reviews.members_good", finance, YEAR_2025)
    assert before.denominator and (after.numerator, after.denominator) == (before.numerator, before.denominator)
