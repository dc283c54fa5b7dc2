from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "tact.mentoring"
    verbose_name = _("Cross-mentoring programmes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tact.core.tools import register_tool

        register_tool(
            key="mentoring",
            label=_("Cross-mentoring programmes"),
            summary=_(
                "Profiles, explained mentor–mentee pairs, letters and the programme calendar."
            ),
            url_name="mentoring:home",
            practices=("education-1",),
        )
