"""No form, body, file or query string makes the mentoring app fail: property-based input."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tact.mentoring.profiles import COLUMNS, ProfileError, clean_participant

KNOWN = ["mentor", "mentee", "f", "m", "d", "de; en", "mon-am", "lean", "3", "0", "-1", "21",
         "1e999", "nan", "x@example.org", "anna.berger@example.org", "", " ", "2026-02-30",
         "2026-03-01", "17:00", "25:61", "Alpha | Beta", "a@b.c | d@e.f", "|", True, None, [],
         {}, 0, 1e308, -5]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(KNOWN), st.text(max_size=30), st.integers(), st.floats(), st.booleans()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
texts = st.one_of(st.sampled_from([k for k in KNOWN if isinstance(k, str)]), st.text(max_size=40))
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROGRAMME_KEYS = ["name", "description", "start_date", "months", "location",
                  "require_common_language", "competitors", "excluded_pairs", "weight_topics",
                  "weight_seniority", "weight_language", "weight_gender", "weight_location",
                  "weight_availability", "cluster"]  # fmt: skip


@FUZZ
@given(values=st.dictionaries(st.sampled_from(COLUMNS), json_values, max_size=10))
def test_clean_participant_accepts_or_names_the_field(values: dict[str, Any]) -> None:
    try:
        clean_participant(values)
    except ProfileError as exc:
        assert exc.problems and all(p.field in COLUMNS and p.message for p in exc.problems)


@FUZZ
@given(form=st.dictionaries(st.sampled_from([*COLUMNS, "x"]), texts, max_size=12))
def test_profile_form_never_fails(
    client: Any, world: Any, programme: Any, form: dict[str, str]
) -> None:
    client.force_login(world.user("manager"))
    response = client.post(f"/mentoring/programmes/{programme.pk}/profiles/new/", form)
    assert response.status_code in (302, 422), response.content[:300]


@FUZZ
@given(form=st.dictionaries(st.sampled_from(PROGRAMME_KEYS), texts, max_size=15))
def test_programme_form_never_fails(
    client: Any, world: Any, programme: Any, form: dict[str, str]
) -> None:
    client.force_login(world.user("manager"))
    response = client.post(f"/mentoring/programmes/{programme.pk}/edit/", form)
    assert response.status_code in (302, 422), response.content[:300]


@FUZZ
@given(body=st.dictionaries(st.sampled_from([*COLUMNS, "id"]), json_values, max_size=10))
def test_api_profile_bodies_never_fail(
    client: Any, world: Any, programme: Any, body: dict[str, Any]
) -> None:
    response = client.post(
        f"/api/mentoring/programmes/{programme.pk}/participants",
        data=json.dumps(body, allow_nan=True),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['manager'][1]}"},
    )
    assert response.status_code in (201, 422), response.content[:300]


@FUZZ
@given(
    body=st.dictionaries(st.sampled_from([*PROGRAMME_KEYS, "weights"]), json_values, max_size=10)
)
def test_api_programme_bodies_never_fail(
    client: Any, world: Any, programme: Any, body: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['manager'][1]}"}
    created = client.post(
        "/api/mentoring/programmes", data=json.dumps(body, allow_nan=True),
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert created.status_code in (201, 422), created.content[:300]
    changed = client.patch(
        f"/api/mentoring/programmes/{programme.pk}", data=json.dumps(body, allow_nan=True),
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert changed.status_code in (200, 422), changed.content[:300]


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.lists(st.lists(texts, max_size=6), max_size=5).map(
            lambda rows: "\n".join([",".join(COLUMNS[:6]), *(",".join(r) for r in rows)]).encode()
        ),
    ),
    name=st.sampled_from(["p.csv", "p.xlsx", "p.txt", "p.pdf", ""]),
)
def test_any_upload_is_refused_or_checked(
    client: Any, world: Any, programme: Any, content: bytes, name: str
) -> None:
    client.force_login(world.user("manager"))
    upload = SimpleUploadedFile(name or "x", content)
    response = client.post(
        f"/mentoring/programmes/{programme.pk}/profiles/import/", {"file": upload}
    )
    assert response.status_code in (200, 422)
    assert programme.participants.count() == 22  # a dry run never writes


QUERIES = st.lists(
    st.tuples(st.sampled_from(["format", "what", "mentor", "mentee", "method", "x"]), texts),
    max_size=4,
)


@pytest.mark.parametrize("page", ["pairs/export/", "profiles/", "pairs/new/", "pairs/", ""])
@FUZZ
@given(query=QUERIES)
def test_pages_never_fail(
    client: Any, world: Any, programme: Any, page: str, query: list[tuple[str, str]]
) -> None:
    client.force_login(world.user("manager"))
    response = client.get(f"/mentoring/programmes/{programme.pk}/{page}?{urlencode(query)}")
    assert response.status_code in (200, 422)


@FUZZ
@given(
    form=st.dictionaries(
        st.sampled_from(["method", "keep_locked", "mentor", "mentee", "confirm", "lock", "locked"]),
        texts,
        max_size=5,
    )
)
def test_actions_never_fail(client: Any, world: Any, programme: Any, form: dict[str, str]) -> None:
    client.force_login(world.user("manager"))
    for action in ("match/", "pairs/new/", "publish/"):
        response = client.post(f"/mentoring/programmes/{programme.pk}/{action}", form)
        assert response.status_code in (302, 422), (action, response.content[:300])


EVENT_KEYS = ["kind", "title", "date", "start_time", "end_time", "location", "description"]


@FUZZ
@given(form=st.dictionaries(st.sampled_from(EVENT_KEYS), texts, max_size=7))
def test_date_forms_and_bodies_never_fail(
    client: Any, world: Any, programme: Any, form: dict[str, str]
) -> None:
    client.force_login(world.user("manager"))
    response = client.post(f"/mentoring/programmes/{programme.pk}/dates/", form)
    assert response.status_code in (302, 422), response.content[:300]
    api = client.post(
        f"/api/mentoring/programmes/{programme.pk}/events",
        data=json.dumps(form),
        content_type="application/json",
    )
    assert api.status_code in (201, 422), api.content[:300]
