"""Date helpers: parsing and showing dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_date(text: str) -> dt.date:
    """Parse dd/mm/yyyy (or ISO yyyy-mm-dd). Raises ValueError with a Vietnamese message."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(gettext("Ngày không hợp lệ: «%(text)s». Hãy nhập theo dạng dd/mm/yyyy.") % {"text": text})
