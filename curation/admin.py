from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin_mixins import HistoryEvidenceAdmin, ServiceFSMAdminMixin
from curation import services
from curation.deadlines import expected_days
from curation.models import (
    Application,
    AssessorOrganisation,
    Assignment,
    Criterion,
    Curator,
    CuratorQualification,
    Programme,
    Rubric,
    Sample,
    Score,
)
from vendors.models import Product


class ProgrammeForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Product categories accepted"),
        choices=Product.Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "categories",
            "assessor",
            "opens_on",
            "closes_on",
            "quota",
            "pass_mark",
            "disagreement_threshold",
            "curators_per_application",
            "max_revisions",
            "one_chance",
            "certificate_validity_months",
            "expected_days",
        ]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The programme cannot close before it opens."))
        return cleaned


@admin.register(Programme)
class ProgrammeAdmin(HistoryEvidenceAdmin):
    form = ProgrammeForm
    list_display = ("name", "opens_on", "closes_on", "quota", "pass_mark", "assessor")
    list_select_related = ("assessor",)
    search_fields = ("name",)
    readonly_fields = ("expected_working_days",)

    @admin.display(description=_("Expected working days, as the queues read them"))
    def expected_working_days(self, obj):
        """The durations of ``expected_days`` in words, and the entries the queues ignore."""
        if not isinstance(obj.expected_days or {}, dict):
            return _("Not a mapping of state code to working days: fix the field above.")
        labels = dict(Application.Status.choices)
        rows = []
        for state in obj.expected_days or {}:
            days = expected_days(obj, state)
            if state not in labels:
                text = _("unknown state: ignored")
            elif days is None:
                text = _("not a number of working days: ignored")
            else:
                text = ngettext("%(days)d working day", "%(days)d working days", days) % {
                    "days": days
                }
            rows.append((labels.get(state, state), text))
        if not rows:
            return _("None: no application of this programme is ever shown as overdue.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", rows))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        created = services.copy_default_rubrics(programme=obj)
        if created:
            self.message_user(
                request,
                _("Default rubrics copied for: %(names)s. Edit them under Rubrics.")
                % {"names": ", ".join(r.name for r in created)},
                messages.INFO,
            )


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("position", "name", "weight", "scale_max", "critical_minimum", "guidance")
    extra = 0


@admin.register(Rubric)
class RubricAdmin(HistoryEvidenceAdmin):
    list_display = ("name", "category", "programme", "standard")
    list_filter = ("category", "programme")
    list_select_related = ("programme",)
    inlines = [CriterionInline]


class CuratorInline(admin.TabularInline):
    model = Curator
    fields = ("user", "is_active")
    autocomplete_fields = ("user",)
    extra = 0
    show_change_link = True


@admin.register(AssessorOrganisation)
class AssessorOrganisationAdmin(HistoryEvidenceAdmin):
    list_display = ("name", "lead")
    list_select_related = ("lead",)
    autocomplete_fields = ("lead",)
    inlines = [CuratorInline]


class QualificationInline(admin.TabularInline):
    model = CuratorQualification
    extra = 0


@admin.register(Curator)
class CuratorAdmin(HistoryEvidenceAdmin):
    list_display = ("user", "organisation", "is_active")
    list_filter = ("organisation", "is_active")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user",)
    inlines = [QualificationInline]


class AdminReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = (
        "curator",
        "role",
        "assigned_at",
        "no_conflict_declared_at",
        "submitted_at",
        "ended_at",
        "end_reason",
    )
    readonly_fields = fields


class SampleInline(ReadOnlyInline):
    model = Sample
    fields = (
        "status",
        "quantity_requested",
        "courier",
        "tracking_number",
        "received_at",
        "condition_on_arrival",
    )
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ServiceFSMAdminMixin, HistoryEvidenceAdmin):
    """Screening from the admin goes through the same services as the pages."""

    list_display = ("reference", "product", "vendor", "programme", "status", "submitted_at")
    list_filter = ("status", "programme", "product__category")
    search_fields = ("product__name", "vendor__legal_name", "vendor__trading_name")
    list_select_related = ("product", "vendor", "programme")
    readonly_fields = (
        "programme",
        "vendor",
        "product",
        "specification",
        "decision",
        "revision_count",
        "needs_moderation",
        "result_released_at",
        "created_by",
        "submitted_at",
        "status_changed_at",
    )
    exclude = ()
    inlines = [AssignmentInline, SampleInline]
    fsm_fields = ["status"]
    fsm_forms = {"return_for_changes": AdminReasonForm, "reject": AdminReasonForm}
    fsm_services = {
        "return_for_changes": lambda obj, by, reason: services.return_application(
            application=obj, by=by, reason=reason
        ),
        "reject": lambda obj, by, reason: services.reject_application(
            application=obj, by=by, reason=reason
        ),
        "request_sample": lambda obj, by: services.request_sample(application=obj, by=by),
        "allow_revision": lambda obj, by: services.allow_revision(application=obj, by=by),
    }

    def has_add_permission(self, request):
        # Applicants enter programmes from the portal, where every condition is checked.
        return False


@admin.register(Score)
class ScoreAdmin(HistoryEvidenceAdmin):
    """Scores are evidence: readable by the operator, changed only by their curator."""

    list_display = ("assignment", "criterion", "value")
    list_select_related = ("assignment__curator__user", "criterion")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
