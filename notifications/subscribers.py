"""Who is told what: the receivers that turn committed transitions and events into notifications.

Each rule names the people whose turn it now is. The receivers run inside the transaction of
the change (see ``audit.workflow`` and ``audit.events``) and only queue a task
(``notifications.tasks``) that commits with it; the task reads the log row or object back and
notifies. A failing task is recorded by the
task backend, so a bug here costs a notification, never the transition.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from audit.events import event_recorded
from audit.models import TransitionLog
from audit.signals import transition_recorded
from certification.models import Certificate, InfoRequest, PermitCase, PermitDocument
from curation.models import Application, Assignment, Sample
from notifications.services import notify
from vendors.models import Vendor


def users_with_role(role: Role):
    return User.objects.filter(groups__name=role.value, is_active=True).distinct()


def applicants_of(vendor: Vendor):
    return vendor.owners.filter(is_active=True)


def application_params(application: Application, **extra) -> dict:
    return {
        "reference": application.reference,
        "product": application.product.name,
        "vendor": application.vendor.display_name,
        "programme": application.programme.name,
        **extra,
    }


def application_url(application: Application) -> str:
    return reverse("curation:detail", args=[application.pk])


def _load_application(pk: int) -> Application:
    return Application.objects.select_related("product", "vendor", "programme").get(pk=pk)


def on_vendor(vendor: Vendor, target: str, actor, note: str) -> None:
    params = {"vendor": vendor.display_name, "reason": note}
    url = reverse("vendors:detail", args=[vendor.pk])
    if target == Vendor.Status.SUBMITTED:
        notify(
            recipients=users_with_role(Role.STAFF),
            kind="vendor_submitted",
            params={**params, "province": getattr(vendor.province, "name", "")},
            url=reverse("vendors:review_queue"),
            actor=actor,
        )
    elif target in (Vendor.Status.VERIFIED, Vendor.Status.RETURNED, Vendor.Status.REJECTED):
        kind = {
            Vendor.Status.VERIFIED: "vendor_verified",
            Vendor.Status.RETURNED: "vendor_returned",
            Vendor.Status.REJECTED: "vendor_rejected",
        }[target]
        notify(recipients=applicants_of(vendor), kind=kind, params=params, url=url, actor=actor)


def on_application(application: Application, target: str, actor, note: str) -> None:
    application = _load_application(application.pk)
    params = application_params(application, reason=note)
    url = application_url(application)
    status = Application.Status
    if target == status.SUBMITTED:
        notify(
            recipients=users_with_role(Role.STAFF),
            kind="application_submitted",
            params=params,
            url=url,
            actor=actor,
        )
    elif target in (status.RETURNED, status.REJECTED):
        kind = "application_returned" if target == status.RETURNED else "application_rejected"
        notify(
            recipients=applicants_of(application.vendor),
            kind=kind,
            params=params,
            url=url,
            actor=actor,
        )
    elif target == status.SAMPLE_REQUESTED:
        sample = application.samples.order_by("-created_at", "-pk").first()
        notify(
            recipients=applicants_of(application.vendor),
            kind="sample_requested",
            params={**params, "instructions": sample.instructions if sample else ""},
            url=url,
            actor=actor,
        )
    elif target in (status.PASSED, status.CURATION_FAILED):
        notify(
            recipients=users_with_role(Role.STAFF),
            kind="curation_decided",
            params={**params, "state": target},
            url=url,
            actor=actor,
        )
    elif target == status.AWAITING_APPROVAL:
        notify(
            recipients=users_with_role(Role.APPROVER),
            kind="awaiting_approval",
            params=params,
            url=reverse("certification:approval", args=[application.pk]),
            actor=actor,
        )
    elif target == status.APPROVED:
        certificate = Certificate.objects.filter(application=application).first()
        notify(
            recipients=applicants_of(application.vendor),
            kind="application_approved",
            params={
                **params,
                "number": certificate.number if certificate else "",
                "valid_until": certificate.valid_until.isoformat() if certificate else "",
            },
            url=reverse("certification:my_certificates"),
            actor=actor,
        )


def on_sample(sample: Sample, target: str, actor) -> None:
    if target != Sample.Status.SHIPPED:
        return
    application = _load_application(sample.application_id)
    curators = User.objects.filter(
        curator_profile__assignments__application=application,
        curator_profile__assignments__ended_at__isnull=True,
    )
    params = application_params(
        application, courier=sample.courier, tracking=sample.tracking_number
    )
    # The curators may not have declared no conflict yet: they must not learn who the vendor is.
    del params["vendor"]
    notify(
        recipients=[*users_with_role(Role.STAFF), *curators],
        kind="sample_shipped",
        params=params,
        url=application_url(application),
        actor=actor,
    )


def on_permit_case(case: PermitCase, target: str, actor, note: str) -> None:
    if target != PermitCase.Status.INFO_REQUESTED:
        return
    application = _load_application(case.application_id)
    request = case.info_requests.filter(closed_at__isnull=True).order_by("-created_at").first()
    notify(
        recipients=applicants_of(application.vendor),
        kind="permit_info_requested",
        params=application_params(
            application,
            message=request.message if request else note,
            due_on=request.due_on.isoformat() if request else "",
        ),
        url=reverse("certification:case", args=[case.pk]),
        actor=actor,
    )


CERTIFICATE_KINDS = {
    (Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED): "certificate_suspended",
    (Certificate.Status.SUSPENDED, Certificate.Status.ACTIVE): "certificate_reinstated",
    (Certificate.Status.ACTIVE, Certificate.Status.REVOKED): "certificate_revoked",
    (Certificate.Status.SUSPENDED, Certificate.Status.REVOKED): "certificate_revoked",
    (Certificate.Status.ACTIVE, Certificate.Status.EXPIRED): "certificate_expired",
    (Certificate.Status.SUSPENDED, Certificate.Status.EXPIRED): "certificate_expired",
}


def on_certificate(certificate: Certificate, source: str, target: str, actor, note: str) -> None:
    kind = CERTIFICATE_KINDS.get((source, target))
    if kind is None:
        return
    certificate = Certificate.objects.select_related("product", "vendor").get(pk=certificate.pk)
    notify(
        recipients=applicants_of(certificate.vendor),
        kind=kind,
        params={
            "number": certificate.number,
            "product": certificate.product.name,
            "reason": note,
        },
        url=reverse("certification:my_certificates"),
        actor=actor,
    )


@receiver(transition_recorded, dispatch_uid="notifications.on_transition")
def on_transition(sender, log_entry, **kwargs):
    # Only queued here, in the transition's transaction (one row with the database task backend,
    # committed with the transition): the task works out who is told what, so notifying many
    # people never slows the person acting, and a rolled-back transition notifies nobody.
    from notifications import tasks

    tasks.notify_of_transition.enqueue(log_entry.pk)


@receiver(event_recorded, dispatch_uid="notifications.on_event")
def on_event(sender, event, instance, actor, **kwargs):
    from notifications import tasks

    tasks.notify_of_event.enqueue(
        event, instance._meta.label, str(instance.pk), actor.pk if actor is not None else None
    )


def notify_of_transition(log_entry_id: int) -> None:
    """Tell the people whose turn it now is about the transition logged as ``log_entry_id``."""
    entry = TransitionLog.objects.select_related("actor").get(pk=log_entry_id)
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    instance = model._default_manager.filter(pk=entry.object_id).first()
    if instance is None:
        return
    source, target, actor, note = entry.source_state, entry.target_state, entry.actor, entry.note
    if model is Vendor:
        on_vendor(instance, target, actor, note)
    elif model is Application:
        on_application(instance, target, actor, note)
    elif model is Sample:
        on_sample(instance, target, actor)
    elif model is PermitCase:
        on_permit_case(instance, target, actor, note)
    elif model is Certificate:
        on_certificate(instance, source, target, actor, note)


def notify_of_event(event: str, model_label: str, pk, actor_id) -> None:
    """Tell the people concerned about ``event`` on the object ``model_label`` ``pk``."""
    instance = apps.get_model(model_label)._default_manager.filter(pk=pk).first()
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    if instance is None:
        return
    if event == "curator_assigned" and isinstance(instance, Assignment):
        assignment = Assignment.objects.select_related("curator__user", "application__product").get(
            pk=instance.pk
        )
        application = assignment.application
        notify(
            recipients=[assignment.curator.user],
            kind="curator_assigned",
            # Blind until the curator declares no conflict: no vendor name here.
            params={"reference": application.reference, "category": application.product.category},
            url=reverse("curation:curator_application", args=[application.pk]),
            actor=actor,
        )
    elif event == "result_released" and isinstance(instance, Application):
        application = _load_application(instance.pk)
        passed = application.status not in (
            Application.Status.CURATION_FAILED,
            Application.Status.REJECTED,
        )
        notify(
            recipients=applicants_of(application.vendor),
            kind="curation_passed" if passed else "curation_failed",
            params=application_params(application),
            url=application_url(application),
            actor=actor,
        )
    elif event == "document_uploaded" and isinstance(instance, PermitDocument):
        document = PermitDocument.objects.select_related(
            "item", "case__application__product", "case__application__vendor"
        ).get(pk=instance.pk)
        application = document.case.application
        notify(
            recipients=users_with_role(Role.STAFF),
            kind="document_uploaded",
            params={**application_params(application), "document": document.item.name},
            url=reverse("certification:case", args=[document.case_id]),
            actor=actor,
        )
    elif event == "info_answered" and isinstance(instance, InfoRequest):
        request = InfoRequest.objects.select_related(
            "case__application__product", "case__application__vendor"
        ).get(pk=instance.pk)
        notify(
            recipients=users_with_role(Role.STAFF),
            kind="permit_info_answered",
            params={
                **application_params(request.case.application),
                "response": request.response[:300],
            },
            url=reverse("certification:case", args=[request.case_id]),
            actor=actor,
        )
