"""Model history that snapshots many-to-many relations only when they change.

django-simple-history's ``m2m_fields`` copies the whole relation into its historical table on
*every* save — two more statements (read the relation, insert the copies) on each transition of
a vendor or a listing, about a third of an audited transition's cost (docs/performance.md),
although owners and delivery provinces change rarely. ``ChangedM2MHistory`` writes the snapshot
only on the creation record and on the record of an ``add``/``remove``/``clear`` of the relation;
the relation as it stood at any other record is the snapshot of the latest earlier record that
has one. Nothing in Kurasi reads these snapshots today; they keep who co-owned a vendor and where
a listing delivered auditable.
"""

from simple_history.models import HistoricalRecords


class ChangedM2MHistory(HistoricalRecords):
    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        instance._history_m2m_changed = True
        try:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        finally:
            instance._history_m2m_changed = False

    def create_historical_record_m2ms(self, history_instance, instance):
        if history_instance.history_type == "+" or getattr(instance, "_history_m2m_changed", False):
            super().create_historical_record_m2ms(history_instance, instance)
