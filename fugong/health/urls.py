from django.urls import path

from . import views

app_name = "health"
urlpatterns = [
    path("checkin/", views.checkin, name="checkin"),
    path("checkin/today/", views.today, name="today"),
    path("checkin/history/", views.history, name="history"),
    path("c/<str:token>/", views.link_start, name="link"),
    path("c/<str:token>/checkin/", views.link_checkin, name="link_checkin"),
    path("c/<str:token>/today/", views.link_today, name="link_today"),
    path("health/board/", views.board, name="board"),
    path("health/alerts/", views.alerts, name="alerts"),
    path("health/board/remind/", views.remind, name="remind"),
    path("health/link/", views.link_admin, name="link_admin"),
    path("health/flags/", views.flags, name="flags"),
    path("health/risk/", views.risk_levels, name="risk"),
    path("health/travel/", views.travel, name="travel"),
    path("health/travel/<int:pk>/edit/", views.travel_edit, name="travel_edit"),
    path("health/travel/<int:pk>/delete/", views.travel_delete, name="travel_delete"),
    path("health/cases/", views.cases, name="cases"),
    path("health/cases/<int:pk>/clear/", views.case_clear, name="case_clear"),
    path("health/people/<int:pk>/", views.person_status, name="person_status"),
]
