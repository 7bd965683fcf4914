"""The dashboard's precomputed figures: a narrow table of stays read from the audit log, and a
snapshot of the figures for the default view and every single-filter view.

``Stay`` holds one row per transition of an application in ``audit.TransitionLog``: the state it
left, the state it entered and how long the stay it ended lasted. It only grows: a refresh adds
the log rows after ``Refresh.last_log_id`` (the log is append-only and its rows are written one
at a time under the chain head's lock, so ids commit in order and none is skipped).
``Snapshot`` rows are rewritten whole by every refresh (``dashboard.summary``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from curation.models import Application


class Stay(models.Model):
    """One logged transition of an application and the stay in its source state it ended."""

    log_id = models.BigIntegerField(_("audit log entry"), primary_key=True)
    # Indexed by stay_by_application, which begins with it.
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("application"),
        db_index=False,
    )
    sequence = models.PositiveBigIntegerField(_("sequence"))
    source_state = models.CharField(_("from"), max_length=32)
    target_state = models.CharField(_("to"), max_length=32)
    left_at = models.DateTimeField(_("left at"))
    # Null when the log does not say when the stay began (see summary.add_stays).
    seconds = models.FloatField(_("seconds in the source state"), null=True)

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        indexes = [models.Index(fields=["application", "sequence"], name="stay_by_application")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.source_state} → {self.target_state}"


class Snapshot(models.Model):
    """The analytic figures of one view: all applications, or those of one programme,
    province or category (``scope`` and ``key``)."""

    ALL, PROGRAMME, PROVINCE, CATEGORY = "all", "programme", "province", "category"

    scope = models.CharField(_("scope"), max_length=16)
    key = models.CharField(_("key"), max_length=64, blank=True)
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="snapshot_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}".strip()


class Refresh(models.Model):
    """The one row saying how far the summary has read the audit log and when."""

    last_log_id = models.BigIntegerField(_("last audit log entry read"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration in seconds"), default=0)

    class Meta:
        verbose_name = _("dashboard refresh")

    def __str__(self) -> str:
        return f"#{self.last_log_id} {self.refreshed_at}"
