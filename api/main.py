"""The JSON API, mounted under /api/v1/: one router per app, one error shape, token or session auth."""

from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Swagger

from api import accounts, orgs
from api.common import AUTH, Renderer
from api.errors import install_error_handlers
from lib.i18n import lazy_text

api = NinjaAPI(
    title="dangbo API",
    version="1",
    description=lazy_text(
        gettext_lazy(
            "API của phần mềm công tác xây dựng Đảng. Xác thực bằng mã truy cập cá nhân "
            "(`Authorization: Bearer <mã>`) hoặc phiên đăng nhập; mỗi mã mang đúng phạm vi của người dùng."
        )
    ),
    urls_namespace="api",
    auth=AUTH,
    renderer=Renderer(),
    # Served from ninja's bundled static files ("ninja" is in INSTALLED_APPS), never a CDN.
    docs=Swagger(settings={"persistAuthorization": True}),
)
install_error_handlers(api)
api.add_router("", orgs.router)
api.add_router("", accounts.router)
api.add_router("", "api.members.router")
api.add_router("", "api.reviews.router")
api.add_router("", "api.targets.router")
