"""Countries of the Alpine Space and their neighbours, for labels and filters."""

from django.utils.translation import gettext_lazy as _

COUNTRIES = {
    "AT": _("Austria"),
    "CH": _("Switzerland"),
    "DE": _("Germany"),
    "FR": _("France"),
    "IT": _("Italy"),
    "LI": _("Liechtenstein"),
    "SI": _("Slovenia"),
}


def country_name(code: str) -> str:
    return str(COUNTRIES.get(code, code))
