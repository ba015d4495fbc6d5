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
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def agency_group(obj, create, extracted, **kwargs):
        if create:
            user_join_agency_group(user=obj)
