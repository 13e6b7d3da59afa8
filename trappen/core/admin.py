"""The administrator's tools: users, units, roles, closing days. No case content is registered."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from trappen.core.models import ClosingDay, Municipality, OrganisationalUnit, RoleAssignment, User


class OwnMunicipalityMixin:
    """An administrator sees and edits only the own municipality's rows."""

    municipality_path = "municipality"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.municipality_path: request.user.municipality_id})


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class TrappenUserAdmin(OwnMunicipalityMixin, UserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "last_name", "municipality", "is_active"]
    list_filter = ["municipality", "is_active", "role_assignments__role"]
    fieldsets = UserAdmin.fieldsets + (
        ("Trappen", {"fields": ("municipality", "title", "phone", "is_demo")}),
    )


@admin.register(Municipality)
class MunicipalityAdmin(OwnMunicipalityMixin, admin.ModelAdmin):
    municipality_path = "pk"
    list_display = ["name", "slug", "code", "is_synthetic"]


@admin.register(OrganisationalUnit)
class OrganisationalUnitAdmin(OwnMunicipalityMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "district", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name", "district"]


@admin.register(ClosingDay)
class ClosingDayAdmin(OwnMunicipalityMixin, admin.ModelAdmin):
    list_display = ["date", "reason", "municipality"]
    list_filter = ["municipality"]
