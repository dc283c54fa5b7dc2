from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tact.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from .forms import AdminLoginForm

        # The admin's own login page is throttled like ours.
        admin.site.login_form = AdminLoginForm
