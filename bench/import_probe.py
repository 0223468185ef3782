"""``python -m bench.import_probe FILE``: the application's import of FILE in a process of its own.

The import benchmark runs it to measure the import's peak memory as the operating system
sees it (maximum resident set size), which includes what the .xlsx reader allocates outside
Python and what a long-lived benchmark process already holds. It uses the database the
benchmark set in the environment, rolls the import back, and prints one JSON line:
``{"created", "seconds", "max_rss_mb"}``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.import_probe FILE", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    import django

    django.setup()
    from bench.measures_import import _importer, app_import

    path = Path(argv[0])
    user = _importer()
    started = time.perf_counter()
    created = app_import(path, user)
    seconds = time.perf_counter() - started
    print(json.dumps({"created": created, "seconds": round(seconds, 3), "max_rss_mb": round(peak_rss_mb(), 1)}))
    return 0


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB.

    Linux's ``VmHWM`` is that of this program alone: ``getrusage``'s ``ru_maxrss`` carries
    the parent's size over a fork and exec, so a child of the big benchmark process would
    report the parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
