"""The ``tact`` console script: Django's management commands with TACT's settings.

``tact catalogue load`` is ``django-admin catalogue load`` with DJANGO_SETTINGS_MODULE set;
``tact serve`` starts the production WSGI server (see tact.core.management.commands.serve).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tact.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tact", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
