from django.urls import path

from . import views

app_name = "resumption"
urlpatterns = [
    path("resumption/", views.mine, name="mine"),
    path("resumption/apply/", views.apply, name="apply"),
    path("resumption/applications/", views.application_list, name="applications"),
    path("resumption/applications/<int:pk>/", views.application_detail, name="application"),
    path("resumption/applications/<int:pk>/correct/", views.correct, name="correct"),
    path("resumption/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("resumption/enterprises/<int:pk>/", views.enterprise_page, name="enterprise"),
    path("resumption/enterprises/<int:pk>/inspect/", views.inspect, name="inspect"),
    path("resumption/inspections/", views.inspections, name="inspections"),
    path("resumption/orders/<int:pk>/", views.order_action, name="order"),
    path("resumption/dashboard/", views.dashboard, name="dashboard"),
    path("resumption/dashboard/enterprises/", views.dashboard_enterprises, name="drill"),
    path("resumption/briefing/", views.briefing_page, name="briefing"),
]
