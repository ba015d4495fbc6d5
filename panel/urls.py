from django.urls import path

from panel import meeting_views, referral_views, views

app_name = "panel"

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("accept-referral/<int:pk>/", referral_views.referral_accept, name="referral_accept"),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes/", meeting_views.meeting_minutes, name="minutes"),
    path("meetings/<int:pk>/pack/", meeting_views.agenda_pack, name="pack"),
    path("meetings/<int:pk>/screen/<int:position>/", meeting_views.meeting_screen, name="screen"),
]
