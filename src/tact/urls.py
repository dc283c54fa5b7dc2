from django.contrib import admin
from django.urls import include, path

from tact.api.api import api

urlpatterns = [
    path("", include("tact.catalogue.urls")),
    path("accounts/", include("tact.accounts.urls")),
    path("advisor/", include("tact.advisor.urls")),
    path("assessments/", include("tact.assessments.urls")),
    path("community/", include("tact.community.urls")),
    path("consortium/", include("tact.consortium.urls")),
    path("curation/", include("tact.curation.urls")),
    path("publication/", include("tact.publication.urls")),
    path("mentoring/", include("tact.mentoring.urls")),
    path("events/", include("tact.events.urls")),
    path("jobs/", include("tact.core.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "tact.core.views.not_found"
handler500 = "tact.core.views.server_error"
