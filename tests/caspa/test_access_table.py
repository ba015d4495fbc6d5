"""The access table: for every URL name in the URL conf, each of eleven personas, GET and an
empty POST, the outcome the table declares; docs/access-table.md says how to read and extend
it.

The world is the demo's (tests/caspa/access_world.py): one active case led by Housing with
Police involved, and what belongs to it. Every 200 is also read for the names and NHS
numbers of persons the persona may not see (by the data, not by the code's doors), and
every response must tell the browser to keep nothing (no-store). A URL name without a row,
or a row without a URL, fails the suite: a new page declares who may use it.
"""

import re
from io import BytesIO

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader

from accounts.roles import Role
from caspa.core.privacy import is_private_response
from referrals.models import Person, Referral
from tests.addresses import free_text_in_get_forms
from tests.caspa.access_world import (
    PERSONAS,
    build_world,
    people_seen_by,
    referrals_seen_by,
    url_names,
    words_of,
)
from tests.factories import UserFactory

# Outcomes: a status code, "302" for a redirect elsewhere than the sign-in page, "in" for a
# redirect to it. The personas, in order: the coordinator, admin staff, the chair, a panel
# member (Housing's), the SPoC of an involved agency (Police), of an uninvolved agency (ELFT),
# of the lead agency (Housing), the referrer who made the case's referral, another referrer,
# a manager, and someone not signed in. A POST is sent empty, inside a transaction that is
# rolled back: 200 or 400 is the form shown again with its errors, 302 a change made (or
# refused with a message on the page it came from).
TABLE = """
# URL name                          coor admn chai memb spin spun lead refr ref2 mngr anon
home                           GET   200  200  200  200  200  200  200  200  200  200   in
home                           POST  405  405  405  405  405  405  405  405  405  405   in
about                          GET   200  200  200  200  200  200  200  200  200  200   in
about                          POST  405  405  405  405  405  405  405  405  405  405   in
health                         GET   200  200  200  200  200  200  200  200  200  200  200
health                         POST  405  405  405  405  405  405  405  405  405  405  405
search                         GET   200  200  200  200  200  200  200  200  200  403   in
search                         POST  200  200  200  200  200  200  200  200  200  403   in
subject_access_export          GET   405  405  405  405  405  405  405  405  405  405   in
subject_access_export          POST  200  403  403  403  403  403  403  403  403  403   in
retention_review               GET   200  403  403  403  403  403  403  403  403  403   in
retention_review               POST  405  405  405  405  405  405  405  405  405  405   in
retention_person               GET   200  403  403  403  403  403  403  403  403  403   in
retention_person               POST  405  405  405  405  405  405  405  405  405  405   in
retention_anonymise            GET   405  405  405  405  405  405  405  405  405  405   in
retention_anonymise            POST  400  403  403  403  403  403  403  403  403  403   in
accounts:sign_in               GET   302  302  302  302  302  302  302  302  302  302  200
accounts:sign_in               POST  302  302  302  302  302  302  302  302  302  302  200
accounts:sign_out              GET   405  405  405  405  405  405  405  405  405  405  405
accounts:sign_out              POST  302  302  302  302  302  302  302  302  302  302  302
accounts:signed_out            GET   200  200  200  200  200  200  200  200  200  200  200
accounts:signed_out            POST  405  405  405  405  405  405  405  405  405  405  405
accounts:agencies              GET   200  200  200  200  200  200  200  200  200  200   in
accounts:agencies              POST  405  405  405  405  405  405  405  405  405  405   in
accounts:people                GET   200  200  403  403  403  403  403  403  403  403   in
accounts:people                POST  200  200  403  403  403  403  403  403  403  403   in
accounts:two_factor_enrol      GET   200  200  200  200  200  200  200  200  200  200   in
accounts:two_factor_enrol      POST  200  200  200  200  200  200  200  200  200  200   in
accounts:two_factor_backup_codes GET 302  302  302  302  302  302  302  302  302  302   in
accounts:two_factor_backup_codes POST 405 405  405  405  405  405  405  405  405  405   in
accounts:two_factor_verify     GET   302  302  302  302  302  302  302  302  302  302   in
accounts:two_factor_verify     POST  302  302  302  302  302  302  302  302  302  302   in
accounts:two_factor_reset      GET   405  405  405  405  405  405  405  405  405  405   in
accounts:two_factor_reset      POST  302  302  403  403  403  403  403  403  403  403   in
referrals:list                 GET   200  200  200  200  200  200  200  200  200  200   in
referrals:list                 POST  405  405  405  405  405  405  405  405  405  405   in
referrals:start                GET   200  403  403  403  200  200  200  200  200  403   in
referrals:start                POST  405  405  405  405  405  405  405  405  405  405   in
referrals:create_draft         GET   405  405  405  405  405  405  405  405  405  405   in
referrals:create_draft         POST  302  403  403  403  302  302  302  302  302  403   in
referrals:detail               GET   200  200  404  404  404  404  404  200  404  404   in
referrals:detail               POST  405  405  405  405  405  405  405  405  405  405   in
referrals:check                GET   404  404  404  404  404  404  404  200  404  404   in
referrals:check                POST  405  405  405  405  405  405  405  405  405  405   in
referrals:submit               GET   405  405  405  405  405  405  405  405  405  405   in
referrals:submit               POST  404  404  404  404  404  404  404  200  404  404   in
referrals:sent                 GET   302  302  404  404  404  404  404  302  404  404   in
referrals:sent                 POST  405  405  405  405  405  405  405  405  405  405   in
referrals:answer_question      GET   405  405  405  405  405  405  405  405  405  405   in
referrals:answer_question      POST  403  403  404  404  404  404  404  200  404  404   in
referrals:delete               GET   404  404  404  404  404  404  404  200  404  404   in
referrals:delete               POST  405  405  405  405  405  405  405  405  405  405   in
referrals:delete_draft         GET   405  405  405  405  405  405  405  405  405  405   in
referrals:delete_draft         POST  404  404  404  404  404  404  404  302  404  404   in
referrals:section              GET   404  404  404  404  404  404  404  200  404  404   in
referrals:section              POST  405  405  405  405  405  405  405  405  405  405   in
referrals:save_section         GET   405  405  405  405  405  405  405  405  405  405   in
referrals:save_section         POST  404  404  404  404  404  404  404  200  404  404   in
referrals:screening_queue      GET   200  200  403  403  403  403  403  403  403  403   in
referrals:screening_queue      POST  405  405  405  405  405  405  405  405  405  405   in
referrals:screening_detail     GET   200  200  403  403  403  403  403  403  403  403   in
referrals:screening_detail     POST  405  405  405  405  405  405  405  405  405  405   in
referrals:find_person          GET   405  405  405  405  405  405  405  405  405  405   in
referrals:find_person          POST  200  200  403  403  403  403  403  403  403  403   in
referrals:link_person          GET   405  405  405  405  405  405  405  405  405  405   in
referrals:link_person          POST  200  200  403  403  403  403  403  403  403  403   in
referrals:ask_for_information  GET   405  405  405  405  405  405  405  405  405  405   in
referrals:ask_for_information  POST  200  200  403  403  403  403  403  403  403  403   in
referrals:decline              GET   405  405  405  405  405  405  405  405  405  405   in
referrals:decline              POST  200  200  403  403  403  403  403  403  403  403   in
referrals:person               GET   200  200  403  403  403  403  403  403  403  403   in
referrals:person               POST  405  405  405  405  405  405  405  405  405  405   in
referrals:merge_duplicate      GET   405  405  405  405  405  405  405  405  405  405   in
referrals:merge_duplicate      POST  200  200  403  403  403  403  403  403  403  403   in
panel:cases                    GET   200  200  200  200  200  200  200  200  200  200   in
panel:cases                    POST  405  405  405  405  405  405  405  405  405  405   in
panel:waiting_list             GET   200  200  403  403  403  403  403  403  403  403   in
panel:waiting_list             POST  405  405  405  405  405  405  405  405  405  405   in
panel:case                     GET   200  200  200  200  200  404  200  404  404  404   in
panel:case                     POST  405  405  405  405  405  405  405  405  405  405   in
panel:case_actions             GET   200  200  200  200  200  404  200  404  404  404   in
panel:case_actions             POST  405  405  405  405  405  405  405  405  405  405   in
panel:case_meetings            GET   200  200  200  200  200  404  200  404  404  404   in
panel:case_meetings            POST  405  405  405  405  405  405  405  405  405  405   in
panel:case_chronology          GET   200  200  200  200  200  404  200  404  404  404   in
panel:case_chronology          POST  405  405  405  405  405  405  405  405  405  405   in
panel:case_people              GET   200  200  200  200  200  404  200  404  404  404   in
panel:case_people              POST  405  405  405  405  405  405  405  405  405  405   in
panel:case_appoint_lead        GET   405  405  405  405  405  405  405  405  405  405   in
panel:case_appoint_lead        POST  200  200  403  403  403  404  403  404  404  404   in
panel:assessment_review        GET   405  405  405  405  405  405  405  405  405  405   in
panel:assessment_review        POST  200  200  403  403  403  404  403  404  404  404   in
panel:case_review              GET   200  200  200  200  200  404  200  404  404  404   in
panel:case_review              POST  405  405  405  405  405  405  405  405  405  405   in
panel:lead_disagreement        GET   200  200  403  403  403  404  403  404  404  404   in
panel:lead_disagreement        POST  405  405  405  405  405  405  405  405  405  405   in
panel:lead_disagreement_record GET   405  405  405  405  405  405  405  405  405  405   in
panel:lead_disagreement_record POST  200  200  403  403  403  404  403  404  404  404   in
panel:case_set_agencies        GET   405  405  405  405  405  405  405  405  405  405   in
panel:case_set_agencies        POST  200  200  403  403  403  404  403  404  404  404   in
panel:case_closing             GET   200  200  403  403  403  404  403  404  404  404   in
panel:case_closing             POST  405  405  405  405  405  405  405  405  405  405   in
panel:case_close               GET   405  405  405  405  405  405  405  405  405  405   in
panel:case_close               POST  200  200  403  403  403  404  403  404  404  404   in
panel:desired_outcome_mark     GET   405  405  405  405  405  405  405  405  405  405   in
panel:desired_outcome_mark     POST  200  200  403  403  403  404  403  404  404  404   in
panel:case_plan_pdf            GET   200  200  200  200  200  404  200  404  404  404   in
panel:case_plan_pdf            POST  405  405  405  405  405  405  405  405  405  405   in
panel:mdt_record               GET   405  405  405  405  405  405  405  405  405  405   in
panel:mdt_record               POST  200  200  403  403  403  404  403  404  404  404   in
panel:referral_accept          GET   405  405  405  405  405  405  405  405  405  405   in
panel:referral_accept          POST  302  302  403  403  403  403  403  403  403  403   in
panel:risk_add                 GET   200  200  403  403  403  404  403  404  404  404   in
panel:risk_add                 POST  200  200  403  403  403  404  403  404  404  404   in
panel:risk_change              GET   200  200  403  403  403  404  403  404  404  404   in
panel:risk_change              POST  200  200  403  403  403  404  403  404  404  404   in
panel:risk_retire              GET   200  200  403  403  403  404  403  404  404  404   in
panel:risk_retire              POST  200  200  403  403  403  404  403  404  404  404   in
panel:persons_views_revise     GET   200  200  403  403  403  404  403  404  404  404   in
panel:persons_views_revise     POST  200  200  403  403  403  404  403  404  404  404   in
panel:desired_outcome_add      GET   200  200  403  403  403  404  403  404  404  404   in
panel:desired_outcome_add      POST  200  200  403  403  403  404  403  404  404  404   in
panel:desired_outcome_change   GET   200  200  403  403  403  404  403  404  404  404   in
panel:desired_outcome_change   POST  200  200  403  403  403  404  403  404  404  404   in
panel:capacity_record          GET   200  200  403  403  403  404  403  404  404  404   in
panel:capacity_record          POST  200  200  403  403  403  404  403  404  404  404   in
panel:intervention_record      GET   200  200  403  403  403  404  403  404  404  404   in
panel:intervention_record      POST  200  200  403  403  403  404  403  404  404  404   in
panel:intervention_change      GET   200  200  403  403  403  404  403  404  404  404   in
panel:intervention_change      POST  200  200  403  403  403  404  403  404  404  404   in
panel:meetings                 GET   200  200  200  200  200  200  200  403  403  403   in
panel:meetings                 POST  405  405  405  405  405  405  405  405  405  405   in
panel:meetings_schedule_year   GET   405  405  405  405  405  405  405  405  405  405   in
panel:meetings_schedule_year   POST  200  200  403  403  403  403  403  403  403  403   in
panel:meeting                  GET   200  200  200  403  403  403  403  403  403  403   in
panel:meeting                  POST  405  405  405  405  405  405  405  405  405  405   in
panel:agenda_build             GET   405  405  405  405  405  405  405  405  405  405   in
panel:agenda_build             POST  302  302  403  403  403  403  403  403  403  403   in
panel:agenda_add_item          GET   405  405  405  405  405  405  405  405  405  405   in
panel:agenda_add_item          POST  200  200  403  403  403  403  403  403  403  403   in
panel:agenda_move              GET   405  405  405  405  405  405  405  405  405  405   in
panel:agenda_move              POST  302  302  403  403  403  403  403  403  403  403   in
panel:agenda_item_notes        GET   405  405  405  405  405  405  405  405  405  405   in
panel:agenda_item_notes        POST  302  302  403  403  403  403  403  403  403  403   in
panel:attendance_record        GET   405  405  405  405  405  405  405  405  405  405   in
panel:attendance_record        POST  200  200  403  403  403  403  403  403  403  403   in
panel:pack                     GET   200  200  200  403  403  403  403  403  403  403   in
panel:pack                     POST  405  405  405  405  405  405  405  405  405  405   in
panel:pack_pdf                 GET   200  200  200  403  403  403  403  403  403  403   in
panel:pack_pdf                 POST  405  405  405  405  405  405  405  405  405  405   in
panel:screen                   GET   200  200  200  403  403  403  403  403  403  403   in
panel:screen                   POST  405  405  405  405  405  405  405  405  405  405   in
panel:agenda_item_minute       GET   405  405  405  405  405  405  405  405  405  405   in
panel:agenda_item_minute       POST  200  200  403  403  403  403  403  403  403  403   in
panel:item_draft               GET   405  405  405  405  405  405  405  405  405  405   in
panel:item_draft               POST  400  400  403  403  403  403  403  403  403  403   in
panel:meeting_show_item        GET   405  405  405  405  405  405  405  405  405  405   in
panel:meeting_show_item        POST  302  302  403  403  403  403  403  403  403  403   in
panel:meeting_start            GET   405  405  405  405  405  405  405  405  405  405   in
panel:meeting_start            POST  302  302  403  403  403  403  403  403  403  403   in
panel:meeting_end              GET   405  405  405  405  405  405  405  405  405  405   in
panel:meeting_end              POST  302  302  403  403  403  403  403  403  403  403   in
panel:case_adopt               GET   405  405  405  405  405  405  405  405  405  405   in
panel:case_adopt               POST  200  200  403  403  403  404  403  404  404  404   in
panel:case_not_adopt           GET   405  405  405  405  405  405  405  405  405  405   in
panel:case_not_adopt           POST  200  200  403  403  403  404  403  404  404  404   in
panel:minutes                  GET   200  200  200  403  403  403  403  403  403  403   in
panel:minutes                  POST  405  405  405  405  405  405  405  405  405  405   in
panel:minutes_approve          GET   405  405  405  405  405  405  405  405  405  405   in
panel:minutes_approve          POST  403  403  302  403  403  403  403  403  403  403   in
panel:minutes_amend            GET   405  405  405  405  405  405  405  405  405  405   in
panel:minutes_amend            POST  200  200  403  403  403  403  403  403  403  403   in
panel:room                     GET   200  200  200  403  403  403  403  403  403  403   in
panel:room                     POST  405  405  405  405  405  405  405  405  405  405   in
panel:room_now                 GET   200  200  200  403  403  403  403  403  403  403  403
panel:room_now                 POST  405  405  405  405  405  405  405  405  405  405  405
panel:room_agree               GET   405  405  405  405  405  405  405  405  405  405   in
panel:room_agree               POST  302  403  302  302  403  302  403  403  403  403   in
panel:room_item                GET   200  200  200  403  403  403  403  403  403  403   in
panel:room_item                POST  405  405  405  405  405  405  405  405  405  405   in
panel:minutes_approve_confirm  GET   403  403  200  403  403  403  403  403  403  403   in
panel:minutes_approve_confirm  POST  405  405  405  405  405  405  405  405  405  405   in
panel:minutes_pdf              GET   404  404  404  403  403  403  403  403  403  403   in
panel:minutes_pdf              POST  405  405  405  405  405  405  405  405  405  405   in
panel:agency_minutes_pdf       GET   404  404  404  403  403  403  403  403  403  403   in
panel:agency_minutes_pdf       POST  405  405  405  405  405  405  405  405  405  405   in
panel:return                   GET   403  403  403  403  200  404  403  404  404  404   in
panel:return                   POST  403  403  403  403  200  404  403  404  404  404   in
actions:list                   GET   200  200  200  403  200  200  200  403  403  403   in
actions:list                   POST  405  405  405  405  405  405  405  405  405  405   in
actions:log_filter             GET   405  405  405  405  405  405  405  405  405  405   in
actions:log_filter             POST  302  302  403  403  403  403  403  403  403  403   in
actions:detail                 GET   200  200  200  200  200  404  200  404  404  404   in
actions:detail                 POST  405  405  405  405  405  405  405  405  405  405   in
actions:update                 GET   405  405  405  405  405  405  405  405  405  405   in
actions:update                 POST  200  200  403  403  200  404  403  404  404  404   in
actions:escalate               GET   405  405  405  405  405  405  405  405  405  405   in
actions:escalate               POST  200  200  403  403  403  404  403  404  404  404   in
actions:resolve_escalation     GET   405  405  405  405  405  405  405  405  405  405   in
actions:resolve_escalation     POST  200  200  200  403  403  404  200  404  404  404   in
actions:agree                  GET   405  405  405  405  405  405  405  405  405  405   in
actions:agree                  POST  200  200  403  403  403  404  403  404  404  404   in
dashboard:index                GET   200  403  200  403  403  403  403  403  403  200   in
dashboard:index                POST  405  405  405  405  405  405  405  405  405  405   in
dashboard:access_report        GET   200  403  403  403  403  403  403  403  403  200   in
dashboard:access_report        POST  200  403  403  403  403  403  403  403  403  200   in
dashboard:period_filter        GET   405  405  405  405  405  405  405  405  405  405   in
dashboard:period_filter        POST  200  403  200  403  403  403  403  403  403  200   in
dashboard:csv                  GET   200  403  200  403  403  403  403  403  403  200   in
dashboard:csv                  POST  405  405  405  405  405  405  405  405  405  405   in
dashboard:report_pdf           GET   200  403  200  403  403  403  403  403  403  200   in
dashboard:report_pdf           POST  405  405  405  405  405  405  405  405  405  405   in
dashboard:commentary           GET   200  200  403  403  403  403  403  403  403  403   in
dashboard:commentary           POST  200  200  403  403  403  403  403  403  403  403   in
"""

