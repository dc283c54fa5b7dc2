from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "tact.publication"
    verbose_name = _("Publication of the toolbox")
    default_auto_field = "django.db.models.BigAutoField"
