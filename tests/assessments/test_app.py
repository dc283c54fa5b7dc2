"""The respondent flow, the benchmark database, roles and the audit trail."""

from __future__ import annotations

import itertools
import json

import pytest
from django.core.management import call_command
from django.test import Client

from tact.accounts.models import Organisation
from tact.algorithms import assessment as algo
from tact.assessments import selectors, services
from tact.assessments.definitions import DefinitionError
from tact.assessments.models import Figure, Respondent, RespondentLink, Response
from tact.core.models import AuditEntry

from .conftest import add_respondent, maturity_answers

HR_RAW = {
    "headcount_start": "100",
    "headcount_end": "120",
    "leavers": "11",
    "new_hires": "30",
    "new_hires_from_abroad": "6",
    "leavers_moved_out_of_region": "2",
    "management_positions": "12",
    "women_in_management": "3",
    "training_days": "330",
    "vacancies_filled": "20",
    "days_to_fill_total": "900",
    "absence_days": "1100",
    "working_days_per_employee": "220",
    "hr_staff_fte": "1.65",
}


def login(world, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def test_load_models_is_idempotent_and_audited(db):
    assert dict(services.model_load()) == {"industrie40": "created", "hr-benchmark": "created"}
    assert set(dict(services.model_load()).values()) == {"unchanged"}
    assert AuditEntry.objects.filter(action="assessments.model.created").count() == 2


def test_a_broken_model_file_is_refused_naming_file_record_and_field(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: Bad\nkind: maturity\nversion: 1\nlevels: {0: a}\n"
        "groups: []\ndimensions:\n- id: d\n  name: D\n  weight: -1\n"
        "  aggregation: median\n  fields: []\n"
    )
    with pytest.raises(DefinitionError) as err:
        services.model_load(paths=[bad])
    text = str(err.value)
    assert "bad.yaml, record dimension d, field weight" in text
    assert "field aggregation" in text
    assert not selectors.models().exists()


def test_member_takes_the_self_check_saves_resumes_and_gets_the_report(world, models, peers):
    client = login(world, "member")
    page = client.get("/assessments/start/industrie40/")
    assert page.status_code == 200
    bad = client.post(
        "/assessments/start/industrie40/",
        {
            "organisation": world.organisation.pk,
            "sector": "bakery",
            "size_class": "small",
            "region": "AT31",
        },
    )
    assert bad.status_code == 422 and "Sector" in bad.content.decode()
    started = client.post(
        "/assessments/start/industrie40/",
        {
            "organisation": world.organisation.pk,
            "sector": "machinery",
            "size_class": "small",
            "region": "AT31",
        },
    )
    assert started.status_code == 302
    url = started["Location"]
    # Save half of it and come back later.
    first = {"strategy.strategy:current": "1", "strategy.strategy:target": "3"}
    assert client.post(url, {**first, "action": "save"}).status_code == 302
    resumed = client.get(url).content.decode()
    assert 'value="1" selected' in resumed and 'value="3" selected' in resumed
    # Submitting with questions left open names them.
    refused = client.post(url, {**first, "action": "submit"})
    assert refused.status_code == 422 and "factory.modelling" in refused.content.decode()
    form = {}
    for item in maturity_answers(models["industrie40"], 3):
        form[f"{item}:current"] = "3"
        form[f"{item}:target"] = "4"
    form["products.ict:current"] = "1"
    form["services.revenue:current"] = "n/a"
    done = client.post(url, {**form, "action": "submit"})
    assert done.status_code == 302 and done["Location"].endswith("/report/")
    report = client.get(done["Location"])
    body = report.content.decode()
    assert report.status_code == 200
    # strategy 3, factory 3, operations 3, products 1, services 3, employees 3:
    # (300 - 19*2) / 100 = 2.62
    assert "2.62" in body and "Learners" in body
    assert "<svg" in body and "radar" in body
    assert "/practices/innovation-2/" in body  # products at level 1 -> prototyping
    assert "Sector: Machinery" in body and "your rank" in body
    response = Response.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1]))
    assert response.result["overall"] == pytest.approx(2.62)
    assert AuditEntry.objects.filter(
        action="assessments.response.reported",
        object_id=f"{response.respondent.pseudonym}/{response.round}",
    ).exists()


def test_hr_benchmark_refuses_implausible_numbers_naming_the_field(world, models):
    client = login(world, "member")
    url = client.post(
        "/assessments/start/hr-benchmark/",
        {
            "organisation": world.organisation.pk,
            "sector": "machinery",
            "size_class": "medium",
            "region": "AT31",
        },
    )["Location"]
    bad = client.post(
        url, {**HR_RAW, "leavers": "500", "women_in_management": "-2", "action": "submit"}
    )
    text = bad.content.decode()
    assert bad.status_code == 422
    assert "leavers" in text and "women_in_management" in text and "negative" in text
    ok = client.post(url, {**HR_RAW, "action": "submit"})
    assert ok.status_code == 302
    body = client.get(ok["Location"]).content.decode()
    assert "10.00 %" in body  # staff turnover 11 / 110 * 100
    assert "leavers / average headcount" in body


