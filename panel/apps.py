from django.apps import AppConfig
from django.db.models.signals import post_migrate


def the_pathway_exists(sender, using, **kwargs):
    """The one pathway row, as migration 0002 creates it, made again whenever the tables are
    emptied (`flush` sends post_migrate, as the tests' flush between transactional tests does):
    every page that shows the cap reads it, and every path that adds to the caseload locks it,
    so a read must never be the first to write it."""
    from panel.models import Pathway

    Pathway.objects.using(using).get_or_create(pk=1)


class PanelConfig(AppConfig):
    """Panel meetings, the agenda, the 15-case cap and lead agency (built in the panel issue)."""

    name = "panel"

    def ready(self):
        post_migrate.connect(the_pathway_exists, sender=self)
