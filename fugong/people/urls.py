from django.urls import path

from . import roster_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/reveal/", views.person_reveal, name="reveal"),
    path("roster/", roster_views.roster, name="roster"),
    path("roster/add/", roster_views.roster_add, name="roster_add"),
    path("roster/<int:pk>/edit/", roster_views.roster_edit, name="roster_edit"),
    path("roster/<int:pk>/end/", roster_views.roster_end, name="roster_end"),
    path("roster/import/", roster_views.roster_import, name="roster_import"),
    path(
        "roster/import/template.xlsx",
        roster_views.roster_import_template,
        name="roster_import_template",
    ),
    path("roster/import/<int:pk>/", roster_views.roster_import_report, name="roster_import_report"),
    path(
        "roster/import/<int:pk>/valid-rows/",
        roster_views.roster_import_valid_rows,
        name="roster_import_valid_rows",
    ),
]
