from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("log/filter/", views.action_log_filter, name="log_filter"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/update/", views.action_update, name="update"),
    path("<int:pk>/escalate/", views.action_escalate, name="escalate"),
    path(
        "<int:pk>/resolve-escalation/",
        views.action_resolve_escalation,
        name="resolve_escalation",
    ),
    path("agree/<int:case_pk>/", views.action_agree, name="agree"),
]
