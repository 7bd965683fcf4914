from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import HistoryEvidenceAdmin, ServiceFSMAdminMixin
from certification import services
from certification.models import (
    Certificate,
    ChecklistItem,
    InfoRequest,
    PermitCase,
    PermitDocument,
    PermitRequirement,
)


@admin.register(PermitRequirement)
class PermitRequirementAdmin(HistoryEvidenceAdmin):
    list_display = ("category", "kind", "note")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(HistoryEvidenceAdmin):
    list_display = ("kind", "position", "name", "required")
    list_filter = ("kind", "required")
    ordering = ("kind", "position")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)


class SubmitForm(forms.Form):
    reference = forms.CharField(label=_("Kemenkes reference"), max_length=100)
    submitted_on = forms.DateField(label=_("Submitted on"), required=False)


class IssueForm(forms.Form):
    permit_number = forms.CharField(label=_("Permit number"), max_length=40)
    issued_on = forms.DateField(label=_("Issued on"))
    valid_until = forms.DateField(label=_("Valid until"))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyInline):
    model = PermitDocument
    fields = ("item", "review", "is_current", "uploaded_at", "reviewed_by", "rejection_reason")
    readonly_fields = fields


class InfoRequestInline(ReadOnlyInline):
    model = InfoRequest
    fields = ("message", "due_on", "response", "closed_at")
    readonly_fields = fields


@admin.register(PermitCase)
class PermitCaseAdmin(ServiceFSMAdminMixin, HistoryEvidenceAdmin):
    list_display = ("__str__", "kind", "status", "permit_number", "valid_until")
    list_filter = ("status", "kind")
    search_fields = ("permit_number", "kemenkes_reference", "application__product__name")
    list_select_related = ("application__product",)
    readonly_fields = (
        "application",
        "kind",
        "existing_permit",
        "kemenkes_reference",
        "submitted_on",
        "permit_number",
        "issued_on",
        "valid_until",
    )
    inlines = [DocumentInline, InfoRequestInline]
    fsm_fields = ["status"]
    fsm_forms = {"submit": SubmitForm, "issue": IssueForm, "refuse": ReasonForm}
    fsm_services = {
        "submit": lambda obj, by, reference, submitted_on: services.submit_permit_case(
            case=obj, by=by, reference=reference, submitted_on=submitted_on
        ),
        "start_review": lambda obj, by: services.start_permit_review(case=obj, by=by),
        "resume_review": lambda obj, by: services.resume_permit_review(case=obj, by=by),
        "issue": lambda obj, by, **data: services.issue_permit(case=obj, by=by, **data),
        "refuse": lambda obj, by, reason: services.refuse_permit(case=obj, by=by, reason=reason),
    }

    def has_add_permission(self, request):
        return False


@admin.register(Certificate)
class CertificateAdmin(ServiceFSMAdminMixin, HistoryEvidenceAdmin):
    list_display = ("number", "product", "vendor", "status", "issued_on", "valid_until")
    list_filter = ("status", "programme")
    search_fields = ("number", "product__name", "vendor__legal_name")
    list_select_related = ("product", "vendor")
    readonly_fields = (
        "number",
        "application",
        "vendor",
        "product",
        "programme",
        "permit_case",
        "specification",
        "issued_on",
        "valid_until",
        "approved_by",
        "approval_note",
    )
    fsm_fields = ["status"]
    fsm_forms = {"suspend": ReasonForm, "reinstate": ReasonForm, "revoke": ReasonForm}
    fsm_services = {
        "suspend": lambda obj, by, reason: services.suspend_certificate(
            certificate=obj, by=by, reason=reason
        ),
        "reinstate": lambda obj, by, reason: services.reinstate_certificate(
            certificate=obj, by=by, reason=reason
        ),
        "revoke": lambda obj, by, reason: services.revoke_certificate(
            certificate=obj, by=by, reason=reason
        ),
    }

    def has_add_permission(self, request):
        # Certificates exist only through approval.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
