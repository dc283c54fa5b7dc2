from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "tact.curation"
    verbose_name = _("Curation of best practices")
    default_auto_field = "django.db.models.BigAutoField"
