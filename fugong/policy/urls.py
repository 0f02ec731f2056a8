from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("<slug:key>/", views.policy_edit, name="edit"),
]
