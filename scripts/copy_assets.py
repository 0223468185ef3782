"""Copy the front-end files dangbo uses from node_modules to static/dist (not committed)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
DIST = ROOT / "static" / "dist"

FILES = {
    "@tabler/core/dist/css/tabler.min.css": "tabler.min.css",
    "@tabler/core/dist/js/tabler.min.js": "tabler.min.js",
    "alpinejs/dist/cdn.min.js": "alpine.min.js",
    "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    # The date picker on every dd/mm/yyyy field (static/js/datepicker.js), with its Vietnamese locale.
    "flatpickr/dist/flatpickr.min.js": "flatpickr.min.js",
    "flatpickr/dist/flatpickr.min.css": "flatpickr.min.css",
    "flatpickr/dist/l10n/vn.js": "flatpickr-vn.js",
}
FONT_WEIGHTS = ("400", "500", "600", "700")
FONT_SUBSETS = ("vietnamese", "latin", "latin-ext")


def main() -> int:
    if not NODE.is_dir():
        print("node_modules is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    DIST.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        shutil.copyfile(NODE / source, DIST / target)
        # The minified files end with a sourceMappingURL comment: collectstatic's manifest
        # storage follows it and fails when the map is missing, so the map travels along.
        source_map = NODE / f"{source}.map"
        if source_map.is_file():
            shutil.copyfile(source_map, DIST / f"{target}.map")
    font_dir = NODE / "@fontsource" / "be-vietnam-pro"
    (DIST / "files").mkdir(exist_ok=True)
    for weight in FONT_WEIGHTS:
        shutil.copyfile(font_dir / f"{weight}.css", DIST / f"be-vietnam-pro-{weight}.css")
        for subset in FONT_SUBSETS:
            for ext in ("woff2", "woff"):
                name = f"be-vietnam-pro-{subset}-{weight}-normal.{ext}"
                shutil.copyfile(font_dir / "files" / name, DIST / "files" / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
