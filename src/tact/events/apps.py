from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "tact.events"
    verbose_name = _("B2B events")
    default_auto_field = "django.db.models.BigAutoField"
