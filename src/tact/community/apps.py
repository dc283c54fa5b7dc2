from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "tact.community"
    verbose_name = _("Community registry and competence map")
    default_auto_field = "django.db.models.BigAutoField"
