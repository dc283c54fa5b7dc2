from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisorConfig(AppConfig):
    name = "tact.advisor"
    verbose_name = _("Advisor")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from tact.algorithms.advisor import use_translator

        # The algorithm's sentences are marked with _() and go through Django's gettext here.
        use_translator(gettext)
