from django.urls import path

from . import views

app_name = "consortium"
urlpatterns = [
    path("", views.call_list, name="home"),
    path("calls/<slug:call_id>/", views.call_detail, name="call"),
    path("calls/<slug:call_id>/build/", views.build, name="build"),
    path("calls/<slug:call_id>/check/", views.check, name="check"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
]
