"""Clients of the JSON API: other systems that post notifications, each with its own token."""

from django.db import models

from trappen.core.models import Municipality, OrganisationalUnit


class ApiClient(models.Model):
    """A system allowed to call the API for one municipality.

    Only the SHA-256 of the token is stored; the token is shown once, when it is created
    (`manage.py create_api_client`).
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("navn", max_length=100)
    unit = models.ForeignKey(
        OrganisationalUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The unit notifications from this client come from, if it is one unit.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API-klient"
        verbose_name_plural = "API-klienter"

    def __str__(self) -> str:
        return self.name
