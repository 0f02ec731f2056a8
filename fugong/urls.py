from django.urls import include, path, re_path

from fugong.api import api, not_found
from fugong.portal.views import set_language

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", not_found),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("fugong.health.urls")),
    path("", include("fugong.resumption.urls")),
    path("", include("fugong.appeals.urls")),
    path("audit/", include("fugong.audit.urls")),
    path("policy/", include("fugong.policy.urls")),
    path("jobs/", include("fugong.jobs.urls")),
    path("enterprises/", include("fugong.orgs.urls")),
    path("people/", include("fugong.people.urls")),
    path("", include("fugong.portal.urls")),
]
