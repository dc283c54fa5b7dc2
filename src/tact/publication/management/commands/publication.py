"""``tact publication build OUT.pdf | publish --note ... | list``.

The command line is trusted (it has the database already): publishing from it is audited as
"command line".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.core.datafiles import DataError
from tact.publication import selectors, services
from tact.publication.views import parse_edition_number

SITE_HELP = "Public address to link every practice to (default: TACT_BASE_URL; none if unset)."


def _site_url(options: dict[str, Any]) -> str:
    url = options["site_url"] or settings.TACT_BASE_URL
    if url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        raise CommandError(f"--site-url: {url!r} is not an http(s) address")
    return str(url)


class Command(BaseCommand):
    help = "The toolbox as a PDF document: build one, publish an edition, list the editions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        build = sub.add_parser("build", help="Render the toolbox as it is now, without storing it.")
        build.add_argument("out", type=Path, help="Where to write the PDF (e.g. toolbox.pdf).")
        build.add_argument("--site-url", default="", help=SITE_HELP)
        pub = sub.add_parser("publish", help="Render and store the next edition (audited).")
        pub.add_argument("--note", required=True, help="What is new in this edition.")
        pub.add_argument("--site-url", default="", help=SITE_HELP)
        lst = sub.add_parser("list", help="The editions, newest first.")
        lst.add_argument("--json", action="store_true")
        get = sub.add_parser("get", help="Write a stored edition to a file.")
        get.add_argument("number", help="Edition number, or 'latest'.")
        get.add_argument("out", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["action"])(options)
        except DataError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(f"The data files have problems:\n{lines}") from None

    def _write(self, out: Path, data: bytes) -> None:
        if out.suffix.lower() != ".pdf":
            raise CommandError(f"out: {str(out)!r} should end in .pdf")
        if not out.parent.is_dir():
            raise CommandError(f"out: the folder {str(out.parent)!r} does not exist")
        tmp = out.with_name(out.name + ".part")
        try:
            tmp.write_bytes(data)
            tmp.replace(out)  # never a half-written PDF under the final name
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(f"out: cannot write {str(out)!r}: {exc.strerror}") from None

    def do_build(self, options: dict[str, Any]) -> None:
        out: Path = options["out"]
        if out.suffix.lower() != ".pdf":
            raise CommandError(f"out: {str(out)!r} should end in .pdf")
        rendered = services.edition_render(number=None, site_url=_site_url(options))
        self._write(out, rendered.pdf)
        self.stdout.write(
            f"{out}: {rendered.practice_count} practices, {rendered.pages} pages, "
            f"{len(rendered.pdf):,} bytes, rendered in {rendered.seconds:.2f} s"
        )
        for char, replacement in sorted(rendered.substitutions.items()):
            self.stderr.write(f"warning: {char!r} is not in the font; printed as {replacement!r}")

    def do_publish(self, options: dict[str, Any]) -> None:
        try:
            edition = services.edition_publish(
                user=None, note=options["note"], site_url=_site_url(options)
            )
        except services.PublicationError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}") from None
        self.stdout.write(
            f"Edition {edition.number} of {edition.date:%Y-%m-%d} published: "
            f"{edition.practice_count} practices, {edition.page_count} pages, "
            f"{edition.size:,} bytes (/publication/{edition.number}.pdf)"
        )

    def do_list(self, options: dict[str, Any]) -> None:
        editions = list(selectors.editions())
        if options["json"]:
            rows = [
                {
                    "number": e.number,
                    "date": e.date.isoformat(),
                    "note": e.note,
                    "published_by": e.published_by_label,
                    "practices": e.practice_count,
                    "pages": e.page_count,
                    "size": e.size,
                    "sha256": e.sha256,
                }
                for e in editions
            ]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not editions:
            self.stdout.write(
                "No edition has been published yet (tact publication publish --note ...)."
            )
            return
        for e in editions:
            self.stdout.write(
                f"{e.number:>4}  {e.date:%Y-%m-%d}  {e.practice_count:>3} practices  "
                f"{e.page_count:>3} pages  {e.published_by_label}  {e.note.splitlines()[0]}"
            )

    def do_get(self, options: dict[str, Any]) -> None:
        raw = options["number"]
        if raw == "latest":
            edition = selectors.edition_latest()
            if edition is None:
                raise CommandError("number: no edition has been published yet")
        else:
            number, problem = parse_edition_number(raw)
            if number is None:
                raise CommandError(f"number: {problem}")
            edition = selectors.edition_get(number)
            if edition is None:
                raise CommandError(f"number: there is no edition {number}")
        self._write(options["out"], bytes(edition.pdf))
        self.stdout.write(f"{options['out']}: edition {edition.number}, {edition.size:,} bytes")
