from django.contrib import admin

from trappen.core.admin import OwnMunicipalityMixin
from trappen.offers.models import Offer


@admin.register(Offer)
class OfferAdmin(OwnMunicipalityMixin, admin.ModelAdmin):
    list_display = ["name", "step", "legal_basis", "provider", "municipality", "is_public"]
    list_filter = ["municipality", "step", "is_public"]
    search_fields = ["name"]
