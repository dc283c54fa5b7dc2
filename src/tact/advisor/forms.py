"""The profile form: it turns fields into the record format that services check and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tact.catalogue.models import Field, Objective, Practice
from tact.catalogue.records import vocabulary

from .models import ClusterProfile, Stage

PRIORITIES = [(0, _("0 – not a goal")), (1, _("1 – low")), (2, _("2 – medium")), (3, _("3 – high"))]


class ProfileForm(forms.Form):
    cluster = forms.ModelChoiceField(queryset=None, label=_("Cluster initiative"))
    name = forms.CharField(label=_("Profile name"), max_length=200)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    nuts = forms.CharField(label=_("NUTS region"), max_length=10, required=False,
                           help_text=_("For example AT31."))  # fmt: skip
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    technologies = forms.CharField(
        label=_("Technology fields"), required=False, help_text=_("Comma-separated.")
    )
    stage = forms.ChoiceField(label=_("Life-cycle stage"), choices=Stage.choices)
    members = forms.IntegerField(label=_("Members"), min_value=0, max_value=1_000_000, initial=0)
    share_smes = forms.FloatField(label=_("SMEs (%)"), min_value=0, max_value=100, initial=0)
    share_large = forms.FloatField(
        label=_("Large companies (%)"), min_value=0, max_value=100, initial=0
    )
    share_research = forms.FloatField(
        label=_("Research and education (%)"), min_value=0, max_value=100, initial=0
    )
    share_public = forms.FloatField(
        label=_("Public bodies (%)"), min_value=0, max_value=100, initial=0
    )
    management_fte = forms.FloatField(
        label=_("Management staff (FTE)"), min_value=0, max_value=1000, initial=0
    )
    budget_eur = forms.FloatField(
        label=_("Yearly budget for new services (EUR)"), min_value=0, max_value=1e10, initial=0
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups to serve"), required=False, widget=forms.CheckboxSelectMultiple
    )
    cross_border = forms.BooleanField(label=_("Cross-border ambition"), required=False)
    current_practices = forms.MultipleChoiceField(
        label=_("Services you run today, from the toolbox"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_services = forms.CharField(
        label=_("Other services you run today"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name | field | objective ids separated by commas, e.g. "
                    "<code>Newsletter | networking | information-gathering</code>"),
    )  # fmt: skip

    def __init__(self, *args: Any, clusters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vocab = vocabulary()
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["sectors"].choices = [(k, str(v)) for k, v in vocab["sectors"].items()]  # type: ignore[attr-defined]
        self.fields["target_groups"].choices = [  # type: ignore[attr-defined]
            (k, str(v)) for k, v in vocab["target_groups"].items()
        ]
        self.fields["current_practices"].choices = [  # type: ignore[attr-defined]
            (p.id, f"{p.id} – {p.title}")
            for p in Practice.objects.filter(published=True).order_by("id")
        ]
        self.objective_groups: list[tuple[Field, list[str]]] = []
        for field in Field.objects.prefetch_related("objectives").order_by("order"):
            names = []
            for objective in field.objectives.all():
                name = f"prio_{objective.id}"
                self.fields[name] = forms.TypedChoiceField(
                    label=objective.name, choices=PRIORITIES, coerce=int, initial=0,
                    help_text=objective.description, required=False, empty_value=0,
                )  # fmt: skip
                names.append(name)
            self.objective_groups.append((field, names))

    @property
    def general_fields(self) -> list[Any]:
        return [self[n] for n in ("cluster", "name", "country", "nuts", "stage", "members",
                                  "management_fte", "budget_eur", "cross_border")]  # fmt: skip

    @property
    def share_fields(self) -> list[Any]:
        return [self[n] for n in ("share_smes", "share_large", "share_research", "share_public")]

    def objective_fields(self) -> list[tuple[Field, list[Any]]]:
        return [(f, [self[n] for n in names]) for f, names in self.objective_groups]

    def to_record(self) -> dict[str, Any]:
        d = self.cleaned_data
        services: list[dict[str, Any]] = [
            {"practice": pid} for pid in d.get("current_practices", [])
        ]
        for line in (d.get("other_services") or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            services.append(
                {
                    "name": parts[0],
                    "field": parts[1] if len(parts) > 1 else "",
                    "objectives": [o.strip() for o in parts[2].split(",") if o.strip()]
                    if len(parts) > 2
                    else [],
                }
            )
        return {
            "name": d["name"],
            "region": {"country": d.get("country", ""), "nuts": d.get("nuts", "")},
            "sectors": d.get("sectors", []),
            "technologies": d.get("technologies", ""),
            "stage": d["stage"],
            "members": d["members"],
            "shares": {
                "smes": (d.get("share_smes") or 0) / 100,
                "large": (d.get("share_large") or 0) / 100,
                "research": (d.get("share_research") or 0) / 100,
                "public": (d.get("share_public") or 0) / 100,
            },
            "management_fte": d["management_fte"],
            "budget_eur": d["budget_eur"],
            "objectives": {k[5:]: v for k, v in d.items() if k.startswith("prio_") and v},
            "target_groups": d.get("target_groups", []),
            "cross_border": bool(d.get("cross_border")),
            "current_services": services,
        }


# Problems of the record mapped back to the form field that shows them.
def form_field_for(problem_field: str) -> str | None:
    head = problem_field.split(".")[0].split("[")[0]
    mapping = {
        "region": "nuts" if "nuts" in problem_field else "country",
        "shares": "share_" + problem_field.split(".")[1] if "." in problem_field else None,
        "current_services": "other_services",
    }
    if head in mapping:
        return mapping[head]
    if head == "objectives" and "." in problem_field:
        return "prio_" + problem_field.split(".", 1)[1]
    return head


def initial_from(profile: ClusterProfile) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "cluster": profile.cluster_id,
        "name": profile.name,
        "country": profile.country,
        "nuts": profile.nuts,
        "sectors": profile.sectors,
        "technologies": ", ".join(profile.technologies),
        "stage": profile.stage,
        "members": profile.members,
        "share_smes": round(profile.share_smes * 100, 2),
        "share_large": round(profile.share_large * 100, 2),
        "share_research": round(profile.share_research * 100, 2),
        "share_public": round(profile.share_public * 100, 2),
        "management_fte": profile.management_fte,
        "budget_eur": profile.budget_eur,
        "target_groups": profile.target_groups,
        "cross_border": profile.cross_border,
        "current_practices": [s["practice"] for s in profile.current_services if s.get("practice")],
        "other_services": "\n".join(
            f"{s['name']} | {s['field']} | {', '.join(s['objectives'])}"
            for s in profile.current_services
            if not s.get("practice")
        ),
    }
    for objective in Objective.objects.all():
        initial[f"prio_{objective.id}"] = profile.objectives.get(objective.id, 0)
    return initial


class LimitsForm(forms.Form):
    max_cost = forms.FloatField(
        label=_("Maximum cost (EUR a year)"), min_value=0, max_value=1e10, required=False
    )
    max_staff = forms.FloatField(
        label=_("Maximum staff (persons)"), min_value=0, max_value=1000, required=False
    )
    field = forms.MultipleChoiceField(
        label=_("Fields"), required=False, widget=forms.CheckboxSelectMultiple
    )
    top = forms.IntegerField(
        label=_("Practices shown"), min_value=1, max_value=500, required=False, initial=25
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(f.id, f.name) for f in Field.objects.order_by("order")]  # type: ignore[attr-defined]
