from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from courtier.accounts.models import AccessRequest, Membership, Organisation, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """State changes go through services (which audit them), never through the admin."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "eligibility_category", "subject_to_rcti", "is_active"]
    list_filter = ["kind", "subject_to_rcti"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "status", "created_at"]
    list_filter = ["status"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ReadOnlyAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [(None, {"fields": ["email", "first_name", "last_name", "is_active"]})]
