"""Racing real threads against PostgreSQL, for the concurrency tests of every stage.

Each thread has its own database connection, so only the services' row locks keep the outcome
right. SQLite serialises every write transaction: there is nothing to race there, so the tests
using these helpers are skipped on it (``POSTGRES_ONLY``).
"""

import threading
import time

import pytest
from django.db import connection
from django.utils import translation

from audit.selectors import transitions_for
from audit.verification import verify_chain

POSTGRES_ONLY = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and concurrent connections (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(*calls, timeout=30):
    """Start every call at the same instant, each in its own thread and connection.

    Returns one ("ok", result) or ("refused", exception) per call, in call order.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            with translation.override("en"):
                barrier.wait(timeout=timeout)
                outcomes[index] = ("ok", call())
        except Exception as error:  # reported to the test below
            outcomes[index] = ("refused", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return outcomes


def kinds(outcomes):
    return sorted(kind for kind, _ in outcomes)


def slow_down(monkeypatch, module, name, seconds=0.2):
    """Make ``module.<name>`` pause before it runs, so that every racer is inside its
    transaction before any commits; with the row lock the later ones wait."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def refusals(outcomes):
    """The messages of the refused calls, as the person would read them, sorted."""
    return sorted(str(error) for kind, error in outcomes if kind == "refused")


def winners(outcomes):
    return [result for kind, result in outcomes if kind == "ok"]


def audit_trail(obj):
    """The transition log rows and history rows of ``obj``, counted and named: a race must add
    exactly the rows of the calls that won, and the hash chain must still hold."""
    report = verify_chain()
    assert report.intact, report
    return {
        "log": list(transitions_for(obj).values_list("transition", flat=True)),
        "history": type(obj).history.filter(id=obj.pk).count(),
    }
