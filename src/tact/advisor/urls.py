from django.urls import path

from . import views

app_name = "advisor"
urlpatterns = [
    path("", views.profile_list, name="list"),
    path("profiles/new/", views.profile_edit, name="create"),
    path("profiles/<int:profile_id>/", views.recommendations, name="profile"),
    path("profiles/<int:profile_id>/edit/", views.profile_edit, name="edit"),
    path("profiles/<int:profile_id>/delete/", views.profile_delete, name="delete"),
    path("profiles/<int:profile_id>/gaps/", views.gaps, name="gaps"),
    path("profiles/<int:profile_id>/plan/<slug:practice_id>/", views.plan, name="plan"),
]