def test_a_group_below_k_shows_no_figure(world, models):
    model = models["industrie40"]
    responses = [add_respondent(model, world.cluster_a, f"Co {i}", level=i % 5) for i in range(4)]
    result = selectors.peer_comparison(responses[0])
    assert result["overall"]["all"] == {"shown": False, "n": None}
    add_respondent(model, world.cluster_a, "Co 5", level=3)
    result = selectors.peer_comparison(responses[0])
    assert result["overall"]["all"]["shown"] and result["overall"]["all"]["n"] == 5
    # The sector group is everyone: the difference is 0, so it is shown too.
    assert result["overall"]["sector"]["shown"]


def test_k_is_configurable_but_never_below_3(settings):
    settings.TACT_BENCHMARK_MIN_GROUP = 7
    assert selectors.threshold() == 7
    settings.TACT_BENCHMARK_MIN_GROUP = 1
    assert selectors.threshold() == 3


def test_no_combination_of_filters_narrows_a_group_below_k(world, models, peers):
    model = models["industrie40"]
    k = selectors.threshold()
    rows = list(
        Figure.objects.filter(metric="overall").values_list("sector", "size_class", "region")
    )
    options = {
        "sector": [None, "machinery", "automotive", "food"],
        "size_class": [None, "small", "medium", "large"],
        "region": [None, "AT31", "AT32"],
    }
    shown = 0
    for combo in itertools.product(*options.values()):
        filters = {k_: v for k_, v in zip(options, combo, strict=True) if v}
        data = selectors.benchmark(model, filters)
        for metric in data["metrics"]:
            if not metric["shown"]:
                assert "percentiles" not in metric and metric["n"] is None
                continue
            shown += 1
            n = sum(1 for r in rows if all(v is None or r[i] == v for i, v in enumerate(combo)))
            assert metric["n"] == n >= k
            # Removing any one filter never isolates 1..k-1 companies.
            for drop in range(3):
                if combo[drop] is None:
                    continue
                parent = sum(
                    1
                    for r in rows
                    if all(v is None or j == drop or r[j] == v for j, v in enumerate(combo))
                )
                assert parent - n == 0 or parent - n >= k
    assert shown  # some groups are large enough


def test_deleting_removes_answers_from_every_figure(world, models, peers):
    model = models["industrie40"]
    before = selectors.benchmark(model, {})["metrics"][0]["n"]
    mine = add_respondent(model, world.cluster_a, "Leaving GmbH", level=5)
    assert selectors.benchmark(model, {})["metrics"][0]["n"] == before + 1
    services.respondent_delete(actor=None, respondent=mine.respondent)
    assert selectors.benchmark(model, {})["metrics"][0]["n"] == before
    assert not Response.objects.filter(pk=mine.pk).exists()
    assert not Figure.objects.filter(response_id=mine.pk).exists()
    assert not RespondentLink.objects.filter(respondent_id=mine.respondent_id).exists()


def test_member_downloads_and_deletes_own_data(world, models):
    response = services.response_start(
        actor=world.user("member"),
        organisation=world.organisation,
        model=models["industrie40"],
        sector="machinery",
        size_class="small",
        region="AT31",
    )
    services.response_save(
        actor=world.user("member"),
        response=response,
        answers=maturity_answers(models["industrie40"], 2),
        submit=True,
    )
    client = login(world, "member")
    data = json.loads(client.get("/assessments/mine/export.json").content)
    assert data[0]["organisation"] == "Alpha GmbH"
    assert data[0]["responses"][0]["answers"]["strategy.strategy"] == {"current": 2, "target": 2}
    url = f"/assessments/mine/{response.respondent_id}/delete/"
    client.post(url)  # without confirmation nothing happens
    assert Respondent.objects.filter(pk=response.respondent_id).exists()
    client.post(url, {"confirm": "yes"})
    assert not Respondent.objects.filter(pk=response.respondent_id).exists()
    assert AuditEntry.objects.filter(action="assessments.respondent.deleted").exists()


def test_a_manager_never_sees_one_companys_answers(world, models, peers):
    response = services.response_start(
        actor=None,
        organisation=world.organisation,
        model=models["industrie40"],
        sector="machinery",
        size_class="small",
        region="AT31",
    )
    services.response_save(
        actor=None,
        response=response,
        answers=maturity_answers(models["industrie40"], 4),
        submit=True,
    )
    for role in ("manager", "other_manager", "curator", "admin"):
        client = login(world, role)
        assert client.get(f"/assessments/responses/{response.pk}/").status_code == 404
        assert client.get(f"/assessments/responses/{response.pk}/report/").status_code == 404
        api = client.get(f"/api/assessments/responses/{response.pk}")
        assert api.status_code == 404
        assert json.loads(client.get("/assessments/mine/export.json").content) == []
        assert client.get("/api/assessments/responses").json() == []
    manager = login(world, "manager")
    page = manager.get(f"/assessments/clusters/{world.cluster_a.pk}/industrie40/")
    body = page.content.decode()
    assert page.status_code == 200
    assert response.respondent.pseudonym not in body and "Alpha GmbH" not in body
    assert "median" in body
    csv_ = manager.get(f"/assessments/clusters/{world.cluster_a.pk}/industrie40/aggregates.csv")
    lines = csv_.content.decode().splitlines()
    assert lines[0].startswith("round,metric,n,p10")
    assert len(lines) == 1 + 7  # overall and six dimensions, aggregates only
    assert (
        login(world, "other_manager")
        .get(f"/assessments/clusters/{world.cluster_a.pk}/industrie40/")
        .status_code
        == 404
    )
    # The link from pseudonym to company is in no manager's audit trail either.
    from tact.accounts.selectors import audit_entries_for

    assert (
        not audit_entries_for(world.user("manager"))
        .filter(object_type__startswith="assessments.")
        .exists()
    )


