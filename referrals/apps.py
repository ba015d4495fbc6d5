from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Referral intake and screening (built in the referrals issue)."""

    name = "referrals"
