from django.urls import path

from . import views

app_name = "mentoring"
P = "programmes/<int:programme_id>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/new/", views.programme_edit, name="create"),
    path(P, views.programme, name="programme"),
    path(P + "edit/", views.programme_edit, name="edit"),
    path(P + "delete/", views.programme_delete, name="delete"),
    path(P + "publish/", views.publish, name="publish"),
    path(P + "dates/", views.events, name="events"),
    path(P + "dates/template/", views.events_template, name="events_template"),
    path(P + "dates/<int:event_id>/", views.event_edit, name="event_edit"),
    path(P + "dates/<int:event_id>/delete/", views.event_delete, name="event_delete"),
    path(P + "calendar.ics", views.ics, name="ics"),
    path(P + "profiles/", views.participants, name="participants"),
    path(P + "profiles/new/", views.participant_edit, name="participant_create"),
    path(P + "profiles/<int:participant_id>/", views.participant_edit, name="participant_edit"),
    path(
        P + "profiles/<int:participant_id>/delete/",
        views.participant_delete,
        name="participant_delete",
    ),
    path(P + "profiles/import/", views.import_profiles, name="import"),
    path(P + "profiles/sample.csv", views.sample_file, name="sample_file"),
    path(P + "match/", views.match, name="match"),
    path(P + "pairs/", views.pairs, name="pairs"),
    path(P + "pairs/new/", views.pair_create, name="pair_create"),
    path(P + "pairs/<int:pair_id>/lock/", views.pair_lock, name="pair_lock"),
    path(P + "pairs/<int:pair_id>/delete/", views.pair_delete, name="pair_delete"),
    path(P + "pairs/export/", views.export, name="export"),
    path(P + "letters/", views.letters, name="letters"),
]
