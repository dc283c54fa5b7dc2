"""Publishing editions: the service, the pages, the API and the command line, with bad input."""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tact.catalogue.models import Practice
from tact.core.models import AuditEntry
from tact.publication import selectors, services
from tact.publication.models import Edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(world: Any, toolbox: None) -> Edition:
    return services.edition_publish(user=world.user("curator"), note="First edition of 2026")


# --- The service --------------------------------------------------------------------------------


def test_publish_stores_the_pdf_and_audits(edition: Edition, world: Any) -> None:
    assert edition.number == 1
    assert edition.practice_count == 23 and len(edition.practice_ids) == 23
    pdf = bytes(edition.pdf)
    assert pdf.startswith(b"%PDF-") and edition.size == len(pdf)
    assert edition.sha256 == hashlib.sha256(pdf).hexdigest()
    assert edition.page_count >= 20
    assert edition.published_by == world.user("curator")
    assert edition.published_by_label == "curator@example.org"
    entry = AuditEntry.objects.get(action="publication.edition_publish")
    assert entry.object_id == "1" and entry.actor == world.user("curator")
    assert entry.changes["note"] == "First edition of 2026"
    assert entry.changes["practices"] == 23


def test_editions_are_numbered_in_order(edition: Edition, world: Any) -> None:
    second = services.edition_publish(user=world.user("admin"), note="  Two new practices  ")
    assert second.number == 2 and second.note == "Two new practices"
    assert [e.number for e in selectors.editions()] == [2, 1]
    assert selectors.edition_latest() == second


@pytest.mark.parametrize("role", ["member", "manager", "other_manager"])
def test_only_curators_and_admins_publish(world: Any, toolbox: None, role: str) -> None:
    with pytest.raises(services.NotAllowed):
        services.edition_publish(user=world.user(role), note="x")
    assert not Edition.objects.exists()
    assert not AuditEntry.objects.filter(action="publication.edition_publish").exists()


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "cannot be empty"),
        ("   \n ", "cannot be empty"),
        (None, "must be a text"),
        ("x" * 2001, "at most 2000"),
        ("bell\x07", "control characters"),
    ],
)
def test_bad_notes_are_refused_naming_the_note(
    world: Any, toolbox: None, note: Any, message: str
) -> None:
    with pytest.raises(services.PublicationError) as err:
        services.edition_publish(user=world.user("curator"), note=note)
    assert err.value.field == "note" and message in err.value.message
    assert not Edition.objects.exists()


def test_an_empty_toolbox_is_not_published(world: Any, toolbox: None) -> None:
    Practice.objects.update(published=False)
    with pytest.raises(services.PublicationError) as err:
        services.edition_publish(user=world.user("admin"), note="Nothing")
    assert err.value.field == "practices"
    assert not Edition.objects.exists()


def test_an_edition_keeps_what_was_published_then(edition: Edition, world: Any) -> None:
    Practice.objects.filter(pk="growth-2").update(published=False)
    second = services.edition_publish(user=world.user("curator"), note="HR benchmark withdrawn")
    assert second.practice_count == 22 and "growth-2" not in second.practice_ids
    edition.refresh_from_db()
    assert edition.practice_count == 23 and "growth-2" in edition.practice_ids


