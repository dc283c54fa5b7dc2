"""Reads for mentoring, always scoped to the caller.

Programmes, their profiles and pairs are visible to the managers of the programme's cluster and
to administrators. A participant (a logged-in person with a role in the cluster whose e-mail
matches a profile) sees their own pair and the dates once the pairs are published.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from tact.accounts.models import RoleAssignment
from tact.accounts.selectors import clusters_managed_by
from tact.algorithms import mentoring as algo

from .models import MatchRun, Pair, Participant, Programme, ProgrammeEvent, Side


def _pk(value: Any) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


def programmes_managed_by(user: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(cluster__in=clusters_managed_by(user))
        .select_related("cluster")
        .annotate(
            n_mentors=Count(
                "participants", filter=Q(participants__side=Side.MENTOR), distinct=True
            ),
            n_mentees=Count(
                "participants", filter=Q(participants__side=Side.MENTEE), distinct=True
            ),
            n_pairs=Count("pairs", distinct=True),
        )
    )


def programme_get(user: Any, programme_id: Any) -> Programme | None:
    """A programme the caller manages; None for everyone else and for malformed ids."""
    pk = _pk(programme_id)
    if pk is None:
        return None
    return (
        Programme.objects.filter(pk=pk, cluster__in=clusters_managed_by(user))
        .select_related("cluster")
        .first()
    )


def programme_find(reference: str) -> Programme | None:
    """For the trusted command line: by id, or by name when the name is unique."""
    qs = Programme.objects.select_related("cluster")
    if reference.isdigit():
        return qs.filter(pk=int(reference)).first()
    if "/" in reference:
        cluster, _sep, name = reference.partition("/")
        found = qs.filter(cluster__name=cluster, name=name).first()
        if found:
            return found
    matches = list(qs.filter(name=reference)[:2])
    return matches[0] if len(matches) == 1 else None


def participations_of(user: Any) -> QuerySet[Participant]:
    """The caller's own profiles in programmes of clusters where they hold a role."""
    if not user or not user.is_authenticated or not user.email:
        return Participant.objects.none()
    clusters = RoleAssignment.objects.filter(user=user, cluster__isnull=False).values("cluster")
    return (
        Participant.objects.filter(email__iexact=user.email, programme__cluster__in=clusters)
        .select_related("programme", "programme__cluster")
        .order_by("-programme__start_date", "programme__name")
    )


def participant_programme(user: Any, programme_id: Any) -> Programme | None:
    """A programme where the caller takes part and whose pairs are published."""
    pk = _pk(programme_id)
    if pk is None:
        return None
    found = participations_of(user).filter(programme_id=pk, programme__pairs_published=True).first()
    return found.programme if found else None


def programme_for_calendar(user: Any, programme_id: Any) -> Programme | None:
    """Managers, administrators and the programme's participants (once published)."""
    return programme_get(user, programme_id) or participant_programme(user, programme_id)


def partners_of(participant: Participant) -> list[Pair]:
    if participant.side == Side.MENTOR:
        return list(Pair.objects.filter(mentor=participant).select_related("mentor", "mentee"))
    return list(Pair.objects.filter(mentee=participant).select_related("mentor", "mentee"))


def participants(programme: Programme, side: str | None = None) -> QuerySet[Participant]:
    qs = programme.participants.all()
    return qs.filter(side=side) if side else qs


def participant_get(programme: Programme, participant_id: Any) -> Participant | None:
    pk = _pk(participant_id)
    return None if pk is None else programme.participants.filter(pk=pk).first()


def pairs(programme: Programme) -> QuerySet[Pair]:
    return programme.pairs.select_related("mentor", "mentee").order_by(
        "mentor__name", "mentee__name", "id"
    )


def pair_get(programme: Programme, pair_id: Any) -> Pair | None:
    pk = _pk(pair_id)
    if pk is None:
        return None
    return programme.pairs.filter(pk=pk).select_related("mentor", "mentee").first()


