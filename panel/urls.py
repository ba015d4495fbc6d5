"""The panel's addresses: GET pages, and one POST endpoint per change."""

from django.urls import path

from panel import (
    assessment_views,
    case_views,
    closing_views,
    disagreement_views,
    meeting_views,
    minutes_views,
    plan_views,
    referral_views,
    return_views,
    review_views,
    room_views,
    screen_views,
)

app_name = "panel"

urlpatterns = [
    # --- cases ---
    path("", case_views.case_list, name="cases"),
    path("waiting-list/", case_views.waiting_list, name="waiting_list"),
    path("<num:pk>/", case_views.case_detail, name="case"),
    path("<num:pk>/actions/", case_views.case_detail, {"page": "actions"}, name="case_actions"),
    path("<num:pk>/meetings/", case_views.case_detail, {"page": "meetings"}, name="case_meetings"),
    path(
        "<num:pk>/chronology/",
        case_views.case_detail,
        {"page": "chronology"},
        name="case_chronology",
    ),
    path("<num:pk>/people/", case_views.case_detail, {"page": "people"}, name="case_people"),
    path("<num:pk>/lead-agency/", case_views.case_appoint_lead, name="case_appoint_lead"),
    path("<num:pk>/review/", review_views.assessment_review, name="assessment_review"),
    path("<num:case_pk>/reviews/<num:pk>/", review_views.case_review, name="case_review"),
    path(
        "<num:pk>/lead-agency/disagreement/",
        disagreement_views.lead_disagreement,
        name="lead_disagreement",
    ),
    path(
        "<num:pk>/lead-agency/disagreement/record/",
        disagreement_views.lead_disagreement_record,
        name="lead_disagreement_record",
    ),
    path("<num:pk>/agencies/", case_views.case_set_agencies, name="case_set_agencies"),
    path("<num:pk>/close/", closing_views.case_closing, name="case_closing"),
    path("<num:pk>/close/outcome/", closing_views.case_close, name="case_close"),
    path(
        "<num:pk>/desired-outcomes/<num:outcome_pk>/mark/",
        closing_views.desired_outcome_mark,
        name="desired_outcome_mark",
    ),
    path("<num:pk>/plan.pdf", plan_views.case_plan_pdf, name="case_plan_pdf"),
    path("<num:pk>/mdt-meetings/", case_views.mdt_record, name="mdt_record"),
    path("accept-referral/<num:pk>/", referral_views.referral_accept, name="referral_accept"),
    # --- the risk assessment and plan: a page per form, each its change's POST endpoint ---
    path("<num:pk>/risks/add/", assessment_views.risk_add, name="risk_add"),
    path("risks/<num:pk>/change/", assessment_views.risk_change, name="risk_change"),
    path("risks/<num:pk>/retire/", assessment_views.risk_retire, name="risk_retire"),
    path("<num:pk>/views/", assessment_views.persons_views_revise, name="persons_views_revise"),
    path(
        "<num:pk>/desired-outcomes/add/",
        assessment_views.desired_outcome_add,
        name="desired_outcome_add",
    ),
    path(
        "desired-outcomes/<num:pk>/change/",
        assessment_views.desired_outcome_change,
        name="desired_outcome_change",
    ),
    path("<num:pk>/capacity/add/", assessment_views.capacity_record, name="capacity_record"),
    path(
        "<num:pk>/interventions/add/",
        assessment_views.intervention_record,
        name="intervention_record",
    ),
    path(
        "interventions/<num:pk>/change/",
        assessment_views.intervention_change,
        name="intervention_change",
    ),
    # --- meetings ---
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/schedule/", meeting_views.meetings_schedule_year, name="meetings_schedule_year"),
    path("meetings/<num:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<num:pk>/agenda/build/", meeting_views.agenda_build, name="agenda_build"),
    path("meetings/<num:pk>/agenda/add/", meeting_views.agenda_add_item, name="agenda_add_item"),
    path(
        "meetings/<num:pk>/agenda/<num:item_pk>/move/<str:direction>/",
        meeting_views.agenda_move,
        name="agenda_move",
    ),
    path(
        "meetings/<num:pk>/agenda/<num:item_pk>/notes/",
        meeting_views.agenda_item_notes,
        name="agenda_item_notes",
    ),
    path(
        "meetings/<num:pk>/attendance/", meeting_views.attendance_record, name="attendance_record"
    ),
    path("meetings/<num:pk>/pack/", meeting_views.agenda_pack, name="pack"),
    path("meetings/<num:pk>/pack.pdf", meeting_views.agenda_pack_pdf, name="pack_pdf"),
    path("meetings/<num:pk>/screen/<num:position>/", screen_views.meeting_screen, name="screen"),
    path(
        "meetings/<num:pk>/screen/<num:position>/minute/",
        screen_views.agenda_item_minute,
        name="agenda_item_minute",
    ),
    # --- the control view (panel/screen_views.py) ---
    path(
        "meetings/<num:pk>/screen/<num:position>/draft/",
        screen_views.item_draft,
        name="item_draft",
    ),
    path(
        "meetings/<num:pk>/screen/<num:position>/show/",
        screen_views.meeting_show_item,
        name="meeting_show_item",
    ),
    path("meetings/<num:pk>/start/", screen_views.meeting_start, name="meeting_start"),
    path("meetings/<num:pk>/end/", screen_views.meeting_end, name="meeting_end"),
    path("meetings/<num:meeting_pk>/adopt/<num:pk>/", case_views.case_adopt, name="case_adopt"),
    path(
        "meetings/<num:meeting_pk>/not-adopt/<num:pk>/",
        case_views.case_not_adopt,
        name="case_not_adopt",
    ),
    path("meetings/<num:pk>/minutes/", minutes_views.meeting_minutes, name="minutes"),
    path(
        "meetings/<num:pk>/minutes/approve/", minutes_views.minutes_approve, name="minutes_approve"
    ),
    path("meetings/<num:pk>/minutes/amend/", minutes_views.minutes_amend, name="minutes_amend"),
    # --- the room display of a running meeting ---
    path("meetings/<num:pk>/room/", room_views.room, name="room"),
    path("meetings/<num:pk>/room/now/", room_views.room_now, name="room_now"),
    path("meetings/<num:pk>/room/agree/", room_views.room_agree, name="room_agree"),
    path("meetings/<num:pk>/room/<num:position>/", room_views.room_item, name="room_item"),
    path(
        "meetings/<num:pk>/minutes/approval/",
        minutes_views.minutes_approve_confirm,
        name="minutes_approve_confirm",
    ),
    path("meetings/<num:pk>/minutes.pdf", minutes_views.minutes_pdf, name="minutes_pdf"),
    path(
        "meetings/<num:pk>/minutes/agencies/<num:agency_pk>.pdf",
        minutes_views.agency_minutes_pdf,
        name="agency_minutes_pdf",
    ),
    # --- agencies' returns before a meeting ---
    path("returns/<num:pk>/", return_views.agency_return, name="return"),
]
