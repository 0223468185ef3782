"""A cell's scores from a spreadsheet: the grid's template and its import, all rows or none.

The template lists the cell's members in the round with their form number ("Mã phiếu"),
so each row finds its review without guessing; a file kept by hand may name the member
instead (folded full name, unique in the cell). Each row goes through the same steps as
the grid on the page (``reviews.services.review_self_assess`` then ``review_appraise``),
inside one transaction: one bad row writes nothing, and every problem is reported as
"Dòng N, cột X: …".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from lib.importer import (
    ROW_KEY,
    CellError,
    Choice,
    Column,
    ImportRefused,
    ImportSpec,
    Integer,
    ParseResult,
    RowError,
    Text,
    parse,
)
from lib.tabular import Source, write_xlsx
from lib.text import fold
from reviews import services
from reviews.given import RATING_ALIASES
from reviews.models import MemberReview, Step
from reviews.regimes.base import Rating


class Points:
    """Points with at most two decimals, "62,5" or "62.5"."""

    description = gettext_lazy("số điểm")

    def __call__(self, value: Any) -> Decimal:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise CellError(_("không phải số điểm «%(value)s»") % {"value": value}) from None
        if number < 0 or number > 100 or number != number.quantize(Decimal("0.01")):
            raise CellError(_("số điểm từ 0 đến 100, tối đa hai chữ số thập phân")) from None
        return number


SPEC = ImportSpec(
    columns=[
        Column("review", gettext_noop("Mã phiếu"), Integer(1), aliases=("Mã",)),
        Column("name", gettext_noop("Họ và tên"), Text(160), aliases=("Họ tên",)),
        Column("general_points", gettext_noop("Điểm tiêu chí chung"), Points(), aliases=("Điểm chung",)),
        Column("result_points", gettext_noop("Điểm kết quả thực hiện nhiệm vụ"), Points(), aliases=("Điểm kết quả",)),
        Column("tasks_total", gettext_noop("Số nhiệm vụ"), Integer(0, 999)),
        Column("tasks_late", gettext_noop("Số nhiệm vụ chậm tiến độ"), Integer(0, 999), aliases=("Chậm",)),
        Column("tasks_above", gettext_noop("Số nhiệm vụ vượt yêu cầu"), Integer(0, 999), aliases=("Vượt",)),
        Column(
            "rating",
            gettext_noop("Chi bộ đề xuất"),
            Choice([(value, str(label)) for value, label in Rating.choices], aliases=RATING_ALIASES),
            aliases=("Đề xuất", "Xếp loại"),
        ),
        Column("note", gettext_noop("Lý do (nếu khác mức theo quy định)"), Text(500), aliases=("Lý do",)),
    ],
    name="cell_scores",
)


def grid_template(reviews: list[MemberReview]) -> bytes:
    """The cell's sheet to fill in: one row per member to rate, with their form number."""
    rows = [
        [r.pk, r.member.full_name, r.general_points, r.result_points, r.tasks_total, r.tasks_late, r.tasks_above, "", ""]
        for r in reviews
        if not r.excluded_rule and r.step != Step.DECIDED
    ]
    return write_xlsx([str(_(c.label)) for c in SPEC.columns], rows, sheet_name=str(_("Kết quả chi bộ")))


@dataclass
class GridContext:
    reviews: list[MemberReview]


def _find(row: dict[str, Any], ctx: GridContext) -> MemberReview | str:
    by_pk = {r.pk: r for r in ctx.reviews}
    if row.get("review") is not None:
        return by_pk.get(row["review"]) or _("không có phiếu số %(pk)s trong chi bộ này") % {"pk": row["review"]}
    name = fold(row.get("name") or "")
    matches = [r for r in ctx.reviews if fold(r.member.full_name) == name]
    if not name:
        return _("cần Mã phiếu hoặc Họ và tên")
    if len(matches) != 1:
        return _("không tìm thấy đúng một đảng viên tên «%(name)s» trong chi bộ") % {"name": row.get("name")}
    return matches[0]


def grid_import(file: Source, filename: str, *, reviews: list[MemberReview], user: Any) -> int:
    """Save the scores (and the proposals) of ``file`` for ``reviews``: every row or none."""
    result: ParseResult = parse(file, filename, SPEC, GridContext(reviews))
    if not result.ok:
        raise ImportRefused(result)
    labels = {c.key: str(_(c.label)) for c in SPEC.columns}
    saved = 0
    with transaction.atomic():
        for row in result.rows:
            found = _find(row, GridContext(reviews))
            if isinstance(found, str):
                result.add(RowError(row[ROW_KEY], labels["review"], found))
                continue
            values = {k: row.get(k) for k in ("general_points", "result_points")}
            values.update({k: row.get(k) or 0 for k in ("tasks_total", "tasks_late", "tasks_above")})
            try:
                review = found
                if review.step == Step.SELF:
                    review = services.review_self_assess(review=review, user=user, **values)
                if row.get("rating"):
                    services.review_appraise(review=review, user=user, rating=row["rating"], note=row.get("note") or "")
                saved += 1
            except ValidationError as error:
                for message in error.messages:
                    result.add(RowError(row[ROW_KEY], labels["rating"], message))
        if not result.ok:
            transaction.set_rollback(True)
            raise ImportRefused(result)
    return saved
