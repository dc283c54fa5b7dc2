from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "tact.assessments"
    verbose_name = _("Self-assessments and benchmarks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tact.core.tools import register_tool

        register_tool(
            key="assessments",
            label=_("Self-assessment and benchmarking"),
            summary=_(
                "The Industrie 4.0 self-check and the HR benchmark, with anonymous peer comparison."
            ),
            url_name="assessments:home",
            practices=("growth-1", "growth-2"),
        )
