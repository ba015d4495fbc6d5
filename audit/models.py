from django.conf import settings
from django.db import models


class RecordRead(models.Model):
    """One person's opening of one record about an adult at risk."""

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=40)  # e.g. "referrals.referral"
    record_id = models.PositiveBigIntegerField()
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-read_at"]
        indexes = [models.Index(fields=["record_type", "record_id", "-read_at"])]

    def __str__(self):
        return f"{self.reader} read {self.record_type} {self.record_id} at {self.read_at}"
