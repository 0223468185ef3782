from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Kiểm điểm, xếp loại chất lượng")

    def ready(self) -> None:
        from reviews.indicators import register_indicators

        register_indicators()

        from lib.alerts import register
        from reviews.alerts import review_alerts

        register("reviews", review_alerts)
