from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "tact.events"
    verbose_name = _("B2B events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tact.core.tools import register_tool

        register_tool(
            key="events",
            label=_("B2B meetings for events"),
            summary=_(
                "Participants, meeting requests, optimised agendas, table plans and calendar files."
            ),
            url_name="events:list",
            practices=(
                "collaboration-1",
                "collaboration-4",
                "networking-1",
                "networking-2",
                "networking-5",
                "networking-6",
            ),
        )
