"""Background work of the certification stage, through the Django Tasks API."""

from django_tasks import task

from certification.services import expire_due


@task()
def expire_certifications() -> dict[str, list[str]]:
    """Daily: expire permits and certificates whose date has passed (see services.expire_due)."""
    return expire_due()
