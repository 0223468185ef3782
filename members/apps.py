from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Đảng viên")

    def ready(self) -> None:
        import members.permissions  # noqa: F401  (registers the rules permissions)
        from members.handlers import SPLIT_MEMBERS, follow_moved_subtree, move_members_on_merge, refuse_dissolving_with_members
        from members.org_panel import organization_members_panel
        from orgs.panels import register_organization_panel
        from orgs.services import (
            register_dissolve_handler,
            register_merge_handler,
            register_move_follower,
            register_split_handler,
        )

        register_merge_handler(move_members_on_merge)
        register_dissolve_handler(refuse_dissolving_with_members)
        register_split_handler(SPLIT_MEMBERS)
        register_move_follower(follow_moved_subtree)
        register_organization_panel(organization_members_panel)

        from members.indicators import register_indicators

        register_indicators()

        from lib.alerts import register
        from members.alerts import member_alerts

        register("members", member_alerts)
