from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_start, name="start"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/check/", views.referral_check, name="check"),
    path("<int:pk>/<slug:section>/", views.referral_section, name="section"),
    path("screening/", views.screening_queue, name="screening_queue"),
    path("screening/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("people/<int:pk>/", views.person_detail, name="person"),
]
