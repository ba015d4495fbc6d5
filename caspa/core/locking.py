"""The one optimistic lock: a change made from a page applies only to the version the page
showed.

Every record a person edits from a page carries a `version` column. A service locks the row
(`select_for_update`) at the version the user saw; if someone saved in between, it raises
`ChangedMeanwhile` and the page shows what changed, keeping what the user typed. Saving bumps
the version and records the acting user in the history.
"""

from django.db import models


class ChangedMeanwhile(Exception):
    """Someone saved the record after this user opened it; `record` is it as it is now."""

    def __init__(self, record: models.Model, *, seen_version: int):
        label = getattr(record, "reference", None) or f"{record._meta.verbose_name} {record.pk}"
        super().__init__(f"{label} changed since it was opened")
        self.record = record
        self.seen_version = seen_version


def lock_at_version(queryset: models.QuerySet, *, pk: int, version: int) -> models.Model:
    """The row, locked for this transaction, if it is still at `version`."""
    record = queryset.select_for_update().get(pk=pk)
    if record.version != version:
        raise ChangedMeanwhile(record, seen_version=version)
    return record


def save_as(record: models.Model, *, by, update_fields=None) -> models.Model:
    """Save a locked record as a new version, with `by` as the user in its history."""
    record.version += 1
    record._history_user = by
    if update_fields is not None:
        update_fields = [*update_fields, "version"]
    record.save(update_fields=update_fields)
    return record
