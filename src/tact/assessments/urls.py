from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/<slug:model_id>/", views.start, name="start"),
    path("responses/<int:response_id>/", views.answer, name="answer"),
    path("responses/<int:response_id>/report/", views.report, name="report"),
    path("mine/export.json", views.export, name="export"),
    path("mine/<int:respondent_id>/delete/", views.delete, name="delete"),
    path("benchmark/<slug:model_id>/", views.benchmark, name="benchmark"),
    path("clusters/<int:cluster_id>/<slug:model_id>/", views.cluster, name="cluster"),
    path(
        "clusters/<int:cluster_id>/<slug:model_id>/aggregates.csv",
        views.cluster_csv,
        name="cluster_csv",
    ),
]
