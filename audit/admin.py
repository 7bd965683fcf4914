from django.contrib import admin

from audit.models import TransitionLog


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    """Read-only: nothing in admin may add, change or delete audit rows."""

    list_display = (
        "sequence",
        "created_at",
        "object_repr",
        "transition",
        "source_state",
        "target_state",
        "actor_username",
    )
    list_filter = ("content_type", "transition", "target_state")
    search_fields = ("object_repr", "actor_username", "note")
    list_select_related = ("content_type",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
