import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_member_card_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MemberMerge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("dropped_id", models.PositiveIntegerField(db_index=True, verbose_name="mã hồ sơ bị gộp")),
                ("dropped_name", models.CharField(max_length=160, verbose_name="họ và tên trong hồ sơ bị gộp")),
                ("dropped_data", models.JSONField(blank=True, default=dict, verbose_name="thông tin hồ sơ bị gộp")),
                ("summary", models.JSONField(blank=True, default=list, verbose_name="kết quả gộp")),
                ("reason", models.TextField(verbose_name="lý do gộp")),
                ("merged_at", models.DateTimeField(auto_now_add=True, verbose_name="lúc gộp")),
                (
                    "kept",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="merges",
                        to="members.member",
                        verbose_name="hồ sơ được giữ",
                    ),
                ),
                (
                    "merged_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người gộp",
                    ),
                ),
            ],
            options={
                "verbose_name": "gộp hồ sơ đảng viên",
                "verbose_name_plural": "gộp hồ sơ đảng viên",
                "ordering": ["-merged_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="DuplicateDismissal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(blank=True, max_length=255, verbose_name="ghi chú")),
                ("dismissed_at", models.DateTimeField(auto_now_add=True)),
                (
                    "dismissed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "first",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="members.member"),
                ),
                (
                    "second",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="members.member"),
                ),
            ],
            options={
                "verbose_name": "cặp hồ sơ không trùng",
                "verbose_name_plural": "cặp hồ sơ không trùng",
                "constraints": [
                    models.UniqueConstraint(fields=("first", "second"), name="members_duplicatedismissal_once"),
                    models.CheckConstraint(
                        condition=models.Q(("first__lt", models.F("second"))), name="members_duplicatedismissal_ordered"
                    ),
                ],
            },
        ),
    ]
