"""What every router shares: authentication, the current user, paging, parameter types."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.security import HttpBearer, django_auth
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from accounts.models import ApiToken, User
from lib.dates import parse_date

# Organization.code is a SlugField: ASCII letters, digits, hyphens and underscores.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_MAX = 40


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a personal API token; it carries its owner's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = ApiToken.authenticate(token.strip())
        if user is not None:
            # Pages, simple-history and rules read request.user: make it the token's owner.
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]


def current_user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


# ---------------------------------------------------------------------------------------
# Parameter types


def _parse_date_param(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(_("Ngày không hợp lệ: hãy nhập dạng yyyy-mm-dd hoặc dd/mm/yyyy."))
    return parse_date(value)


DateParam = Annotated[
    dt.date,
    BeforeValidator(_parse_date_param),
    WithJsonSchema({"type": "string", "format": "date", "description": "yyyy-mm-dd hoặc dd/mm/yyyy"}),
]


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
    if value is not None and "\x00" in value:
        raise ValueError(_("Không được chứa ký tự NUL."))
    return value


SearchText = Annotated[str, Field(max_length=100), AfterValidator(_no_nul)]
Code = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=500, description="Số dòng mỗi trang (1–500).")
    offset: int = Field(0, ge=0, le=1_000_000_000, description="Bỏ qua bao nhiêu dòng đầu.")


def page(qs: QuerySet, params: PageParams) -> tuple[int, list[Any]]:
    """The total count and the rows of one page."""
    count = qs.count()
    if params.offset >= count:
        return count, []
    return count, list(qs[params.offset : params.offset + params.limit])
