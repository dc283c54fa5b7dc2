from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "tact.assessments"
    verbose_name = _("Self-assessments and benchmarks")
    default_auto_field = "django.db.models.BigAutoField"
