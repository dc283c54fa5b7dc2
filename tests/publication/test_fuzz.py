"""No edition address, API path or publish body makes the publication fail."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tact.publication.models import Edition

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
segments = st.one_of(
    st.sampled_from(["1", "0", "-1", "latest", "1e3", "٣", "²", "01", "9" * 30, " 1", "1 "]),
    st.text(min_size=1, max_size=30).filter(lambda s: "/" not in s),
)


@pytest.fixture
def one_edition(db: Any) -> None:
    Edition.objects.create(
        number=1,
        date="2026-01-15",
        note="n",
        published_by_label="x",
        practice_count=1,
        page_count=1,
        pdf=b"%PDF-1.4\n%%EOF\n",
        size=15,
        sha256="0" * 64,
    )


@FUZZ
@given(segment=segments)
def test_edition_addresses_never_fail(client: Any, one_edition: None, segment: str) -> None:
    quoted = quote(segment, safe="")
    for url in (
        f"/publication/{quoted}.pdf",
        f"/api/publication/editions/{quoted}",
        f"/api/publication/editions/{quoted}/pdf",
    ):
        response = client.get(url)
        assert response.status_code in (200, 404, 422), (url, response.status_code)
        if response.status_code != 200 and url.startswith("/api/"):
            assert response.json()["detail"]


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(body=st.one_of(json_values, st.fixed_dictionaries({"note": json_values})))
def test_publish_bodies_never_fail(client: Any, world: Any, body: Any) -> None:
    # A valid note would render a whole edition each time: the bodies here are all bad ones,
    # or, when a fuzzed note happens to be a good text, a real edition (fine, just slower).
    if isinstance(body, dict) and isinstance(body.get("note"), str) and body["note"].strip():
        body = {**body, "note": None}
    response = client.post(
        "/api/publication/publish",
        json.dumps(body, allow_nan=True),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['curator'][1]}"},
    )
    assert response.status_code == 422, response.content[:300]
    assert response.json()["detail"]
    assert not Edition.objects.exists()


@FUZZ
@given(note=st.text(max_size=60).filter(lambda s: not s.strip()) | st.text(min_size=2001))
def test_publish_form_refuses_bad_notes(client: Any, world: Any, note: str) -> None:
    client.force_login(world.user("admin"))
    response = client.post("/publication/publish/", {"note": note})
    assert response.status_code == 422
    assert not Edition.objects.exists()


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80
).filter(lambda s: s.strip())


@settings(max_examples=25, deadline=None)
@given(
    title=texts,
    body=st.lists(texts, min_size=1, max_size=3),
    person=texts,
    website=st.text(max_size=30),
    fact=st.tuples(texts, texts),
    colour=st.one_of(st.just("#2f6f9f"), st.text(max_size=8)),
)
def test_any_text_in_the_data_renders(
    title: str, body: list[str], person: str, website: str, fact: tuple[str, str], colour: str
) -> None:
    """Markup characters, control characters and scripts the font lacks never break a
    rendering; what the font cannot draw is replaced and reported."""
    import datetime

    from tact.publication import document

    practice = document.PracticeDoc(
        id="x-1",
        number=1,
        title=title,
        summary=body[0],
        description="\n\n".join(body),
        clusters=(document.ClusterDoc(title, website, website),),
        contacts=(document.ContactDoc(person, person, person, True),),
        place=person,
        facts=(fact,),
        success_factors=tuple(body),
    )
    content = document.EditionContent(
        fields=(document.FieldDoc("f", title, colour, body[0], ((person, title),), (practice,)),),
        survey=document.SurveyDoc(1, 1, 1, 1, (title,), body[0]),
        source=document.SourceDoc(title, (person,), "2019", title, title, title),
        partners=(document.PartnerDoc(person, title, (title,)),),
        project=title,
        programme=title,
    )
    out = document.render_toolbox(content, edition=1, date=datetime.date(2026, 1, 1), note=title)
    assert out.pdf.startswith(b"%PDF-") and out.pages >= 4
    assert out.practice_count == 1
    drawable = set(out.plain_text)
    for char, replacement in out.substitutions.items():
        assert char not in drawable or char in replacement
