"""Forms of the registry pages: they parse and check input; the services write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tact.accounts.models import Organisation as MemberAccount

from .models import Competence, Organisation, OrganisationType, SizeClass


def _list(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[;,\n]", text or "") if t.strip()]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices)
    region = forms.CharField(
        label=_("Region (NUTS code)"), max_length=5, help_text=_("e.g. AT31, CH022, ITC4")
    )
    country = forms.CharField(label=_("Country"), max_length=2, help_text=_("e.g. CH"))
    size_class = forms.ChoiceField(label=_("Size class"), choices=SizeClass.choices, required=False)
    sectors = forms.CharField(
        label=_("Sectors"), required=False, help_text=_("separated by ; e.g. plastics; medtech")
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    typical_contribution = forms.IntegerField(
        label=_("Typical project contribution (EUR)"), required=False, min_value=0
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    clusters = forms.ModelMultipleChoiceField(
        label=_("Member of"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    account = forms.ModelChoiceField(
        label=_("Member account"),
        queryset=None,
        required=False,
        help_text=_("Its members may keep this organisation's competence profile."),
    )

    def __init__(self, *args: Any, clusters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["account"].queryset = MemberAccount.objects.filter(  # type: ignore[attr-defined]
            cluster__in=clusters
        ).select_related("cluster")

    def clean_region(self) -> str:
        return str(self.cleaned_data["region"]).strip().upper()

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).strip().upper()

    def clean_sectors(self) -> list[str]:
        return _list(self.cleaned_data["sectors"])

    def data_for_service(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("clusters", None)
        return d

    @staticmethod
    def initial_from(org: Organisation) -> dict[str, Any]:
        return {
            "name": org.name,
            "kind": org.kind,
            "region": org.region,
            "country": org.country,
            "size_class": org.size_class,
            "sectors": "; ".join(org.sectors or []),
            "website": org.website,
            "typical_contribution": org.typical_contribution,
            "description": org.description,
            "account": org.account_id,
        }


class CompetenceLevelForm(forms.Form):
    competence = forms.ModelChoiceField(
        label=_("Competence"), queryset=Competence.objects.all(), to_field_name="code"
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        choices=[
            (1, _("1 basic")),
            (2, _("2 applied")),
            (3, _("3 experienced")),
            (4, _("4 advanced")),
            (5, _("5 leading")),
        ],
    )
    evidence = forms.CharField(label=_("Evidence"), max_length=500, required=False)


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("codes separated by ; e.g. de; it; en")
    )

    def clean_languages(self) -> list[str]:
        langs = [x.lower() for x in _list(self.cleaned_data["languages"])]
        if any(len(x) > 10 for x in langs):
            raise forms.ValidationError(_("language codes such as de; fr; it; en"))
        return langs


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 12})
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = organisations  # type: ignore[attr-defined]


class CompetenceForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=200)
    group = forms.CharField(label=_("Group"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=[
            ("auto", _("detect from the columns")),
            ("organisations", _("organisations")),
            ("people", _("people")),
            ("projects", _("joint projects")),
        ],
        initial="auto",
    )
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=None)

    def __init__(self, *args: Any, clusters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]


class SampleForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=None)
    organisations = forms.IntegerField(
        label=_("Organisations"), min_value=1, max_value=2000, initial=300
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=999999,
        initial=1,
        help_text=_("The same seed gives the same community; running it again changes nothing."),
    )

    def __init__(self, *args: Any, clusters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
