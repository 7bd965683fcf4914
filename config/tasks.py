"""A task backend for running without a worker: each task runs at once, after the commit.

Tasks are queued inside the transaction of the change they follow (``audit.signals``), and with
the database backend the worker sees them only once that transaction commits. Django Tasks'
``ImmediateBackend`` would run them inside the transaction instead, before the change is final;
this backend waits for the commit (at once outside a transaction), so the tests and a
worker-less installation see tasks run exactly when the worker would.
"""

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend


class ImmediateAfterCommitBackend(ImmediateBackend):
    def _execute_task(self, task_result) -> None:
        run = super()._execute_task
        transaction.on_commit(lambda: run(task_result))