def unmatched(programme: Programme) -> list[Participant]:
    """Mentees without a mentor and mentors without any mentee, with the reason kept for them."""
    return list(
        programme.participants.filter(
            Q(side=Side.MENTEE, as_mentee__isnull=True)
            | Q(side=Side.MENTOR, as_mentor__isnull=True)
        )
        .distinct()
        .order_by("side", "name")
    )


def changed_since(programme: Programme, run: MatchRun) -> dict[str, Any]:
    """What changed after a matching run, so the organiser knows the pairs may be out of date."""
    used = run.settings_used or {}
    settings_changed = bool(used) and (
        used.get("weights") != programme.weights()
        or used.get("require_common_language") != programme.require_common_language
        or used.get("competitors") != programme.competitors
        or used.get("excluded_pairs") != programme.excluded_pairs
    )
    profiles = programme.participants.filter(updated_at__gt=run.created_at).count()
    return {"settings": settings_changed, "profiles": profiles, "any": settings_changed or profiles}


def events(programme: Programme) -> QuerySet[ProgrammeEvent]:
    return programme.events.all()


def event_get(programme: Programme, event_id: Any) -> ProgrammeEvent | None:
    pk = _pk(event_id)
    return None if pk is None else programme.events.filter(pk=pk).first()


def last_run(programme: Programme) -> MatchRun | None:
    return programme.runs.first()


# --------------------------------------------------------------------------- to the algorithm


def spellings(people: list[Participant]) -> dict[str, str]:
    """One spelling per organisation and place, whatever the case: 'ALPHA gmbh' is 'Alpha GmbH'.

    The first spelling met (people in id order) wins, so the hard rule "never the same
    organisation" cannot be dodged by typing a name differently, and explanations read well.
    """
    names: dict[str, str] = {}
    for p in sorted(people, key=lambda p: p.pk or 0):
        for value in (p.organisation, p.location):
            names.setdefault(value.casefold(), value)
    return names


def person(participant: Participant, names: dict[str, str] | None = None) -> algo.Person:
    names = names if names is not None else spellings([participant])
    return algo.Person(
        id=str(participant.pk),
        side=participant.side,  # type: ignore[arg-type]
        organisation=names.get(participant.organisation.casefold(), participant.organisation),
        function=participant.function,
        seniority=participant.seniority,
        topics=frozenset(participant.topics),
        languages=frozenset(participant.languages),
        gender=participant.gender,
        preferred_gender=participant.preferred_gender or None,
        location=names.get(participant.location.casefold(), participant.location),
        availability=frozenset(participant.availability),
        capacity=participant.capacity if participant.side == Side.MENTOR else 1,
    )


def weights(programme: Programme) -> algo.Weights:
    return algo.Weights(**programme.weights())


def rules(
    programme: Programme, people: list[Participant], locked: tuple[tuple[str, str], ...] = ()
) -> algo.Rules:
    """The programme's hard rules in the algorithm's terms (organisations compared without case)."""
    by_email = {p.email: str(p.pk) for p in people}
    names = spellings(people)
    excluded = frozenset(
        (by_email[m], by_email[e])
        for m, e in programme.excluded_pairs
        if m in by_email and e in by_email
    )
    return algo.Rules(
        competitors=frozenset(
            (names.get(a.casefold(), a), names.get(b.casefold(), b))
            for a, b in programme.competitors
        ),
        excluded_pairs=excluded,
        require_common_language=programme.require_common_language,
        locked_pairs=locked,
        locked_may_break_rules=True,
    )


def unknown_exclusions(programme: Programme) -> list[str]:
    """Named exclusions whose e-mail addresses match no profile (shown as a warning)."""
    emails = set(programme.participants.values_list("email", flat=True))
    return sorted({a for pair in programme.excluded_pairs for a in pair if a not in emails})
