from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<int:org_id>/", views.organisation, name="organisation"),
    path("organisations/<int:org_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:org_id>/delete/", views.organisation_delete, name="organisation_delete"
    ),
    path("organisations/<int:org_id>/competences/", views.competence_set, name="competence_set"),
    path(
        "organisations/<int:org_id>/competences/<slug:code>/remove/",
        views.competence_remove,
        name="competence_remove",
    ),
    path("organisations/<int:org_id>/people/new/", views.person_new, name="person_new"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/delete/", views.person_delete, name="person_delete"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:project_id>/delete/", views.project_delete, name="project_delete"),
    path("competences/", views.competences, name="competences"),
    path("import/", views.import_, name="import"),
    path("import/<uuid:pending_id>/", views.import_confirm, name="import_confirm"),
    path("sample/", views.sample, name="sample"),
    path("people/", views.people, name="people"),
    path("import/template/", views.import_template, name="import_template"),
    path("export/", views.export, name="export"),
    path("network/", views.network, name="network"),
    path("network.json", views.network_json, name="network_json"),
    path("regions/", views.regions, name="regions"),
    path("partners/", views.partners, name="partners"),
    path("searches/save/", views.search_save, name="search_save"),
    path("searches/<int:search_id>/", views.search_run, name="search_run"),
    path("searches/<int:search_id>/delete/", views.search_delete, name="search_delete"),
]
