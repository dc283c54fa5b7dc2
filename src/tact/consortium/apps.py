from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsortiumConfig(AppConfig):
    name = "tact.consortium"
    verbose_name = _("Consortium builder")
    default_auto_field = "django.db.models.BigAutoField"
