"""The panel's addresses: GET pages, and one POST endpoint per change."""

from django.urls import path

from panel import (
    case_views,
    disagreement_views,
    meeting_views,
    minutes_views,
    referral_views,
    screen_views,
)

app_name = "panel"

urlpatterns = [
    # --- cases ---
    path("", case_views.case_list, name="cases"),
    path("waiting-list/", case_views.waiting_list, name="waiting_list"),
    path("<int:pk>/", case_views.case_detail, name="case"),
    path("<int:pk>/lead-agency/", case_views.case_appoint_lead, name="case_appoint_lead"),
    path(
        "<int:pk>/lead-agency/disagreement/",
        disagreement_views.lead_disagreement,
        name="lead_disagreement",
    ),
    path(
        "<int:pk>/lead-agency/disagreement/record/",
        disagreement_views.lead_disagreement_record,
        name="lead_disagreement_record",
    ),
    path("<int:pk>/risk/", case_views.case_set_risk, name="case_set_risk"),
    path("<int:pk>/agencies/", case_views.case_set_agencies, name="case_set_agencies"),
    path("<int:pk>/close/", case_views.case_close, name="case_close"),
    path("<int:pk>/mdt-meetings/", case_views.mdt_record, name="mdt_record"),
    path("accept-referral/<int:pk>/", referral_views.referral_accept, name="referral_accept"),
    # --- meetings ---
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/schedule/", meeting_views.meetings_schedule_year, name="meetings_schedule_year"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/agenda/build/", meeting_views.agenda_build, name="agenda_build"),
    path("meetings/<int:pk>/agenda/add/", meeting_views.agenda_add_item, name="agenda_add_item"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/move/<str:direction>/",
        meeting_views.agenda_move,
        name="agenda_move",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/notes/",
        meeting_views.agenda_item_notes,
        name="agenda_item_notes",
    ),
    path(
        "meetings/<int:pk>/attendance/", meeting_views.attendance_record, name="attendance_record"
    ),
    path("meetings/<int:pk>/pack/", meeting_views.agenda_pack, name="pack"),
    path("meetings/<int:pk>/screen/<int:position>/", screen_views.meeting_screen, name="screen"),
    path(
        "meetings/<int:pk>/screen/<int:position>/minute/",
        screen_views.agenda_item_minute,
        name="agenda_item_minute",
    ),
    path("meetings/<int:meeting_pk>/adopt/<int:pk>/", case_views.case_adopt, name="case_adopt"),
    path(
        "meetings/<int:meeting_pk>/not-adopt/<int:pk>/",
        case_views.case_not_adopt,
        name="case_not_adopt",
    ),
    path("meetings/<int:pk>/minutes/", minutes_views.meeting_minutes, name="minutes"),
    path(
        "meetings/<int:pk>/minutes/approve/", minutes_views.minutes_approve, name="minutes_approve"
    ),
    path("meetings/<int:pk>/minutes/amend/", minutes_views.minutes_amend, name="minutes_amend"),
]
