from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("appeals/", views.appeal_list, name="list"),
    path("appeals/new/", views.appeal_new, name="new"),
    path("appeals/groups/", views.groups, name="groups"),
    path("appeals/offers/", views.offers, name="offers"),
    path("appeals/dashboard/", views.dashboard, name="dashboard"),
    path("appeals/rules/", views.rules, name="rules"),
    path("appeals/<int:pk>/", views.appeal_detail, name="detail"),
    path("appeals/<int:pk>/act/", views.appeal_act, name="act"),
    path("liaison/", views.liaison_home, name="liaison"),
    path("liaison/visits/new/", views.visit_new, name="visit-new"),
    path("liaison/summary/", views.weekly_summary, name="summary"),
    path("liaison/assign/", views.assign, name="assign"),
]