def test_may_publish(world: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    allowed = {r for r in world.users if selectors.user_may_publish(world.user(r))}
    assert allowed == {"curator", "admin"}
    assert not selectors.user_may_publish(AnonymousUser())
    curator = world.user("curator")
    curator.is_active = False
    assert not selectors.user_may_publish(curator)


# --- The pages ----------------------------------------------------------------------------------


def test_index_lists_editions_with_downloads(client: Any, edition: Edition) -> None:
    page = client.get("/publication/").content.decode()
    assert "First edition of 2026" in page
    assert 'href="/publication/1.pdf"' in page and 'href="/publication/latest.pdf"' in page
    assert "Publish a new edition" not in page


def test_index_offers_publishing_to_curators(client: Any, world: Any, toolbox: None) -> None:
    client.force_login(world.user("curator"))
    page = client.get("/publication/").content.decode()
    assert "No edition has been published yet." in page
    assert 'href="/publication/publish/"' in page and 'href="/publication/preview.pdf"' in page


def test_downloads(client: Any, edition: Edition) -> None:
    for url in ("/publication/1.pdf", "/publication/latest.pdf", "/publication/01.pdf"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response.content == bytes(edition.pdf)
        assert edition.filename in response["Content-Disposition"]
    assert client.get("/publication/1.pdf")["Cache-Control"].startswith("public")
    assert client.get("/publication/latest.pdf")["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/publication/abc.pdf", "“abc” is not an edition number"),
        ("/publication/-1.pdf", "“-1” is not an edition number"),
        ("/publication/1.5.pdf", "“1.5” is not an edition number"),
        ("/publication/0.pdf", "Edition numbers start at 1."),
        ("/publication/%C2%B2.pdf", "is not an edition number"),
        ("/publication/99999999999999999999.pdf", "is not an edition number"),
        ("/publication/2.pdf", "There is no edition 2."),
    ],
)
def test_bad_edition_numbers_say_what_is_wrong(
    client: Any, edition: Edition, url: str, message: str
) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert message in page and "The latest edition is number 1." in page


def test_latest_without_editions(client: Any, toolbox: None) -> None:
    response = client.get("/publication/latest.pdf")
    assert response.status_code == 404
    assert "No edition of the toolbox has been published yet." in response.content.decode()


