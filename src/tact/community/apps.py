from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "tact.community"
    verbose_name = _("Community registry and competence map")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tact.core.tools import register_tool

        register_tool(
            key="community",
            label=_("Competence map and partner search"),
            summary=_(
                "Who in the community can do what: competences, joint projects, partners ranked for a need."
            ),
            url_name="community:home",
            practices=("collaboration-2", "collaboration-3", "innovation-3"),
        )
