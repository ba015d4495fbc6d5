from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("log/filter/", views.action_log_filter, name="log_filter"),
    path("<num:pk>/", views.action_detail, name="detail"),
    path("<num:pk>/update/", views.action_update, name="update"),
    path("<num:pk>/escalate/", views.action_escalate, name="escalate"),
    path(
        "<num:pk>/resolve-escalation/",
        views.action_resolve_escalation,
        name="resolve_escalation",
    ),
    path("agree/<num:case_pk>/", views.action_agree, name="agree"),
]
