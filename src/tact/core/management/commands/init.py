"""``tact init``: migrate the database and load the versioned data files; safe to run again."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create or upgrade the database; load the toolbox, the assessment models and the "
        "competence vocabulary and the sample R&D calls."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        call_command("catalogue", "load", stdout=self.stdout, stderr=self.stderr)
        call_command("assessments", "load-models", stdout=self.stdout, stderr=self.stderr)
        call_command("community", "load-vocabulary", stdout=self.stdout, stderr=self.stderr)
        call_command("consortium", "load-calls", stdout=self.stdout, stderr=self.stderr)
