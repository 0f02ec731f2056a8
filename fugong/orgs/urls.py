from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("mine/", views.my_enterprise, name="mine"),
]
