"""Every write to cluster profiles; each leaves an audit entry.

``actor`` is the person acting; ``None`` is the command line, which is trusted and names itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative
from tact.accounts.selectors import user_manages_cluster
from tact.core.services import audit_record

from .models import ClusterProfile
from .profiles import ProfileError, ProfileProblem, clean_profile

CLI_ACTOR = "tact advisor"
FIELDS = (
    "name", "country", "nuts", "sectors", "technologies", "stage", "members", "share_smes",
    "share_large", "share_research", "share_public", "management_fte", "budget_eur", "objectives",
    "target_groups", "cross_border", "current_services",
)  # fmt: skip


def _snapshot(profile: ClusterProfile) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in FIELDS}


def _require_manager(actor: Any, cluster: ClusterInitiative) -> None:
    if actor is not None and not user_manages_cluster(actor, cluster):
        raise PermissionDenied(_("Only the cluster's managers may change its profiles."))


def _audit(actor: Any, action: str, profile: ClusterProfile, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        actor_label="" if actor is not None else CLI_ACTOR,
        action=action,
        object_type="advisor.clusterprofile",
        object_id=str(profile.pk),
        changes=changes,
    )


def _name_taken(cluster: ClusterInitiative, name: str, exclude: int | None = None) -> bool:
    qs = ClusterProfile.objects.filter(cluster=cluster, name=name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


def profile_create(
    *, actor: Any, cluster: ClusterInitiative, data: dict[str, Any]
) -> ClusterProfile:
    """Create a profile for ``cluster`` from a raw record (checked here)."""
    _require_manager(actor, cluster)
    clean = clean_profile(data)
    if _name_taken(cluster, clean["name"]):
        raise ProfileError(
            [ProfileProblem("name", _("this cluster already has a profile with this name"))]
        )
    try:
        with transaction.atomic():
            profile = ClusterProfile.objects.create(
                cluster=cluster,
                created_by=actor if actor is not None and actor.is_authenticated else None,
                **clean,
            )
            _audit(actor, "advisor.profile.created", profile, {"after": clean})
    except IntegrityError:
        raise ProfileError(
            [ProfileProblem("name", _("this cluster already has a profile with this name"))]
        ) from None
    return profile


def profile_update(*, actor: Any, profile: ClusterProfile, data: dict[str, Any]) -> ClusterProfile:
    """Replace the fields of ``profile`` with a raw record (checked here)."""
    _require_manager(actor, profile.cluster)
    clean = clean_profile(data)
    if _name_taken(profile.cluster, clean["name"], exclude=profile.pk):
        raise ProfileError(
            [ProfileProblem("name", _("this cluster already has a profile with this name"))]
        )
    before = _snapshot(profile)
    changes = {k: {"before": before[k], "after": clean[k]} for k in FIELDS if before[k] != clean[k]}
    if not changes:
        return profile
    with transaction.atomic():
        for name, value in clean.items():
            setattr(profile, name, value)
        profile.save()
        _audit(actor, "advisor.profile.updated", profile, changes)
    return profile


def profile_delete(*, actor: Any, profile: ClusterProfile) -> None:
    _require_manager(actor, profile.cluster)
    with transaction.atomic():
        _audit(actor, "advisor.profile.deleted", profile, {"before": _snapshot(profile)})
        profile.delete()


def read_profile_file(path: Path) -> list[dict[str, Any]]:
    """Profiles in a YAML or JSON file: one mapping, a list, or ``{profiles: [...]}``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError([ProfileProblem("file", str(exc))], source=str(path)) from None
    try:
        doc = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(
            [ProfileProblem("file", _("not valid YAML/JSON: %(e)s") % {"e": exc})], source=str(path)
        ) from None
    if isinstance(doc, dict) and isinstance(doc.get("profiles"), list):
        doc = doc["profiles"]
    items = doc if isinstance(doc, list) else [doc]
    if not items or not all(isinstance(i, dict) for i in items):
        raise ProfileError(
            [ProfileProblem("file", _("must hold a profile mapping or a list of them"))],
            source=str(path),
        )
    return items


def profile_import(
    *, actor: Any, path: Path, cluster_name: str | None = None
) -> list[tuple[ClusterProfile, str]]:
    """Create or update the profiles of a file in one transaction; nothing changes on error.

    The cluster comes from ``cluster_name`` or each record's ``cluster`` key. A profile with the
    same cluster and name is updated, so importing the same file twice changes nothing new.
    """
    records = read_profile_file(path)
    problems: list[ProfileProblem] = []
    planned: list[tuple[ClusterInitiative, dict[str, Any]]] = []
    extra_keys = {
        "expect_top5",
        "expect_not_top5",
        "known_miss",
    }  # evaluation files carry expectations
    for index, raw in enumerate(records, start=1):
        prefix = f"profiles[{index}]." if len(records) > 1 else ""
        record = {k: v for k, v in raw.items() if k not in extra_keys}
        name = cluster_name or record.get("cluster")
        record.pop("cluster", None)
        cluster = (
            ClusterInitiative.objects.filter(name=name).first() if isinstance(name, str) else None
        )
        if cluster is None:
            problems.append(
                ProfileProblem(
                    prefix + "cluster",
                    _("no cluster initiative named %(n)r (give --cluster NAME or a cluster key)")
                    % {"n": name},
                )
            )
        try:
            clean_profile(record)
        except ProfileError as exc:
            problems += [ProfileProblem(prefix + p.field, p.message) for p in exc.problems]
            continue
        if cluster is not None:
            if actor is not None and not user_manages_cluster(actor, cluster):
                raise PermissionDenied(_("Only the cluster's managers may change its profiles."))
            planned.append((cluster, record))
    if problems:
        raise ProfileError(problems, source=str(path))
    results = []
    with transaction.atomic():
        for cluster, record in planned:
            existing = ClusterProfile.objects.filter(
                cluster=cluster, name=str(record["name"]).strip()
            ).first()
            if existing is None:
                results.append(
                    (profile_create(actor=actor, cluster=cluster, data=record), "created")
                )
            else:
                before = _snapshot(existing)
                updated = profile_update(actor=actor, profile=existing, data=record)
                results.append(
                    (updated, "updated" if _snapshot(updated) != before else "unchanged")
                )
    return results
