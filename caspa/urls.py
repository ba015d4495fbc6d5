from django.contrib import admin
from django.urls import include, path

from caspa import retention_views, search_views, subject_access_views, views

admin.site.site_header = "CASPA administration"
admin.site.site_title = "CASPA administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("health/", views.health, name="health"),
    path("search/", search_views.search, name="search"),
    path(
        "people/<num:pk>/subject-access-export/",
        subject_access_views.subject_access_export,
        name="subject_access_export",
    ),
    path("retention/", retention_views.retention_review, name="retention_review"),
    path("retention/<num:pk>/", retention_views.retention_person, name="retention_person"),
    path(
        "retention/<num:pk>/anonymise/",
        retention_views.retention_anonymise,
        name="retention_anonymise",
    ),
    path("accounts/", include("accounts.urls")),
    path("referrals/", include("referrals.urls")),
    path("cases/", include("panel.urls")),
    path("actions/", include("actions.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "caspa.views.bad_request"
handler403 = "caspa.views.permission_denied"
handler404 = "caspa.views.page_not_found"
handler500 = "caspa.views.server_error"
