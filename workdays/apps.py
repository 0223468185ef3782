from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = "Lịch ngày làm việc"

    def ready(self) -> None:
        from workdays import signals  # noqa: F401  (cache invalidation)
