"""No form, query string, upload or API body makes the B2B event pages fail: property-based input."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tact.events import services

from .conftest import sample_event

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KNOWN = ["", "0", "-1", "3", "99999999999999999999", "nan", "1e999", "09:00", "25:61", "2026-02-30",
         "2026-05-12", "oem", "remote", "Morning", "a@b.example", "accept", "decline", "\x00", "é" * 300]  # fmt: skip
values = st.one_of(st.sampled_from(KNOWN), st.text(max_size=40))
FORM_KEYS = ["title", "date", "venue", "description", "meeting_minutes", "break_minutes",
             "default_max_meetings", "cluster", "name", "start", "end", "count", "remote", "link",
             "organisation", "person", "email", "role", "attendance", "max_meetings", "offers",
             "seeks", "sessions", "requester", "requested", "priority", "message", "decision",
             "time_limit", "keep_published", "kind", "dry_run", "status", "q", "side", "open",
             "registration_open", "publish"]  # fmt: skip
forms = st.dictionaries(st.sampled_from(FORM_KEYS), values, max_size=10)
json_values = st.one_of(
    values, st.integers(), st.floats(), st.booleans(), st.none(), st.lists(values, max_size=3)
)
bodies = st.dictionaries(st.sampled_from(FORM_KEYS), json_values, max_size=8)


@pytest.fixture
def ev(world: Any) -> Any:
    event = sample_event(world.cluster_a, tables=2, remote_rooms=1)
    a = services.participant_save(
        actor=None, event=event,
        data={"organisation": "Alpha GmbH", "person": "Mia", "email": "member@example.org"},
    )  # fmt: skip
    b = services.participant_save(
        actor=None, event=event, data={"organisation": "B", "person": "Bo", "email": "b@b.example"}
    )
    services.request_create(actor=None, event=event, requester=b, requested=a)
    return event


PAGES = ["new/", "{e}/edit/", "{e}/sessions/", "{e}/tables/", "{e}/tables/{t}/", "{e}/participants/new/",
         "{e}/participants/{p}/", "{e}/requests/", "{e}/requests/{r}/decide/", "{e}/schedule/",
         "{e}/publish/", "{e}/import/", "{e}/participants/{p}/delete/", "{e}/me/",
         "{e}/registration/"]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["manager", "member"])
@FUZZ
@given(form=forms)
def test_forms_never_fail(
    client: Any, world: Any, ev: Any, page: str, role: str, form: dict[str, str]
) -> None:
    client.force_login(world.user(role))
    url = "/events/" + page.format(
        e=ev.pk,
        t=ev.tables.first().pk,
        p=ev.participants.get(email="member@example.org").pk,
        r=ev.requests.first().pk,
    )
    response = client.post(url, form)
    assert response.status_code in (200, 302, 403, 404, 422), response.status_code


@pytest.mark.parametrize(
    "page",
    ["", "{e}/participants/", "{e}/marketplace/", "{e}/requests/", "{e}/import/", "{e}/dashboard/"],
)
@FUZZ
@given(query=st.lists(st.tuples(st.sampled_from(FORM_KEYS), values), max_size=5))
def test_queries_never_fail(
    client: Any, world: Any, ev: Any, page: str, query: list[tuple[str, str]]
) -> None:
    client.force_login(world.user("manager"))
    response = client.get("/events/" + page.format(e=ev.pk) + "?" + urlencode(query))
    assert response.status_code == 200


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)),
       name=st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f.pdf", ""]),
       kind=st.sampled_from(["participants", "requests", "x"]))  # fmt: skip
def test_uploads_never_fail(
    client: Any, world: Any, ev: Any, data: bytes, name: str, kind: str
) -> None:
    client.force_login(world.user("manager"))
    before = ev.participants.count(), ev.requests.count()
    upload = io.BytesIO(data)
    upload.name = name or "noname"
    response = client.post(f"/events/{ev.pk}/import/", {"kind": kind, "file": upload})
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert (ev.participants.count(), ev.requests.count()) == before


API = [("post", "/api/events/"), ("post", "/api/events/{e}/participants"), ("post", "/api/events/{e}/requests"),
       ("patch", "/api/events/{e}/requests/{r}"), ("post", "/api/events/{e}/schedule"), ("patch", "/api/events/{e}"),
       ("patch", "/api/events/{e}/me")]  # fmt: skip


@pytest.mark.parametrize("role", ["manager", "member"])
@pytest.mark.parametrize("method,path", API)
@FUZZ
@given(body=bodies)
def test_api_bodies_never_fail(
    client: Any, world: Any, ev: Any, method: str, path: str, role: str, body: dict[str, Any]
) -> None:
    url = path.format(e=ev.pk, r=ev.requests.first().pk)
    response = getattr(client, method)(
        url,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens[role][1]}"},
    )
    assert response.status_code in (200, 201, 202, 400, 403, 404, 422), response.content[:300]


profile_values = st.one_of(
    values, st.integers(-5, 200), st.none(), st.lists(st.one_of(values, st.integers()), max_size=4)
)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["offers", "seeks", "max_meetings", "sessions"]),
                            profile_values, max_size=4))  # fmt: skip
def test_profile_edits_are_all_or_nothing(world: Any, ev: Any, data: dict[str, Any]) -> None:
    """Whatever a participant sends, the profile is saved whole within the limits, or not at all."""
    me = ev.participants.get(email="member@example.org")
    before = (
        me.offers,
        me.seeks,
        me.max_meetings,
        sorted(me.sessions.values_list("pk", flat=True)),
    )
    try:
        services.profile_update(actor=world.user("member"), participant=me, data=data)
    except services.EventError as exc:
        assert exc.problems and all(f in data for f, _m in exc.problems)
        me.refresh_from_db()
        after = (me.offers, me.seeks, me.max_meetings,
                 sorted(me.sessions.values_list("pk", flat=True)))  # fmt: skip
        assert after == before
        return
    me.refresh_from_db()
    assert 0 <= me.max_meetings <= ev.default_max_meetings
    assert set(me.sessions.values_list("event_id", flat=True)) <= {ev.pk}
