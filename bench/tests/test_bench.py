"""The benchmark harness on a tiny bloc: every measure answers the same from both sides."""

from __future__ import annotations

import json

import pytest

from bench import measures
from bench.__main__ import main
from bench.generator import PAST_DATE, RESTRUCTURED_ON, SIZES, generate, step
from bench.registry import MEASURES, AnswerMismatch, Measure, Sides, run_measure, selected
from discipline.models import Discipline
from members.models import IN_PARTY_STATUSES, Member
from orgs.models import Level, Organization, OrgVersion
from reviews.models import ReviewRound

pytestmark = pytest.mark.django_db

KEYS = {"name", "size", "app_s", "limit_s", "ratio"}


@pytest.fixture
def tiny_bloc():
    return generate("bloc", scale=0.05, seed=7)


def test_path_steps_follow_treebeards_alphabet():
    assert [step(1), step(9), step(10), step(35), step(36), step(37)] == ["0001", "0009", "000A", "000Z", "0010", "0011"]
    assert step(36**4 - 1) == "ZZZZ"


def test_it_writes_a_tree_that_treebeard_finds_sound(tiny_bloc):
    assert all(problem == [] for problem in Organization.objects.find_problems())
    assert tiny_bloc.organizations == Organization.objects.count()
    assert tiny_bloc.members == Member.objects.count()


def test_members_sit_in_cells_only(tiny_bloc):
    levels = set(Member.objects.values_list("organization__kind__level", flat=True).distinct())
    assert levels <= {Level.BASE_CELL, Level.CELL}
    assert Member.objects.filter(national_id__regex=r"^\d{12}$").count() == Member.objects.count()


def test_the_tree_of_the_past_differs_from_todays(tiny_bloc):
    then = {v.organization_id: v.path for v in OrgVersion.objects.as_of(PAST_DATE)}
    now = {v.organization_id: v.path for v in OrgVersion.objects.as_of(RESTRUCTURED_ON)}
    moved = [pk for pk in then if pk in now and then[pk] != now[pk]]
    assert moved, "base organizations must have moved in 2025"
    ended = Organization.objects.filter(dissolved_on=RESTRUCTURED_ON)
    assert ended.exists() and all(org.pk in then and org.pk not in now for org in ended)
    # Today's versions carry today's paths.
    for org in Organization.objects.all()[:50]:
        current = OrgVersion.objects.filter(organization=org, valid_to__isnull=True).first()
        assert current is None or current.path == org.path


@pytest.mark.parametrize("name", ["subtree_member_count", "tree_page", "tree_as_of"])
def test_each_measure_answers_the_same_both_ways_and_prints_its_line(tiny_bloc, name):
    ctx = measures.build_context("bloc")
    line = run_measure(MEASURES[name], ctx, min_runs=1, max_runs=1)
    assert set(line) == KEYS
    assert line["name"] == name and line["size"] == "bloc"
    assert line["app_s"] > 0 and line["limit_s"] > 0
    assert json.loads(json.dumps(line)) == line
    sides = MEASURES[name].build(ctx)
    answer = sides.app()
    assert answer == sides.limit()
    assert answer, "a measure over an empty answer measures nothing"


def test_the_member_count_is_the_count_of_members_in_the_party(tiny_bloc):
    ctx = measures.build_context("bloc")
    expected = sum(1 for s in Member.objects.values_list("status", flat=True) if s in IN_PARTY_STATUSES)
    assert MEASURES["subtree_member_count"].build(ctx).app() == expected


def test_the_past_tree_shows_the_dissolved_blocs(tiny_bloc):
    ctx = measures.build_context("bloc")
    rows = MEASURES["tree_as_of"].build(ctx).limit()
    names = [name for _, _, name in rows]
    assert any(name.startswith("Đảng bộ Khối") for name in names)
    assert not any(name.startswith("Đảng bộ cấp trên") for name in names)


def test_the_harness_refuses_two_different_answers():
    ctx = measures.Context(size="bloc", province=Organization(), upper=Organization())
    wrong = Measure(name="wrong", build=lambda ctx: Sides(app=lambda: 1, limit=lambda: 2))
    with pytest.raises(AnswerMismatch):
        run_measure(wrong, ctx, min_runs=1, max_runs=1)


def test_it_selects_one_measure_by_name_and_refuses_an_unknown_one():
    assert [m.name for m in selected("bloc", "tree_page")] == ["tree_page"]
    with pytest.raises(KeyError):
        selected("bloc", "no_such_measure")


def test_the_nation_size_needs_postgresql(monkeypatch, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert SIZES["nation"].postgres_only
    assert main(["--size", "nation"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def test_generation_is_deterministic():
    first = generate("bloc", scale=0.02, seed=11)
    names = list(Member.objects.order_by("national_id").values_list("family_name", "middle_name", "given_name", "national_id"))
    orgs = list(Organization.objects.order_by("path").values_list("path", "code"))
    ReviewRound.objects.all().delete()  # their reviews with them; reviews and disciplines protect members
    Discipline.objects.all().delete()
    Member.objects.all().delete()
    OrgVersion.objects.all().delete()
    Organization.objects.all().delete()
    second = generate("bloc", scale=0.02, seed=11)
    assert first.members == second.members
    assert names == list(
        Member.objects.order_by("national_id").values_list("family_name", "middle_name", "given_name", "national_id")
    )
    assert orgs == list(Organization.objects.order_by("path").values_list("path", "code"))
