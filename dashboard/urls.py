from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("period/", views.period_filter, name="period_filter"),
    path("csv/<slug:key>.csv", views.export_csv, name="csv"),
    path("report/<slug:slug>.pdf", views.report_pdf, name="report_pdf"),
    path("report/<slug:slug>/commentary/", views.report_commentary, name="commentary"),
]
