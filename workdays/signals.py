"""Drop this process's cached calendar whenever a day off or a worked weekend day changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from workdays.models import Holiday, WorkingDayOverride
from workdays.services import calendar_cache_clear


@receiver(post_save, sender=Holiday)
@receiver(post_delete, sender=Holiday)
@receiver(post_save, sender=WorkingDayOverride)
@receiver(post_delete, sender=WorkingDayOverride)
def _calendar_changed(sender, **kwargs) -> None:
    calendar_cache_clear()
