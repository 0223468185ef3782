"""``python -m bench --size bloc|province|nation [--only NAME] [--reuse]``.

Builds its own database (``var/bench-<size>.sqlite3``, or ``DATABASE_URL`` when set),
generates the data set, then prints one JSON object per measure on stdout:
``{"name", "size", "app_s", "limit_s", "ratio"}``. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SIZE_NAMES = ("bloc", "province", "nation")


def _log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="dangbo benchmark: application path vs hand-written SQL."
    )
    parser.add_argument("--size", choices=SIZE_NAMES, default="bloc")
    parser.add_argument("--only", help="run one measure by name")
    parser.add_argument("--reuse", action="store_true", help="keep the data set already in the database, if any")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0, help="shrink or grow the data set (tests use a small scale)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if args.size == "nation" and not database_url.startswith(("postgres://", "postgresql://")):
        _log("the nation size (5.6 million members) runs on PostgreSQL only:")
        _log("set DATABASE_URL=postgres://… to a database of its own.")
        return 2
    if not database_url:
        path = BASE_DIR / "var" / f"bench-{args.size}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DANGBO_SQLITE_PATH"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    # Query logging under DEBUG would slow the application's side only.
    os.environ.setdefault("DANGBO_DEBUG", "false")
    os.environ.setdefault("DANGBO_AXES_ENABLED", "false")

    import warnings

    import django

    # WhiteNoise warns when collectstatic has not run; the bench serves no static file.
    warnings.filterwarnings("ignore", message="No directory at")

    django.setup()
    from django.core.management import call_command

    from bench import (
        measures,
        measures_counts,  # noqa: F401 - registers member_statistics_national and the member indicators
        measures_import,  # noqa: F401 - registers member_import_xlsx
        measures_members,  # noqa: F401 - registers member_list_page, member_statistics_page
        measures_reconcile,  # noqa: F401 - registers member_reconcile_xlsx
        measures_reviews,  # noqa: F401 - registers review_year_report, review_proposals
        measures_targets,  # noqa: F401 - registers targets_dashboard_root, targets_dashboard_province
    )
    from bench.generator import generate
    from bench.registry import run_measure, selected
    from orgs.models import Organization

    call_command("migrate", verbosity=0)
    if args.reuse and Organization.objects.exists():
        _log("reusing the data set already in the database")
    else:
        if Organization.objects.exists():
            _log("emptying the database")
            call_command("flush", interactive=False, verbosity=0)
        _log(f"generating the {args.size} data set…")
        stats = generate(args.size, scale=args.scale, seed=args.seed, log=_log)
        made = f"{stats.organizations} organizations, {stats.versions} versions, {stats.members} members"
        _log(f"generated {made} in {stats.seconds:.1f} s")

    ctx = measures.build_context(args.size)
    try:
        chosen = selected(args.size, args.only)
    except KeyError as exc:
        _log(str(exc.args[0]))
        return 2
    for m in chosen:
        print(json.dumps(run_measure(m, ctx), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
