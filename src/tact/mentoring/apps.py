from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "tact.mentoring"
    verbose_name = _("Cross-mentoring programmes")
    default_auto_field = "django.db.models.BigAutoField"
