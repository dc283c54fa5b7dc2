from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:b2b_event_id>/", views.detail, name="detail"),
    path("<int:b2b_event_id>/edit/", views.event_edit, name="edit"),
    path("<int:b2b_event_id>/sessions/", views.session_add, name="session_add"),
    path(
        "<int:b2b_event_id>/sessions/<int:b2b_session_id>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path("<int:b2b_event_id>/tables/", views.tables_add, name="tables_add"),
    path("<int:b2b_event_id>/tables/<int:b2b_table_id>/", views.table_edit, name="table_edit"),
    path("<int:b2b_event_id>/participants/", views.participants, name="participants"),
    path("<int:b2b_event_id>/participants/new/", views.participant_edit, name="participant_add"),
    path(
        "<int:b2b_event_id>/participants/<int:b2b_participant_id>/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        "<int:b2b_event_id>/participants/<int:b2b_participant_id>/delete/",
        views.participant_delete,
        name="participant_delete",
    ),
    path(
        "<int:b2b_event_id>/participants/<int:b2b_participant_id>/agenda/",
        views.agenda,
        name="agenda",
    ),
    path(
        "<int:b2b_event_id>/participants/<int:b2b_participant_id>/agenda.ics",
        views.agenda_ics,
        name="agenda_ics",
    ),
    path("<int:b2b_event_id>/import/", views.import_file, name="import"),
    path("<int:b2b_event_id>/marketplace/", views.marketplace, name="marketplace"),
    path("<int:b2b_event_id>/requests/", views.requests, name="requests"),
    path(
        "<int:b2b_event_id>/requests/<int:b2b_request_id>/decide/",
        views.request_decide,
        name="request_decide",
    ),
    path("<int:b2b_event_id>/schedule/", views.schedule, name="schedule"),
    path("<int:b2b_event_id>/publish/", views.publish, name="publish"),
    path("<int:b2b_event_id>/registration/", views.registration, name="registration"),
    path("<int:b2b_event_id>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:b2b_event_id>/table-plan/", views.table_plan, name="table_plan"),
    path("<int:b2b_event_id>/me/", views.me, name="me"),
    path("<int:b2b_event_id>/agendas/", views.agendas_print, name="agendas_print"),
    path(
        "<int:b2b_event_id>/schedule.<str:b2b_format>",
        views.schedule_export,
        name="schedule_export",
    ),
]
