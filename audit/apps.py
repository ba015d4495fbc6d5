from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who read which record about a person, and when. (Changes are in each model's history.)"""

    name = "audit"
