"""The demo data: every seed takes seconds, so each test checks one whole area of it."""

from io import StringIO

from django.core.management import call_command

from accounts.models import Agency, User
from accounts.roles import Role
from demo.data import AGENCIES, DEMO_PASSWORD


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_every_agency_a_working_login_per_role_and_only_fictional_people(db):
    printed = seed()
    assert Agency.objects.count() == len(AGENCIES)
    assert Agency.objects.get(is_host=True).name == "Adult Social Care"
    assert f"password for every account: {DEMO_PASSWORD}" in printed
    for role in Role:
        line = next(line for line in printed.splitlines() if line.strip().startswith(role.label))
        username = line.removeprefix(f"  {role.label}").split()[0]
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
    for user in User.objects.all():
        assert user.email.endswith("@example.org")
        assert user.job_title.endswith("(demo)")
    with_spoc = Agency.objects.exclude(spoc=None)
    assert with_spoc.count() >= 2
    for agency in with_spoc:
        assert agency.spoc.agency == agency


def test_the_demo_has_referrals_in_every_state_and_a_full_pathway_with_history(db):
    from panel.models import Case, CaseStatus, MinutesStatus, PanelMeeting
    from referrals.choices import Status
    from referrals.models import Referral

    seed()
    assert set(Referral.objects.values_list("status", flat=True)) == set(Status.values)
    assert Referral.objects.filter(may_be_known=True).exists()
    for nhs_number in Referral.objects.exclude(nhs_number="").values_list("nhs_number", flat=True):
        assert nhs_number.startswith("999")  # the NHS's test range
    assert Case.objects.on_caseload().count() == 15
    assert 1 <= Case.objects.filter(status=CaseStatus.WAITING).count() <= 5
    assert Case.objects.filter(status=CaseStatus.CLOSED).count() >= 3
    assert PanelMeeting.objects.filter(minutes_status=MinutesStatus.APPROVED).exists()
    assert Case.objects.filter(status=CaseStatus.ACTIVE).exclude(lead_agency=None).count() >= 10


def test_seeding_twice_changes_nothing(db):
    from panel.models import Case
    from referrals.models import Referral

    seed()
    counts = [m.objects.count() for m in (Agency, User, Referral, Case)]
    seed()
    assert [m.objects.count() for m in (Agency, User, Referral, Case)] == counts
