"""Background work of the dashboard, through the Django Tasks API: the summary refresh."""

from django_tasks import task

from dashboard import summary


@task()
def refresh_dashboard(from_scratch: bool = False) -> dict[str, float]:
    result = summary.refresh_summary(from_scratch=from_scratch)
    return {
        "transitions": result.transitions,
        "snapshots": result.snapshots,
        "seconds": round(result.seconds, 3),
    }
