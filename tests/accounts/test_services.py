import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Agency
from accounts.roles import Role
from accounts.services import (
    SPOC_MUST_BELONG_TO_AGENCY,
    SPOC_MUST_HAVE_SPOC_ROLE,
    agency_appoint_spoc,
    agency_create,
    user_create,
    user_join_agency_group,
)


def test_each_agency_gets_its_own_group_for_case_access(db):
    housing = agency_create(name="Housing", short_name="Housing")
    police = agency_create(name="Bedfordshire Police", short_name="Police")
    assert housing.group != police.group
    assert housing.group.name == "agency:Housing"


def new_referrer(agency):
    return user_create(
        username="new",
        email="new@example.org",
        first_name="New",
        last_name="Person",
        role=Role.REFERRER,
        agency=agency,
        password="a-long-enough-password",
    )


def test_a_new_user_joins_their_agencys_group(housing):
    user = new_referrer(housing)
    assert list(user.groups.all()) == [housing.group]


def production_settings(monkeypatch) -> dict:
    """caspa/settings.py as it reads in production (tests use a fast hasher instead)."""
    monkeypatch.setenv("DJANGO_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-key-that-is-long-and-random-" + "q" * 32)
    monkeypatch.setenv("ALLOWED_HOSTS", "caspa.example.org")
    return runpy.run_path(str(Path(__file__).resolve().parents[2] / "caspa" / "settings.py"))


def test_production_hashes_passwords_with_argon2(housing, settings, monkeypatch):
    # The one test that pays for argon2 (docs/engineering-notes.md, "Test speed").
    settings.PASSWORD_HASHERS = production_settings(monkeypatch)["PASSWORD_HASHERS"]
    user = new_referrer(housing)
    assert user.password.startswith("argon2")
    assert user.check_password("a-long-enough-password")


def test_moving_agency_moves_the_user_to_the_new_agencys_group(rosa, police):
    rosa.agency = police
    rosa.save()
    user_join_agency_group(user=rosa)
    assert list(rosa.groups.all()) == [police.group]


def test_an_agency_records_its_spoc_and_who_recorded_it(housing, harriet, cora):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    housing.refresh_from_db()
    assert housing.spoc == harriet
    latest = housing.history.latest()
    assert latest.spoc_id == harriet.pk
    assert latest.history_user == cora


def test_a_spoc_must_work_for_the_agency(housing, piers, cora):
    with pytest.raises(ValidationError) as caught:
        agency_appoint_spoc(agency=housing, spoc=piers, by=cora)
    assert caught.value.message_dict == {"spoc": [SPOC_MUST_BELONG_TO_AGENCY]}
    assert Agency.objects.get(pk=housing.pk).spoc is None


def test_a_spoc_must_have_the_spoc_role(housing, rosa, cora):
    with pytest.raises(ValidationError) as caught:
        agency_appoint_spoc(agency=housing, spoc=rosa, by=cora)
    assert caught.value.message_dict == {"spoc": [SPOC_MUST_HAVE_SPOC_ROLE]}


def test_only_one_agency_can_host_the_panel(asc):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        agency_create(name="Another host", short_name="Other", is_host=True)


def test_changes_to_a_user_are_in_the_history_without_the_password(rosa):
    rosa.job_title = "Senior housing officer"
    rosa.set_password("another-long-password")
    rosa.save()
    latest = rosa.history.latest()
    assert latest.job_title == "Senior housing officer"
    assert not hasattr(latest, "password")
