"""Who may open the publication pages and endpoints (collected by tests/accounts/test_permissions.py).

Editions are public like the toolbox; the live preview and publishing are for curators and
administrators.
"""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix import EVERYONE, Expect

PUBLISHERS = frozenset({"curator", "admin"})

EXPECTED: dict[str, Expect] = {
    "publication:index": Expect(EVERYONE),
    "publication:latest": Expect(EVERYONE),
    "publication:edition": Expect(EVERYONE),
    "publication:preview": Expect(PUBLISHERS, why="the unpublished state of the toolbox"),
    "publication:publish": Expect(PUBLISHERS),
    "api:publication_editions": Expect(EVERYONE),
    "api:publication_latest": Expect(EVERYONE),
    "api:publication_latest_pdf": Expect(EVERYONE),
    "api:publication_edition": Expect(EVERYONE),
    "api:publication_edition_pdf": Expect(EVERYONE),
    "api:publication_publish": Expect(
        PUBLISHERS, method="post", why="an empty body: 422 for publishers, refused for others"
    ),
}


def samples(world: Any) -> dict[str, str]:
    # A stored edition without rendering one (the matrix makes a world per route).
    from tact.publication.models import Edition

    edition = Edition.objects.create(
        number=1,
        date="2026-01-15",
        note="First edition",
        published_by_label="curator@example.org",
        practice_count=23,
        page_count=1,
        pdf=b"%PDF-1.4\n%%EOF\n",
        size=15,
        sha256="0" * 64,
    )
    return {"edition_number": str(edition.number)}
