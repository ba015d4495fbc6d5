from django.urls import path

from panel import views

app_name = "panel"

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("<int:pk>/", views.case_detail, name="case"),
]
