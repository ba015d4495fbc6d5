"""factory-boy factories. Every name they make up is plainly fictional."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import user_join_agency_group

PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Fictional Agency {n}")
    short_name = factory.Sequence(lambda n: f"FA{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.REFERRER
    job_title = "Practitioner (test)"
    phone = "01632 960000"
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def agency_group(obj, create, extracted, **kwargs):
        if create:
            user_join_agency_group(user=obj)


def complete_answers(**overrides) -> dict:
    """Every answer a referral needs, plainly fictional; agencies_involved is left to the caller."""
    from datetime import date

    answers = {
        "family_name": "Example",
        "given_names": "Alex",
        "other_names": "",
        "date_of_birth": date(1980, 5, 17),
        "nhs_number": "9434765919",
        "address": "1 Fictional Street, Luton",
        "lives_with": "Lives alone",
        "ethnicity": "white_british",
        "ethnicity_not_known_reason": "",
        "gender": "man",
        "gender_description": "",
        "preferred_language": "English",
        "interpreter_needed": "no",
        "disability": "None known",
        "communication_needs": "None",
        "needs": {"self_neglect": "Home without heating since October (visit 3 Nov)"},
        "primary_need": "self_neglect",
        "risk_description": "Risk of death from cold and malnutrition.",
        "why_critical_now": "Refused all help since the heating failed.",
        "tried_so_far": "Housing offered repairs; ASC offered care; both declined.",
        "safety_plan": "Daily welfare calls by Housing.",
        "interim_plan_in_place": "yes",
        "interim_plan": "Fire service home safety visit booked.",
        "interim_plan_why_not": "",
        "persons_views": "Wants to stay at home.",
        "consent": "yes",
        "consent_detail": "",
        "capacity_considered": "yes",
        "capacity_conclusion": "Has capacity to decide where to live (ASC, 1 Nov).",
        "risk_tools": {"self_neglect": "Self-neglect tool: high"},
        "risk_tools_none_reason": "",
        "referrer_name": "Rosa Test",
        "referrer_role": "Housing officer",
        "referrer_phone": "01632 960001",
        "referrer_email": "rosa@example.org",
        "referrer_availability": "Weekdays 9 to 5",
    }
    answers.update(overrides)
    return answers


def make_referral(by, *, submit=False, **overrides):
    """A referral by this user with every answer given; submitted if asked."""
    from referrals import services

    referral = services.referral_start(by=by)
    answers = complete_answers(**overrides)
    answers.setdefault("referrer_agency", by.agency)
    answers.setdefault("agencies_involved", [by.agency.pk])
    referral = services.referral_save_answers(
        referral_id=referral.pk, by=by, version=referral.version, answers=answers
    )
    if submit:
        referral = services.referral_submit(
            referral_id=referral.pk, by=by, version=referral.version
        )
    return referral


def accept(referral, by):
    """Confirms the referral's person as new and accepts it: (referral, placement)."""
    from panel import services as panel_services
    from referrals import services

    referral = services.referral_link_person(
        referral_id=referral.pk, by=by, version=referral.version, person_id=None
    )
    return panel_services.referral_accept_onto_pathway(
        referral_id=referral.pk, by=by, version=referral.version
    )


def fill_pathway(referrer, coordinator, count):
    """`count` referrals made by `referrer` and accepted by `coordinator`, each for a different
    person: [(referral, placement)], the sixteenth and later waiting for a place."""
    from datetime import date

    return [
        accept(
            make_referral(
                referrer,
                submit=True,
                nhs_number="",
                family_name=f"Sample{n}",
                date_of_birth=date(1950 + n, 1, 1),
            ),
            coordinator,
        )
        for n in range(count)
    ]


def case_with_lead(
    referrer, coordinator, *, agencies, lead, officer="H. Lomax", reason="Holds the tenancy"
):
    """A case on the pathway (a referral by `referrer`, accepted by `coordinator`), the
    `agencies` involved in it and `lead` leading it."""
    from panel import services as panel_services

    [(referral, _)] = fill_pathway(referrer, coordinator, 1)
    case = referral.case
    case = panel_services.case_set_agencies(
        case_id=case.pk, by=coordinator, version=case.version, agencies=agencies
    )
    return panel_services.case_appoint_lead(
        case_id=case.pk,
        by=coordinator,
        version=case.version,
        agency=lead,
        officer=officer,
        reason=reason,
    )


def ready_to_step_down(case, *, by, level="medium") -> dict:
    """Records what a step-down needs on `case`: a review at `level` (below high by default)
    and each desired outcome marked achieved. Returns the handover to close with, as
    case_close's keyword arguments."""
    from django.utils import timezone

    from panel.models import Achievement, RiskReview

    today = timezone.localdate()
    RiskReview.objects.create(case=case, reviewed_on=today, level=level, derived_level=level, by=by)
    case.desired_outcomes.filter(achievement="").update(achievement=Achievement.ACHIEVED)
    return {
        "handover_plan": "Housing keeps the weekly tenancy visit and the heating checks.",
        "handover_contingency": "If the heating fails again, Housing calls ASC the same day.",
    }


def years_of_closed_cases(count, *, by, agencies, years=10, actions_each=0):
    """`count` cases closed over the last `years` years, as a pathway accumulates them, each
    with `actions_each` actions done; written in bulk (no history, no chronology), for tests of
    how lists grow. Returns the cases."""
    from datetime import timedelta

    from django.utils import timezone

    from actions.models import Action
    from panel.models import Case, CaseStatus
    from referrals.models import Person, Referral

    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(family_name=f"Closed{n}", given_names="Fictional", family_name_soundex="C423")
        for n in range(count)
    )
    referrals = Referral.objects.bulk_create(
        Referral(
            created_by=by,
            referring_agency=agencies[n % len(agencies)],
            person=people[n],
            status="accepted",
            submitted_at=now - timedelta(days=200 + (n * 365 * years) // count),
        )
        for n in range(count)
    )
    cases = Case.objects.bulk_create(
        Case(
            referral=referral,
            person=referral.person,
            status=CaseStatus.CLOSED,
            lead_agency=agencies[n % len(agencies)],
            waiting_since=referral.submitted_at,
            joined_caseload_at=referral.submitted_at,
            closed_at=referral.submitted_at + timedelta(days=150),
            closure_agreed_on=(referral.submitted_at + timedelta(days=150)).date(),
            outcome="moved_away",
        )
        for n, referral in enumerate(referrals)
    )
    Action.objects.bulk_create(
        Action(
            case=case,
            description=f"Closed work {j}",
            owner_agency=agencies[(n + j) % len(agencies)],
            due_on=(case.waiting_since + timedelta(days=30 * (j + 1))).date(),
            status="done",
            created_by=by,
        )
        for n, case in enumerate(cases)
        for j in range(actions_each)
    )
    return cases


def overdue_action(case, *, by, owner, days=2):
    """An action agreed on `case` by `by`, owned by the agency `owner`, due `days` ago."""
    from datetime import timedelta

    from django.utils import timezone

    from actions import services
    from actions.models import Action

    today = timezone.localdate()
    action = services.action_agree(
        case=case, by=by, owner_agency=owner, description="Visit", due_on=today
    )
    Action.objects.filter(pk=action.pk).update(due_on=today - timedelta(days=days))
    return action
