"""One error shape for the whole API, and the handlers that produce it.

Every failure answers ``{"detail": "<Vietnamese message>"}``, with an ``errors`` list of
``{field, message}`` when the fault lies in given fields (400 and 422). Each operation
declares these responses (``ERROR_RESPONSES``) so the OpenAPI document is complete.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] | None = None


ERROR_RESPONSES: dict[int, type[Schema]] = dict.fromkeys((400, 401, 403, 404, 422), ErrorOut)


def not_found_message() -> str:
    return _("Không tìm thấy.")


def unauthenticated_message() -> str:
    return _("Chưa xác thực: hãy gửi mã truy cập API (Authorization: Bearer <mã>) hoặc đăng nhập.")


def forbidden_message() -> str:
    return _("Bạn không có quyền thực hiện thao tác này.")


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


# ---------------------------------------------------------------------------------------
# Ninja's own validation errors (pydantic) in Vietnamese


def _pydantic_message(error: dict[str, Any]) -> str:
    """A Vietnamese sentence for one pydantic error (type codes of pydantic 2)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    if kind == "missing":
        return _("Thiếu giá trị bắt buộc.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Phải là một số nguyên.")
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        op = "≥" if kind == "greater_than_equal" else ">"
        return _("Phải %(op)s %(bound)s.") % {"op": op, "bound": bound}
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        op = "≤" if kind == "less_than_equal" else "<"
        return _("Phải %(op)s %(bound)s.") % {"op": op, "bound": bound}
    if kind in ("bool_parsing", "bool_type"):
        return _("Phải là true hoặc false.")
    if kind in ("enum", "literal_error"):
        return _("Phải là một trong các giá trị: %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("Không đúng định dạng (chỉ gồm chữ không dấu, chữ số, dấu gạch ngang, gạch dưới).")
    if kind in ("string_too_long", "too_long"):
        return _("Dài quá %(n)s ký tự.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Ngắn hơn %(n)s ký tự.") % {"n": ctx.get("min_length")}
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Ngày không hợp lệ: hãy nhập dạng yyyy-mm-dd hoặc dd/mm/yyyy.")
    if kind in ("json_invalid", "model_attributes_type", "dict_type"):
        return _("Nội dung gửi lên không phải JSON hợp lệ.")
    return _("Giá trị không hợp lệ.")


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in (loc or ()) if p not in ("query", "path", "body", "header", "cookie", "form")]
    return ".".join(parts) or "request"


def _on_ninja_validation(api: NinjaAPI, request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _field_name(e.get("loc")), "message": _pydantic_message(e)} for e in exc.errors]
    first = errors[0] if errors else {"field": "request", "message": _("Giá trị không hợp lệ.")}
    detail = _("Yêu cầu không hợp lệ: %(field)s: %(message)s") % first
    return _error(api, request, 422, detail, errors)


# ---------------------------------------------------------------------------------------
# Django errors raised by services and lookups


def django_validation_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if field == "__all__" else field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": str(message)} for message in exc.messages]


def _on_django_validation(api: NinjaAPI, request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = django_validation_errors(exc)
    detail = errors[0]["message"] if errors else _("Dữ liệu không hợp lệ.")
    return _error(api, request, 400, detail, errors)


def _on_not_found(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    # Http404 raised with our own Vietnamese message keeps it; Django's defaults do not.
    message = str(exc) if isinstance(exc, ApiNotFound) else not_found_message()
    return _error(api, request, 404, message)


def _on_permission_denied(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(api, request, 403, forbidden_message())


class SecondFactorRequired(AuthenticationError):
    """A valid token whose owner must use two-factor login and has not enrolled."""


def second_factor_required_message() -> str:
    return _("Tài khoản của mã này phải dùng xác thực hai bước: mã API chỉ dùng được sau khi tài khoản đã bật xác thực hai bước.")


def _on_unauthenticated(api: NinjaAPI, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = second_factor_required_message() if isinstance(exc, SecondFactorRequired) else unauthenticated_message()
    response = _error(api, request, 401, detail)
    response["WWW-Authenticate"] = 'Bearer realm="dangbo"'
    return response


def _on_http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {
        400: _("Nội dung gửi lên không phải JSON hợp lệ.") if "parse" in str(exc).lower() else _("Yêu cầu không hợp lệ."),
        401: unauthenticated_message(),
        403: _("Kiểm tra CSRF không đạt: hãy tải lại trang rồi thử lại.") if "csrf" in str(exc).lower() else forbidden_message(),
        404: not_found_message(),
        405: _("Phương thức không được hỗ trợ."),
        429: _("Quá nhiều yêu cầu, hãy thử lại sau."),
    }
    return _error(api, request, exc.status_code, messages.get(exc.status_code, str(exc)))


class ApiNotFound(Http404):
    """A 404 whose message (Vietnamese) is shown to the caller as it is."""


def install_error_handlers(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Any]] = [
        (NinjaValidationError, _on_ninja_validation),
        (DjangoValidationError, _on_django_validation),
        (Http404, _on_not_found),
        (ObjectDoesNotExist, _on_not_found),
        (PermissionDenied, _on_permission_denied),
        (AuthorizationError, _on_permission_denied),
        (AuthenticationError, _on_unauthenticated),
        (HttpError, _on_http_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, _bind(api, handler))


def _bind(api: NinjaAPI, handler: Any) -> Any:
    def bound(request: HttpRequest, exc: Exception) -> HttpResponse:
        return handler(api, request, exc)

    return bound


def json_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under the API that matches no operation: the same 404 shape."""
    return JsonResponse({"detail": not_found_message()}, status=404, json_dumps_params={"ensure_ascii": False})
