"""Load Vietnam's days off for 2015–2035 from the Labour Code rules (lib.workdays), so that
every database has a calendar; an administrator corrects it afterwards."""

from django.db import migrations
from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 2015, 2035


def load(apps, schema_editor):
    from lib import workdays as rules

    Holiday = apps.get_model("workdays", "Holiday")
    WorkingDayOverride = apps.get_model("workdays", "WorkingDayOverride")
    have = set(Holiday.objects.values_list("date", flat=True))
    have_worked = set(WorkingDayOverride.objects.values_list("date", flat=True))
    days, worked = [], []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for d in rules.holidays_for_year(year):
            if d.date not in have and d.date not in have_worked:
                days.append(Holiday(date=d.date, name=d.name, kind=d.kind, source=d.source))
        for s in rules.published_swaps(year):
            if s.work_on not in have_worked and s.work_on not in have:
                reason = f"Làm bù cho ngày nghỉ {s.day_off:%d/%m/%Y}"
                worked.append(WorkingDayOverride(date=s.work_on, reason=reason, source=s.source))
    Holiday.objects.bulk_create(days)
    WorkingDayOverride.objects.bulk_create(worked)
    # A creation entry in the history of every row, as the application writes for its own.
    now = timezone.now()
    for model_name, rows, fields in (
        ("HistoricalHoliday", days, ("date", "name", "kind", "source")),
        ("HistoricalWorkingDayOverride", worked, ("date", "reason", "source")),
    ):
        historical = apps.get_model("workdays", model_name)
        historical.objects.bulk_create(
            historical(
                id=row.pk,
                history_date=now,
                history_type="+",
                history_change_reason="Nạp theo Bộ luật Lao động",
                **{f: getattr(row, f) for f in fields},
            )
            for row in rows
        )


def unload(apps, schema_editor):
    apps.get_model("workdays", "Holiday").objects.filter(date__year__gte=FIRST_YEAR, date__year__lte=LAST_YEAR).delete()
    apps.get_model("workdays", "WorkingDayOverride").objects.filter(
        date__year__gte=FIRST_YEAR - 1, date__year__lte=LAST_YEAR
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
