from django.urls import path, re_path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.home, name="home"),
    path("practices/", views.practice_list, name="list"),
    path("practices/compare/", views.compare, name="compare"),
    path("practices/print/", views.printable, name="print"),
    re_path(r"^practices/export\.(?P<fmt>json|csv)$", views.export, name="export"),
    path("practices/<slug:practice_id>/", views.practice_detail, name="practice"),
]
