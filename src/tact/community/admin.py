"""The registry in Django's admin, for administrators.

Organisations, people and joint projects are edited here through the app's services, as on the
pages (each save and deletion is checked and audited). The *synthetic* flag is read-only: it
comes from the sample generator or an import. Competences, competence levels, saved searches and
files waiting for import are shown read-only: the vocabulary file, the organisation pages and
their owners change them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Competence,
    Organisation,
    OrganisationCompetence,
    PendingImport,
    Person,
    Project,
    SavedSearch,
)
from .regions import region_country


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LevelInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OrganisationCompetence
    extra = 0
    fields = ("competence", "level", "evidence")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("competences (changed on the organisation's page)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrganisationAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = (
            "name", "kind", "country", "region", "size_class", "sectors", "website",
            "description", "typical_contribution", "clusters", "account",
        )  # fmt: skip

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every organisation belongs to at least one cluster: that is who keeps it.
        self.fields["clusters"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        region, country = data.get("region"), data.get("country")
        if region and country and region_country(region) != country:
            self.add_error(
                "region",
                ValidationError(
                    _("%(r)s is not a NUTS region of %(c)s (a NUTS code starts with the country)")
                    % {"r": region, "c": country}
                ),
            )
        return data


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = OrganisationAdminForm
    list_display = ("name", "country", "region", "kind", "size_class", "synthetic", "updated_at")
    list_filter = ("kind", "country", "synthetic", "clusters")
    search_fields = ("name", "description", "region")
    filter_horizontal = ("clusters",)
    readonly_fields = ("synthetic", "created_at", "updated_at")
    inlines = [LevelInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        original = Organisation.objects.get(pk=obj.pk) if change else None
        data = {f: form.cleaned_data[f] for f in services.ORG_FIELDS if f in form.cleaned_data}
        data["account"] = form.cleaned_data.get("account")
        saved = services.organisation_save(
            actor=request.user,
            data=data,
            clusters=list(form.cleaned_data.get("clusters") or []),
            organisation=original,
        )
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Memberships go through the service (audited); the competence inline is read-only.
        services.organisation_clusters_set(
            actor=request.user,
            organisation=Organisation.objects.get(pk=form.instance.pk),
            clusters=list(form.cleaned_data.get("clusters") or []),
        )
        for formset in formsets:
            # The inline has no editable field: saving it writes nothing, and tells the
            # admin's change message that nothing changed there.
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.organisation_delete(actor=request.user, organisation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for org in queryset:
            services.organisation_delete(actor=request.user, organisation=org)


class PersonAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Person
        fields = ("organisation", "name", "function", "email", "languages")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PersonAdminForm
    list_display = ("name", "function", "organisation", "email")
    search_fields = ("name", "function", "email", "organisation__name")
    list_select_related = ("organisation",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        original = Person.objects.get(pk=obj.pk) if change else None
        saved = services.person_save(
            actor=request.user,
            organisation=form.cleaned_data["organisation"],
            data={f: form.cleaned_data[f] for f in services.PERSON_FIELDS},
            person=original,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.person_delete(actor=request.user, person=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for person in queryset.select_related("organisation"):
            services.person_delete(actor=request.user, person=person)


class ProjectAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Project
        fields = ("title", "year", "description", "partners")

    def clean_partners(self) -> Any:
        partners = self.cleaned_data.get("partners")
        if partners is None or len(partners) < 2:
            raise ValidationError(_("a joint project has at least two partners"))
        return partners


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ProjectAdminForm
    list_display = ("title", "year")
    list_filter = ("year",)
    search_fields = ("title", "description", "partners__name")
    filter_horizontal = ("partners",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        original = Project.objects.get(pk=obj.pk) if change else None
        saved = services.project_save(
            actor=request.user,
            title=form.cleaned_data["title"],
            year=form.cleaned_data["year"],
            description=form.cleaned_data.get("description", ""),
            partners=list(form.cleaned_data["partners"]),
            project=original,
        )
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None  # the partners were set by project_save (audited)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.project_delete(actor=request.user, project=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for project in queryset:
            services.project_delete(actor=request.user, project=project)


class CompetenceAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Competence
        fields = ("label", "code", "group", "description")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "code" in self.fields:  # the add form; the change view shows it read-only
            self.fields["code"].required = False
            self.fields["code"].help_text = _("Leave empty to derive it from the label.")

    def validate_unique(self) -> None:
        return None  # checked in clean(), on the code competence_create will use

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = slugify(data.get("code") or data.get("label") or "")[:80]
        if not code:
            self.add_error("code", _("a code of letters, digits and hyphens"))
        elif Competence.objects.filter(pk=code).exists():
            self.add_error("code", _("%(c)r exists already") % {"c": code})
        return data


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Free tags are added here (as on the Competences page); the vocabulary file owns the rest."""

    form = CompetenceAdminForm
    list_display = ("code", "label", "group", "controlled")
    list_filter = ("controlled", "group")
    search_fields = ("code", "label", "description")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        comp = services.competence_create(
            actor=request.user,
            label=form.cleaned_data["label"],
            code=form.cleaned_data.get("code") or "",
            group=form.cleaned_data.get("group") or "",
            description=form.cleaned_data.get("description") or "",
        )
        obj.pk = comp.pk


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "updated_at")
    search_fields = ("name", "user__email")


@admin.register(PendingImport)
class PendingImportAdmin(ReadOnlyAdmin):
    list_display = ("filename", "owner", "cluster", "kind", "rows", "created_at")
    fields = ("filename", "owner", "cluster", "kind", "rows", "sha256", "created_at")