def test_preview_for_curators(client: Any, world: Any, toolbox: None) -> None:
    client.force_login(world.user("curator"))
    response = client.get("/publication/preview.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "preview" in response["Content-Disposition"]
    assert not Edition.objects.exists()
    client.force_login(world.user("manager"))
    assert client.get("/publication/preview.pdf").status_code == 403


def test_publish_form(client: Any, world: Any, toolbox: None) -> None:
    client.force_login(world.user("curator"))
    form = client.get("/publication/publish/").content.decode()
    assert "Edition 1 will print the 23 published practices" in form
    response = client.post("/publication/publish/", {"note": "  "})
    assert response.status_code == 422
    assert "cannot be empty" in response.content.decode()
    assert not Edition.objects.exists()
    response = client.post("/publication/publish/", {"note": "Spring edition"}, follow=True)
    assert response.redirect_chain[-1][0] == "/publication/"
    page = response.content.decode()
    assert "Edition 1 is published: 23 practices" in page and "Spring edition" in page
    assert Edition.objects.get().published_by == world.user("curator")


def test_publish_form_refuses_others(client: Any, world: Any, toolbox: None) -> None:
    client.force_login(world.user("member"))
    assert client.post("/publication/publish/", {"note": "x"}).status_code == 403
    assert not Edition.objects.exists()
    client.logout()
    response = client.post("/publication/publish/", {"note": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- The API ------------------------------------------------------------------------------------


def _bearer(world: Any, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role][1]}"}


def test_api_lists_and_downloads(client: Any, edition: Edition) -> None:
    listed = client.get("/api/publication/editions").json()
    assert [e["number"] for e in listed] == [1]
    assert listed[0]["note"] == "First edition of 2026"
    assert listed[0]["pdf_url"] == "http://testserver/publication/1.pdf"
    assert client.get("/api/publication/editions/1").json()["sha256"] == edition.sha256
    assert client.get("/api/publication/editions/latest").json()["number"] == 1
    for url in ("/api/publication/editions/1/pdf", "/api/publication/editions/latest/pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content == bytes(edition.pdf)


def test_api_bad_numbers(client: Any, edition: Edition) -> None:
    response = client.get("/api/publication/editions/7")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no edition 7. The latest is 1."}
    assert client.get("/api/publication/editions/7/pdf").status_code == 404
    for bad in ("abc", "0", "-3", "1.5"):
        response = client.get(f"/api/publication/editions/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["loc"][-1] == "edition_number"


def test_api_latest_without_editions(client: Any, toolbox: None) -> None:
    for url in ("/api/publication/editions/latest", "/api/publication/editions/latest/pdf"):
        response = client.get(url)
        assert response.status_code == 404
        assert "No edition" in response.json()["detail"]
    assert client.get("/api/publication/editions").json() == []


def test_api_publish(client: Any, world: Any, toolbox: None) -> None:
    url = "/api/publication/publish"
    body = json.dumps({"note": "From a script"})
    response = client.post(
        url, body, content_type="application/json", headers=_bearer(world, "member")
    )
    assert response.status_code == 403 and "curators" in response.json()["detail"]
    assert client.post(url, body, content_type="application/json").status_code == 401
    for bad, message in (
        ("", "body"),
        ("not json", "body"),
        ("[]", "body"),
        ('{"note": ""}', "note: "),
        ('{"note": 5}', "note: must be a text"),
    ):
        response = client.post(
            url, bad, content_type="application/json", headers=_bearer(world, "curator")
        )
        assert response.status_code == 422, bad
        assert message in response.json()["detail"]
    assert not Edition.objects.exists()
    response = client.post(
        url, body, content_type="application/json", headers=_bearer(world, "admin")
    )
    assert response.status_code == 201
    assert response.json()["number"] == 1 and response.json()["practice_count"] == 23
    assert Edition.objects.get().published_by == world.user("admin")


# --- The command line ---------------------------------------------------------------------------


def _call(*args: str) -> str:
    out = StringIO()
    call_command("publication", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_cli_build_writes_without_storing(tmp_path: Path, toolbox: None) -> None:
    target = tmp_path / "toolbox.pdf"
    out = _call("build", str(target))
    assert "23 practices" in out and "pages" in out
    assert target.read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob("*.part"))
    assert not Edition.objects.exists()


def test_cli_links_to_the_base_url(tmp_path: Path, toolbox: None, settings: Any) -> None:
    settings.TACT_BASE_URL = "https://tact.example.org"
    _call("publish", "--note", "With links")
    assert b"/URI (https://tact.example.org/practices/growth-2/)" in bytes(
        Edition.objects.get().pdf
    )


def test_cli_publish_list_get(tmp_path: Path, toolbox: None) -> None:
    assert "No edition" in _call("list")
    out = _call("publish", "--note", "From the command line")
    assert out.startswith("Edition 1 of ") and "23 practices" in out
    edition = Edition.objects.get()
    assert edition.published_by is None and edition.published_by_label == "command line"
    assert (
        AuditEntry.objects.get(action="publication.edition_publish").actor_label == "command line"
    )
    assert "From the command line" in _call("list")
    rows = json.loads(_call("list", "--json"))
    assert rows[0]["number"] == 1 and rows[0]["practices"] == 23
    target = tmp_path / "one.pdf"
    _call("get", "latest", str(target))
    assert target.read_bytes() == bytes(edition.pdf)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["publish", "--note", " "], "--note: say in a few words"),
        (["build", "out.txt"], "out: 'out.txt' should end in .pdf"),
        (["build", "/no/such/folder/x.pdf"], "the folder '/no/such/folder' does not exist"),
        (["get", "abc", "x.pdf"], "number: “abc” is not an edition number"),
        (["get", "3", "x.pdf"], "number: there is no edition 3"),
        (["get", "latest", "x.pdf"], "number: no edition has been published yet"),
        (["build", "x.pdf", "--site-url", "tact.example.org"], "--site-url: 'tact.example.org' is"),
    ],
)
def test_cli_bad_input(toolbox: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as err:
        _call(*args)
    assert message in str(err.value)
    assert not Edition.objects.exists()
