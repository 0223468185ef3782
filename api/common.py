"""What every router shares: authentication, the current user, paging, parameter types."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, django_auth
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema, field_validator

from accounts import otp
from accounts.models import ApiToken, User
from api.errors import SecondFactorRequired
from lib.dates import parse_date
from lib.i18n import lazy_text

# Organization.code is a SlugField: ASCII letters, digits, hyphens and underscores.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_MAX = 40


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a personal API token; it carries its owner's scope.

    The token of a user whom the two-factor policy requires to use an authenticator works
    only once they have one (``accounts.otp.api_tokens_usable``): 401 with a message that
    says so.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = ApiToken.authenticate(token.strip())
        if user is not None and not otp.api_tokens_usable(user):
            raise SecondFactorRequired
        if user is not None:
            # Pages, simple-history and rules read request.user: make it the token's owner.
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]


def current_user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


class Renderer(JSONRenderer):
    """JSON with Vietnamese letters as they are, not as \\u escapes."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        text = json.dumps(data, cls=self.encoder_class, ensure_ascii=False)
        return text.encode("utf-8", "replace")


def format_day(value: dt.date) -> str:
    """dd/mm/yyyy, with the year on four digits even before year 1000."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


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
    WithJsonSchema({"type": "string", "format": "date", "description": gettext_lazy("yyyy-mm-dd hoặc dd/mm/yyyy")}),
]


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
    if value is not None and "\x00" in value:
        raise ValueError(_("Không được chứa ký tự NUL."))
    return value


SearchText = Annotated[str, Field(max_length=100), AfterValidator(_no_nul)]
Name = Annotated[str, Field(max_length=255), AfterValidator(_no_nul)]
ShortText = Annotated[str, Field(max_length=80), AfterValidator(_no_nul)]
LongText = Annotated[str, Field(max_length=2000), AfterValidator(_no_nul)]
Code = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]


class QueryParams(Schema):
    """Query parameters where an empty value (``?kind=``, as a form sends it) means "not given"."""

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_absent(cls, value: Any) -> Any:
        return None if value == "" else value


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=500, description=lazy_text(gettext_lazy("Số dòng mỗi trang (1–500).")))
    offset: int = Field(0, ge=0, le=1_000_000_000, description=lazy_text(gettext_lazy("Bỏ qua bao nhiêu dòng đầu.")))


def page(qs: QuerySet, params: PageParams) -> tuple[int, list[Any]]:
    """The total count and the rows of one page."""
    count = qs.count()
    if params.offset >= count:
        return count, []
    return count, list(qs[params.offset : params.offset + params.limit])
