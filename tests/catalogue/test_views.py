"""The public pages: home, list with facets, practice, compare, export, print."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest


@pytest.fixture
def get(client, toolbox):
    def fetch(path: str, status: int = 200, **params):
        response = client.get(path, params)
        assert response.status_code == status, response.content[:500]
        return response

    return fetch


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_home_shows_target_board_with_counts(get):
    page = text(get("/"))
    assert "<svg" in page
    for name, count in [
        ("Education", 5),
        ("Innovation", 4),
        ("Collaboration", 4),
        ("Networking", 6),
        ("Growth", 4),
    ]:
        assert f'aria-label="{name}: {count}"' in page
    assert "76" in page and "33" in page  # the survey figures


def test_list_shows_all_and_facet_counts(get):
    page = text(get("/practices/"))
    assert "23 practices" in page
    assert re.search(
        r'name="field" value="networking"\s*> Networking <span class="count"[^>]*>6</span>', page
    )


def test_list_search_and_filters_are_in_the_url(get):
    page = text(get("/practices/", q="staff turnover", field="growth"))
    assert "HR Benchmark" in page
    assert 'value="staff turnover"' in page
    # export links keep the selection
    assert "export.csv?q=staff+turnover&amp;field=growth" in page


def test_unknown_filter_value_is_explained_with_422(get):
    page = text(get("/practices/", status=422, field="sports"))
    assert "The filter “field” was not understood" in page


def test_empty_result_is_explained(get):
    page = text(get("/practices/", field="education", cost="over-5000"))
    assert "No practice matches these filters" in page


def test_pagination(get):
    page = text(get("/practices/", page_size=5, page=2))
    assert "showing 6–10" in page
    assert 'aria-current="page">2<' in page


def test_practice_page_has_facts_contacts_and_related(get):
    page = text(get("/practices/growth-2/"))
    assert "HR Benchmark" in page
    assert 'href="mailto:iris.reingruber@biz-up.at"' in page
    assert 'href="https://www.netzwerk-hr.at"' in page
    assert "580 EUR" in page
    assert "Related practices" in page


def test_malformed_address_is_not_a_mailto_link(get):
    page = text(get("/practices/education-3/"))
    assert "silvio.antonionitrentinoinnovation.eu" in page
    assert "mailto:silvio" not in page
    assert "address malformed in the source" in page


def test_unknown_practice_is_404(get):
    get("/practices/nope-1/", status=404)


def test_compare_two_practices(get):
    page = text(get("/practices/compare/", ids="education-1,growth-3"))
    assert "Program to support woman &amp; career" in page and "Acceleration Program" in page
    assert "Participants" in page or "Fees" in page


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ("education-1", "Choose between 2 and 4"),
        ("a,b", "Unknown practice id"),
        ("education-1,education-2,education-3,education-4,education-5", "Choose between 2 and 4"),
    ],
)
def test_compare_refuses_bad_selections(get, ids, message):
    assert message in text(get("/practices/compare/", status=422, ids=ids))


def test_compare_without_ids_explains(get):
    assert "Tick “compare”" in text(get("/practices/compare/"))


def test_export_csv_and_json_of_the_selection(get):
    response = get("/practices/export.csv", field="growth")
    assert response["Content-Disposition"] == 'attachment; filename="tact-practices.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["id"] for r in rows] == ["growth-1", "growth-2", "growth-3", "growth-4"]
    data = json.loads(get("/practices/export.json", q="hackathon").content)
    assert data[0]["id"] == "innovation-4"


def test_export_with_bad_filter_is_422(get):
    assert b"field" in get("/practices/export.csv", status=422, field="x").content


def test_printable_toolbox(get):
    page = text(get("/practices/print/"))
    assert page.count('class="print-practice"') == 23
    assert 'media="print"' in page


def test_admin_requires_login(client, toolbox):
    response = client.get("/admin/catalogue/practice/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_edit_recomputes_and_audits(admin_client, toolbox):
    from tact.catalogue.models import Practice
    from tact.core.models import AuditEntry

    practice = Practice.objects.get(id="growth-2")
    url = f"/admin/catalogue/practice/{practice.id}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | dict)
    }
    data.update(
        {
            "title": "HR Benchmark 2.0",
            "formats": json.dumps(practice.formats),
            "target_groups": json.dumps(practice.target_groups),
            "keywords": json.dumps(practice.keywords),
            "beneficiaries": json.dumps(practice.beneficiaries),
            "activities": json.dumps(practice.activities),
            "funding_sources": json.dumps(practice.funding_sources),
            "success_factors": json.dumps(practice.success_factors),
            "challenges": json.dumps(practice.challenges),
            "scope": json.dumps(practice.scope),
            "objectives": [o.id for o in practice.objectives.all()],
            "field": practice.field_id,
        }
    )
    for prefix, related in (
        ("clusters", practice.clusters),
        ("contacts", practice.contacts),
        ("facts", practice.facts),
    ):
        rows = list(related.all())
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-practice"] = practice.pk
            for f in row._meta.fields:
                if f.name not in {"id", "practice", "email_valid"}:
                    value = getattr(row, f.name)
                    data[f"{prefix}-{i}-{f.name}"] = (
                        "" if value is None else ("on" if value is True else value)
                    )
    fee = next(i for i, f in enumerate(practice.facts.all()) if f.kind == "fee")
    data[f"facts-{fee}-minimum"] = 620
    data[f"facts-{fee}-maximum"] = 620
    response = admin_client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    practice.refresh_from_db()
    assert practice.title == "HR Benchmark 2.0"
    assert practice.fee_eur == 620
    assert practice.edited_since_load
    entry = AuditEntry.objects.filter(object_id="growth-2", action="practice.edited").get()
    assert entry.actor is not None
    assert entry.changes["title"]["after"] == "HR Benchmark 2.0"


@pytest.mark.parametrize(
    ("practice_id", "link"),
    [
        ("education-1", "/mentoring/"),
        ("networking-5", "/events/"),
        ("innovation-1", "/consortium/"),
        ("collaboration-3", "/community/"),
        ("growth-2", "/assessments/"),
    ],
)
def test_practice_pages_lead_to_the_service_tact_runs(client, toolbox, practice_id, link) -> None:
    page = client.get(f"/practices/{practice_id}/").content.decode()
    assert "Run this service in TACT" in page
    assert f'href="{link}"' in page


def test_practices_without_a_tool_say_nothing_about_one(client, toolbox) -> None:
    assert "Run this service in TACT" not in client.get("/practices/growth-3/").content.decode()
