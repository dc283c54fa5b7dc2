from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsortiumConfig(AppConfig):
    name = "tact.consortium"
    verbose_name = _("Consortium builder")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tact.core.tools import register_tool

        register_tool(
            key="consortium",
            label=_("Consortium builder for R&D calls"),
            summary=_(
                "Eligible, explained consortia for a call's rules, and a rule-by-rule check of a team."
            ),
            url_name="consortium:home",
            practices=("innovation-1", "innovation-2", "innovation-3"),
        )
