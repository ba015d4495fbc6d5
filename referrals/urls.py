"""Referral pages (GET) and, under each, the changes made from them (POST), in the domain's
words. Accepting a referral is the pathway's: panel:referral_accept."""

from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_start, name="start"),
    path("new/draft/", views.referral_create_draft, name="create_draft"),
    path("<num:pk>/", views.referral_detail, name="detail"),
    path("<num:pk>/check/", views.referral_check, name="check"),
    path("<num:pk>/send-for-screening/", views.referral_submit, name="submit"),
    path("<num:pk>/sent/", views.referral_sent, name="sent"),
    path("<num:pk>/answer/", views.referral_answer_question, name="answer_question"),
    path("<num:pk>/delete/", views.referral_delete, name="delete"),
    path("<num:pk>/delete/confirm/", views.referral_delete_draft, name="delete_draft"),
    path("<num:pk>/<slug:section>/", views.referral_section, name="section"),
    path("<num:pk>/<slug:section>/save/", views.referral_save_section, name="save_section"),
    path("screening/", views.screening_queue, name="screening_queue"),
    path("screening/<num:pk>/", views.screening_detail, name="screening_detail"),
    path("screening/<num:pk>/find-person/", views.screening_find_person, name="find_person"),
    path("screening/<num:pk>/link-person/", views.screening_link_person, name="link_person"),
    path(
        "screening/<num:pk>/ask-for-information/",
        views.screening_ask_for_information,
        name="ask_for_information",
    ),
    path("screening/<num:pk>/decline/", views.screening_decline, name="decline"),
    path("people/<num:pk>/", views.person_detail, name="person"),
    path(
        "people/<num:pk>/merge-duplicate/",
        views.person_merge_duplicate,
        name="merge_duplicate",
    ),
]
