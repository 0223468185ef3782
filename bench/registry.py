"""Measures and the harness that times them.

A measure is a function registered with ``@measure("name")``. It receives a ``Context``
(the data set's size and a few chosen nodes) and returns ``Sides``: two callables that
compute the same answer, one through the application, one with hand-written SQL. The
harness checks that the answers are equal (a benchmark of a wrong answer measures
nothing), then times each side several times and keeps the best.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sides:
    app: Callable[[], Any]
    limit: Callable[[], Any]
    # Optional: more keys for the JSON line, computed after the timings (which it receives).
    report: Callable[[dict[str, Any]], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Measure:
    name: str
    build: Callable[[Any], Sides]
    sizes: tuple[str, ...] = ()  # empty: every size
    runs: int | None = None  # a measure too long to repeat: time each side exactly this many times


MEASURES: dict[str, Measure] = {}


def measure(
    name: str, *, sizes: tuple[str, ...] = (), runs: int | None = None
) -> Callable[[Callable[[Any], Sides]], Callable[[Any], Sides]]:
    """Register a measure under ``name`` (later issues add theirs from their own modules)."""

    def register(fn: Callable[[Any], Sides]) -> Callable[[Any], Sides]:
        if name in MEASURES and MEASURES[name].build is not fn:
            raise ValueError(f"measure {name!r} is registered twice")
        MEASURES[name] = Measure(name=name, build=fn, sizes=sizes, runs=runs)
        return fn

    return register


class AnswerMismatch(AssertionError):
    pass


@dataclass
class Timing:
    best: float
    median: float
    runs: int


def time_it(fn: Callable[[], Any], *, min_runs: int = 3, max_runs: int = 15, budget_s: float = 2.0) -> Timing:
    """Run ``fn`` at least ``min_runs`` times, more while under ``budget_s``."""
    times: list[float] = []
    spent = 0.0
    while len(times) < min_runs or (len(times) < max_runs and spent < budget_s):
        started = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        spent += elapsed
    return Timing(best=min(times), median=statistics.median(times), runs=len(times))


def _timed_runs(fn: Callable[[], Any], runs: int) -> tuple[Timing, Any]:
    """Time ``fn`` exactly ``runs`` times, keeping its (last) answer."""
    times = []
    answer = None
    for _ in range(runs):
        started = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - started)
    return Timing(best=min(times), median=statistics.median(times), runs=runs), answer


def run_measure(m: Measure, ctx: Any, *, min_runs: int = 3, max_runs: int = 15) -> dict[str, Any]:
    sides = m.build(ctx)
    if m.runs:  # long measures: the timed runs also give the answers compared
        app, app_answer = _timed_runs(sides.app, m.runs)
        limit, limit_answer = _timed_runs(sides.limit, m.runs)
    else:
        app_answer, limit_answer = sides.app(), sides.limit()
    if app_answer != limit_answer:
        raise AnswerMismatch(f"{m.name}: the application answered {_short(app_answer)}, the SQL {_short(limit_answer)}")
    if not m.runs:
        app = time_it(sides.app, min_runs=min_runs, max_runs=max_runs)
        limit = time_it(sides.limit, min_runs=min_runs, max_runs=max_runs)
    result = {
        "name": m.name,
        "size": ctx.size,
        "app_s": round(app.best, 6),
        "limit_s": round(limit.best, 6),
        "ratio": round(app.best / limit.best, 2) if limit.best > 0 else None,
    }
    if sides.report is not None:
        result.update(sides.report(result))
    return result


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 300 else text[:300] + "…"


def selected(size: str, only: str | None = None) -> list[Measure]:
    if only is not None and only not in MEASURES:
        raise KeyError(f"no measure named {only!r}; known: {', '.join(sorted(MEASURES))}")
    return [m for name, m in MEASURES.items() if (only is None or name == only) and (not m.sizes or size in m.sizes)]
