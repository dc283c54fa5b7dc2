"""Who may open the community pages and endpoints (collected by tests/accounts/test_permissions.py).

The registry belongs to cluster A: its manager edits it, its member reads it (and keeps the
competences of the member's own organisation, "Alpha GmbH", linked to the member account).
Cluster B's manager reads cluster B's registry, which is empty, so the pages open for them but
cluster A's organisations answer 404. The curator holds no cluster role: no registry.
"""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix import NOBODY, Expect

READERS = frozenset({"member", "manager", "other_manager", "admin"})
A_READERS = frozenset({"member", "manager", "admin"})
MANAGERS = frozenset({"manager", "other_manager", "admin"})
A_MANAGERS = frozenset({"manager", "admin"})
OWN_PROFILE = frozenset({"member", "manager", "admin"})
SEARCH_OWNER = frozenset({"manager"})

EXPECTED: dict[str, Expect] = {
    "community:home": Expect(READERS),
    "community:organisation": Expect(A_READERS, why="cluster A's organisation"),
    "community:organisation_new": Expect(MANAGERS),
    "community:organisation_edit": Expect(A_MANAGERS),
    "community:organisation_delete": Expect(
        A_MANAGERS, method="post", why="without confirmation it redirects back"
    ),
    "community:competence_set": Expect(
        OWN_PROFILE, method="post", why="the member keeps its own organisation's profile"
    ),
    "community:competence_remove": Expect(OWN_PROFILE, method="post"),
    "community:person_new": Expect(A_MANAGERS),
    "community:person_edit": Expect(A_MANAGERS),
    "community:person_delete": Expect(A_MANAGERS, method="post"),
    "community:projects": Expect(READERS),
    "community:project_new": Expect(MANAGERS),
    "community:project_edit": Expect(A_MANAGERS),
    "community:project_delete": Expect(A_MANAGERS, method="post"),
    "community:competences": Expect(READERS),
    "community:import": Expect(MANAGERS),
    "community:import_confirm": Expect(
        SEARCH_OWNER, method="post", why="the file the manager checked; anybody else: 404"
    ),
    "community:sample": Expect(MANAGERS, method="post", why="an empty form is refused (422)"),
    "community:people": Expect(READERS),
    "community:import_template": Expect(MANAGERS),
    "community:export": Expect(READERS),
    "community:network": Expect(READERS),
    "community:network_json": Expect(READERS),
    "community:regions": Expect(READERS),
    "community:partners": Expect(READERS),
    "community:search_save": Expect(READERS, method="post", why="an empty need is refused (422)"),
    "community:search_run": Expect(SEARCH_OWNER, why="the manager's own saved search"),
    "community:search_delete": Expect(SEARCH_OWNER, method="post"),
    "api:community_organisations": Expect(READERS),
    "api:community_organisation": Expect(A_READERS),
    "api:community_competences": Expect(frozenset(READERS | {"curator"}), why="the vocabulary"),
    "api:community_network": Expect(READERS),
    "api:community_regions": Expect(READERS),
    "api:community_partners": Expect(READERS, method="post"),
    "api:community_searches": Expect(
        frozenset(READERS | {"curator"}), why="each lists their own (maybe none)"
    ),
    "api:community_search_create": Expect(READERS, method="post"),
    "api:community_search_run": Expect(SEARCH_OWNER),
    "api:community_search_delete": Expect(SEARCH_OWNER, method="delete"),
    "api:community_import": Expect(MANAGERS, method="post"),
    "api:community_import_confirm": Expect(
        SEARCH_OWNER, method="post", why="the file the manager checked; anybody else: 404"
    ),
    "api:community_export": Expect(READERS),
}

# Kept read-only in the admin: changed through the pages and services (audited).
for _model, _views in (
    ("savedsearch", ("add", "delete")),
    ("pendingimport", ("add", "delete")),
    ("competence", ("delete",)),
):
    for _view in _views:
        EXPECTED[f"admin:community_{_model}_{_view}"] = Expect(
            NOBODY, why="read-only in the admin: 403 for staff"
        )


def samples(world: Any) -> dict[str, str]:
    from tact.community import services
    from tact.community.models import Competence, Organisation, Person, Project

    comp = Competence.objects.create(code="cnc-machining", label="CNC machining", controlled=True)
    alpha = Organisation.objects.create(
        name="Alpha GmbH", kind="sme", region="AT31", country="AT", account=world.organisation
    )
    alpha.clusters.add(world.cluster_a)
    beta = Organisation.objects.create(name="Beta AG", kind="large", region="AT32", country="AT")
    beta.clusters.add(world.cluster_a)
    services.competence_level_set(actor=None, organisation=alpha, competence=comp, level=4)
    person = Person.objects.create(organisation=alpha, name="Anna Muster")
    project = Project.objects.create(title="Gripper", year=2023)
    project.partners.add(alpha, beta)
    search = services.saved_search_save(
        actor=world.user("manager"),
        name="CNC",
        need={"competences": [{"code": "cnc-machining", "min_level": 3}], "regions": [],
              "kinds": [], "regions_only": False},
    )  # fmt: skip
    from tact.community import pending

    _report, kept = pending.import_check(
        actor=world.user("manager"),
        data=b"name,country,type,region\nDelta AG,AT,sme,AT33\n",
        filename="delta.csv",
        cluster=world.cluster_a,
    )
    assert kept is not None, _report.problems
    return {
        "pending_id": str(kept.pk),
        "org_id": str(alpha.pk),
        "code": comp.code,
        "person_id": str(person.pk),
        "project_id": str(project.pk),
        "search_id": str(search.pk),
    }
