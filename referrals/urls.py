"""Referral pages (GET) and, under each, the changes made from them (POST), in the domain's
words. Accepting a referral is the pathway's: panel:referral_accept."""

from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_start, name="start"),
    path("new/draft/", views.referral_create_draft, name="create_draft"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/check/", views.referral_check, name="check"),
    path("<int:pk>/send-for-screening/", views.referral_submit, name="submit"),
    path("<int:pk>/sent/", views.referral_sent, name="sent"),
    path("<int:pk>/answer/", views.referral_answer_question, name="answer_question"),
    path("<int:pk>/delete/", views.referral_delete, name="delete"),
    path("<int:pk>/delete/confirm/", views.referral_delete_draft, name="delete_draft"),
    path("<int:pk>/<slug:section>/", views.referral_section, name="section"),
    path("<int:pk>/<slug:section>/save/", views.referral_save_section, name="save_section"),
    path("screening/", views.screening_queue, name="screening_queue"),
    path("screening/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("screening/<int:pk>/find-person/", views.screening_find_person, name="find_person"),
    path("screening/<int:pk>/link-person/", views.screening_link_person, name="link_person"),
    path(
        "screening/<int:pk>/ask-for-information/",
        views.screening_ask_for_information,
        name="ask_for_information",
    ),
    path("screening/<int:pk>/decline/", views.screening_decline, name="decline"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path(
        "people/<int:pk>/merge-duplicate/",
        views.person_merge_duplicate,
        name="merge_duplicate",
    ),
]
