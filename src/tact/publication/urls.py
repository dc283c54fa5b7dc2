from django.urls import path

from . import views

app_name = "publication"
urlpatterns = [
    path("", views.index, name="index"),
    path("latest.pdf", views.latest_pdf, name="latest"),
    path("preview.pdf", views.preview_pdf, name="preview"),
    path("publish/", views.publish, name="publish"),
    # str, not int: a wrong number gets a page saying what is wrong, not a bare 404.
    path("<str:edition_number>.pdf", views.edition_pdf, name="edition"),
]