# Outcomes that depend on the demo's story rather than the role alone, and why:
# - panel:room_agree: members marked present at today's meeting (the coordinator, the chair,
#   member.housing, spoc.elft) agree to its confidentiality statement; everyone else is told
#   they are not marked present (403).
# - panel:room*, panel:screen: today's meeting has not started, so only those who run or chair
#   it see the room; agency people follow it once it runs (tests/panel/test_room*.py).
# - panel:minutes_approve: only the chair; today's minutes are drafts, so the chair is sent
#   back with the reason (302).
# - accounts:two_factor_*: the table runs as the demo does, without TWO_FACTOR_REQUIRED and
#   with nobody set up: everyone may set it up (200); the code page and the backup codes page
#   send them on (302); a reset of someone with nothing to reset goes back to the people page
#   saying so (302). tests/accounts/test_two_factor.py tests them with it required.
# - referrals:sent: the case's referral was accepted long ago, so its "sent" page redirects
#   its referrer and the coordinator's staff to the referral (302).


def declared() -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    for line in TABLE.strip().splitlines():
        if line.startswith("#"):
            continue
        name, method, *cells = line.split()
        assert len(cells) == len(PERSONAS), f"{name} {method}: {len(cells)} outcomes"
        rows[(name, method)] = dict(zip(PERSONAS, cells, strict=True))
    return rows


