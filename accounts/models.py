"""Partner agencies and the people who use CASPA on their behalf."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.roles import PERMISSIONS, Role


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Agency(models.Model):
    """A partner agency. Its group carries the per-case permissions of everyone in it."""

    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    is_host = models.BooleanField(
        default=False, help_text="The agency that hosts the panel (Adult Social Care)."
    )
    is_active = models.BooleanField(default=True)
    spoc = models.ForeignKey(
        "accounts.User",
        verbose_name="single point of contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, editable=False)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_host"], condition=models.Q(is_host=True), name="one_host_agency"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.group_id is None:
            self.group, _ = Group.objects.get_or_create(name=f"agency:{self.short_name}")
        super().save(*args, **kwargs)


class User(AbstractUser):
    """Someone who signs in: one role, one agency."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REFERRER)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # When they signed in before this time (`last_login` is this time): what changed since is
    # what their home page shows (accounts.services.user_record_sign_in). None: never before.
    previous_sign_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Password hashes and sign-in times are not a change anyone needs to read back.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "previous_sign_in_at"])

    class Meta:
        permissions = PERMISSIONS
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("accounts:people")
