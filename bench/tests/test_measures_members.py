"""The member measures on a tiny bloc: both sides give the same, non-empty answer."""

from __future__ import annotations

import pytest

from bench import measures, measures_members
from bench.generator import TODAY, generate
from bench.registry import MEASURES, run_measure
from members import selectors
from members.models import Member, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_bloc():
    return generate("bloc", scale=0.05, seed=7)


def test_the_generator_writes_the_status_history_the_statistics_read(tiny_bloc):
    assert tiny_bloc.status_changes == StatusChange.objects.count() >= Member.objects.count()
    assert tiny_bloc.memberships == Member.objects.count()
    stats = selectors.member_statistics(Member.objects.all(), on=TODAY)
    assert stats.total == Member.objects.in_party().count()
    assert len([r for r in stats.by_ethnicity if r.count]) > 1


@pytest.mark.parametrize("name", ["member_list_page", "member_statistics_page"])
def test_each_member_measure_answers_the_same_both_ways(tiny_bloc, name):
    ctx = measures.build_context("bloc")
    line = run_measure(MEASURES[name], ctx, min_runs=1, max_runs=1)
    assert line["name"] == name and line["app_s"] > 0 and line["limit_s"] > 0
    sides = MEASURES[name].build(ctx)
    answer = sides.app()
    assert answer == sides.limit()
    assert answer, "a measure over an empty answer measures nothing"


def test_the_list_measure_finds_members_on_its_page(tiny_bloc):
    ctx = measures.build_context("bloc")
    ids, total = MEASURES["member_list_page"].build(ctx).app()
    assert ids and total >= len(ids)
    word = measures_members.common_given_name()
    assert all(word in m.search_text for m in Member.objects.filter(pk__in=ids))


def test_the_statistics_line_reports_the_page_time(tiny_bloc):
    line = run_measure(MEASURES["member_statistics_page"], measures.build_context("bloc"), min_runs=1, max_runs=1)
    assert line["page_s"] > 0
