from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from orgs.models import OrgKind, Sector


@admin.register(OrgKind)
class OrgKindAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "valid_from", "valid_to", "source"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "valid_from", "valid_to"]
    search_fields = ["code", "name"]
