from io import StringIO

from django.core.management import call_command

from accounts.models import Agency, User
from accounts.roles import Role
from demo.data import AGENCIES, DEMO_PASSWORD


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_every_partner_agency_of_the_brief(db):
    seed()
    assert Agency.objects.count() == len(AGENCIES)
    assert Agency.objects.get(is_host=True).name == "Adult Social Care"


def test_the_demo_prints_one_working_login_per_role(db):
    printed = seed()
    assert f"password for every account: {DEMO_PASSWORD}" in printed
    for role in Role:
        line = next(line for line in printed.splitlines() if line.strip().startswith(role.label))
        username = line.removeprefix(f"  {role.label}").split()[0]
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)


def test_demo_people_are_plainly_fictional(db):
    seed()
    for user in User.objects.all():
        assert user.email.endswith("@example.org")
        assert user.job_title.endswith("(demo)")


def test_the_demo_names_spocs_for_agencies(db):
    seed()
    with_spoc = Agency.objects.exclude(spoc=None)
    assert with_spoc.count() >= 2
    for agency in with_spoc:
        assert agency.spoc.agency == agency


def test_seeding_twice_changes_nothing(db):
    seed()
    counts = (Agency.objects.count(), User.objects.count())
    seed()
    assert (Agency.objects.count(), User.objects.count()) == counts


def test_the_demo_has_referrals_in_every_state(db):
    from referrals.choices import Status
    from referrals.models import Referral

    seed()
    assert set(Referral.objects.values_list("status", flat=True)) == set(Status.values)
    assert Referral.objects.filter(may_be_known=True).exists()


def test_demo_people_have_test_range_nhs_numbers(db):
    from referrals.models import Referral

    seed()
    for nhs_number in Referral.objects.exclude(nhs_number="").values_list("nhs_number", flat=True):
        assert nhs_number.startswith("999")
