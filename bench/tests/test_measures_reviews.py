"""The review measures on a tiny bloc: the generated tallies equal a recount, and both
sides of each measure give the same, non-empty answer."""

from __future__ import annotations

import pytest

from bench import measures, measures_reviews
from bench.generator import generate
from bench.generator_reviews import REPORT_YEAR, YEARS
from bench.registry import MEASURES, run_measure
from reviews.models import MemberReview, ReviewRound
from reviews.selectors import recount, tallies

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_bloc():
    return generate("bloc", scale=0.05, seed=7)


def test_the_generator_writes_a_closed_round_a_year_and_tallies_equal_to_a_recount(tiny_bloc):
    assert sorted(ReviewRound.objects.values_list("year", flat=True)) == list(YEARS["bloc"])
    assert not ReviewRound.objects.filter(closed_at__isnull=True).exists()
    for year in YEARS["bloc"]:
        assert recount(year=year) == tallies(year=year), year
    assert MemberReview.objects.filter(round__year=REPORT_YEAR).exclude(excluded_rule="").exists()
    assert MemberReview.objects.filter(round__year=REPORT_YEAR, rating="not_complete").exists()


def test_the_report_measure_answers_the_same_from_tallies_sql_and_a_recount(tiny_bloc):
    ctx = measures.build_context("bloc")
    line = run_measure(MEASURES["review_year_report"], ctx, min_runs=1, max_runs=1)
    assert line["recount_s"] > 0
    answer = MEASURES["review_year_report"].build(ctx).app()
    assert sum(answer["members"][:4]) > 0 and answer["by_child"] and answer["earlier"]


def test_the_proposals_measure_recomputes_every_review_of_the_round(tiny_bloc):
    ctx = measures.build_context("bloc")
    line = run_measure(MEASURES["review_proposals"], ctx)
    round = measures_reviews._round(ctx)
    assert line["reviews"] == round.member_reviews.count() + round.organization_reviews.count()
    # The generator decided what the rules propose, except where a reason it records says otherwise.
    assert line["agree_with_decision"] > 0.9 * line["reviews"]