def outcome(response) -> str:
    if response.status_code in (301, 302):
        return "in" if response["Location"].startswith(reverse("accounts:sign_in")) else "302"
    return str(response.status_code)


def ask(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    with transaction.atomic():
        response = client.post(url, {})
        transaction.set_rollback(True)
    return response


def text_of(response) -> str:
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    return response.content.decode(errors="replace")


def names_not_for(user) -> re.Pattern | None:
    """What would identify the persons `user` may not see, as one pattern (None: they may
    see everyone)."""
    seen = people_seen_by(user)
    if seen is None:
        return None
    allowed = {w.lower() for p in Person.objects.filter(pk__in=seen) for w in words_of(p)}
    words = {w for p in Person.objects.exclude(pk__in=seen) for w in words_of(p)}
    unlinked = Referral.objects.exclude(person_id__in=seen).exclude(family_name="")
    if user is not None:
        unlinked = unlinked.exclude(pk__in=referrals_seen_by(user))
    words |= {f"{r.given_names} {r.family_name}" for r in unlinked}
    words = {w for w in words if w.strip() and w.lower() not in allowed}
    return re.compile("|".join(map(re.escape, sorted(words))), re.IGNORECASE) if words else None


def test_every_url_name_in_the_url_conf_has_a_row_for_get_and_post():
    rows = declared()
    names = set(url_names())
    assert names - {n for n, _ in rows} == set(), "pages without a row in the access table"
    assert {n for n, _ in rows} - names == set(), "rows for URL names that no longer exist"
    assert all((n, m) in rows for n in names for m in ("GET", "POST"))


def walk_as(world, persona: str, rows) -> tuple[list[str], list[str], int]:
    """Every row's URL, as `persona`: (outcomes unlike the table's, names where they should
    not be, requests made)."""
    user = world.users.get(persona)
    forbidden = names_not_for(user)
    client = Client()
    wrong, leaked, asked = [], [], 0
    for (name, method), expected in rows.items():
        if user is not None:
            client.force_login(user)  # again: signing out signs them out
        url = reverse(name, kwargs=world.kwargs(name))
        response = ask(client, method, url)
        asked += 1
        got = outcome(response)
        if got != expected[persona]:
            wrong.append(f"{name} {method} {url}: {got}, the table says {expected[persona]}")
        if not is_private_response(response):
            wrong.append(f"{name} {method} {url}: Cache-Control {response.get('Cache-Control')!r}")
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            wrong += [f"{name} {url}: {box}" for box in free_text_in_get_forms(response.text)]
        if response.status_code == 200 and forbidden is not None:
            found = set(forbidden.findall(text_of(response)))
            if found:
                leaked.append(f"{name} {method} {url}: {sorted(found)[:3]}")
    return wrong, leaked, asked


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_access_table_says(demo, persona):
    world = build_world()
    wrong, leaked, asked = walk_as(world, persona, declared())
    assert asked == 2 * len(url_names())
    assert not wrong, "\n".join(wrong)
    assert not leaked, "persons this persona may not see, named:\n" + "\n".join(leaked)


@pytest.mark.django_db
def test_the_names_check_finds_a_person_on_a_page_the_persona_may_not_see(demo):
    world = build_world()
    client = Client()
    client.force_login(world.users["coordinator"])
    page = client.get(reverse("panel:case", args=[world.case.pk]))
    assert names_not_for(world.users["spoc_uninvolved"]).search(text_of(page))
    assert names_not_for(world.users["spoc_involved"]).search(text_of(page)) is None
    assert names_not_for(world.users["coordinator"]) is None


# --- the Django admin ----------------------------------------------------------------------
#
# The admin is for the people who keep the service (`is_staff`), and no role is: every one of
# its pages sends each persona to the admin's own sign-in, which says they may not enter.

ADMIN_ARGUMENTS = [{}, {"object_id": "1"}, {"id": "1"}, {"app_label": "accounts"}, {"url": "x"}]


def admin_address(name: str) -> str:
    for kwargs in ADMIN_ARGUMENTS:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    try:
        return reverse(name, kwargs={"content_type_id": 1, "object_id": "1"})
    except NoReverseMatch:
        return reverse(name, args=["1", "1"])  # a version in a record's history


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role.values, None])
def test_no_role_enters_the_django_admin(client, role):
    if role is not None:
        client.force_login(UserFactory(role=role))
    admin_sign_in = reverse("admin:login")
    names = [n for n in url_names(include_admin=True) if n.startswith("admin:")]
    let_in = []
    for name in names:
        if name in {"admin:login", "admin:logout"}:
            continue
        response = client.get(admin_address(name))
        if not (response.status_code == 302 and response["Location"].startswith(admin_sign_in)):
            let_in.append(f"{name}: {response.status_code}")
    assert len(names) > 40
    assert not let_in, "\n".join(let_in)