def test_every_view_of_answers_is_audited(world, models):
    response = services.response_start(
        actor=None,
        organisation=world.organisation,
        model=models["industrie40"],
        sector="machinery",
        size_class="small",
        region="AT31",
    )
    client = login(world, "member")
    before = AuditEntry.objects.count()
    client.get(f"/assessments/responses/{response.pk}/")
    client.get(f"/api/assessments/responses/{response.pk}")
    client.get("/assessments/mine/export.json")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before:])
    assert actions == [
        "assessments.response.viewed",
        "assessments.response.read_by_api",
        "assessments.response.exported",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?sector=%00",
        "?round=x" * 50,
        "?size_class[]=1",
        "?region=" + "A" * 500,
        "?cluster_id=-1",
        "?cluster_id=99999999999999999999999",
        "?round=&sector=&region=",
    ],
)
def test_bad_query_strings_never_give_a_500(world, models, peers, query):
    client = login(world, "manager")
    for url in (
        "/assessments/benchmark/industrie40/",
        f"/assessments/clusters/{world.cluster_a.pk}/industrie40/",
        "/api/assessments/benchmark/industrie40",
    ):
        assert client.get(url + query).status_code < 500


@pytest.mark.parametrize(
    "junk",
    [
        {"strategy.strategy:current": "7", "action": "submit"},
        {"strategy.strategy:current": "x" * 500, "action": "save"},
        {"strategy.strategy:target": "-1", "action": "save"},
    ],
)
def test_bad_answers_are_refused_naming_the_item(world, models, junk):
    response = services.response_start(
        actor=None,
        organisation=world.organisation,
        model=models["industrie40"],
        sector="machinery",
        size_class="small",
        region="AT31",
    )
    got = login(world, "member").post(f"/assessments/responses/{response.pk}/", junk)
    assert got.status_code == 422
    assert "strategy.strategy" in got.content.decode()


def test_nul_bytes_are_refused_not_stored(world, models):
    client = login(world, "member")
    bad = client.post(
        "/assessments/start/hr-benchmark/",
        {
            "organisation": world.organisation.pk,
            "sector": "machinery",
            "size_class": "small",
            "region": "AT\x0031",
        },
    )
    assert bad.status_code == 422
    url = client.post(
        "/assessments/start/hr-benchmark/",
        {
            "organisation": world.organisation.pk,
            "sector": "machinery",
            "size_class": "small",
            "region": "AT31",
        },
    )["Location"]
    assert client.post(url, {"leavers": "1\x002", "action": "save"}).status_code == 302
    refused = client.post(url, {"leavers": "x\x00", "action": "submit"})
    assert refused.status_code == 422 and "leavers" in refused.content.decode()


def test_command_line(world, models, peers, capsys):
    call_command("assessments", "load-models")
    assert "unchanged: industrie40" in capsys.readouterr().out
    call_command("assessments", "invite", "industrie40", "--cluster", world.cluster_a.name)
    out = capsys.readouterr().out
    assert "invited: Alpha GmbH" in out
    call_command("assessments", "report", str(peers[0].pk), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["result"]["kind"] == "maturity" and "overall" in report["peers"]
    call_command("assessments", "benchmark", "industrie40", "--format", "csv")
    assert capsys.readouterr().out.startswith("round,metric,n")
    call_command("assessments", "benchmark", "industrie40", "--sector", "food")
    assert "too few companies" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="model: unknown"):
        call_command("assessments", "benchmark", "nope")


def test_hr_rounds_come_every_two_years(models):
    assert services.current_round(models["hr-benchmark"], year=2027) == "2026–2027"
    assert services.current_round(models["industrie40"], year=2027) == "2027"


def test_trends_and_regional_comparison(world, models, peers):
    model = models["industrie40"]
    assert selectors.trends(model, "overall")[0]["shown"]
    regions = selectors.regions(model, peers[0].round, "overall")
    assert all(r["n"] >= 5 for r in regions)
    assert algo.DEFAULT_K == 5


def test_organisation_links_are_hidden_from_figures(world, models, peers):
    # Figures carry groups, never an organisation.
    names = {f.name for f in Figure._meta.get_fields()}
    assert "organisation" not in names
    assert Organisation.objects.filter(name="Peer 0").exists()
