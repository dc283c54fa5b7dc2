from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    # Only a command: it sits above every other app (it fills them all), so nothing imports it.
    name = "tact.demo"
    verbose_name = _("Demonstration data")
    default_auto_field = "django.db.models.BigAutoField"
