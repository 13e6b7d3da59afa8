"""Login forms: username and password, and with TRAPPEN_REQUIRE_2FA a TOTP code as well."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

INVALID_LOGIN = (
    "Brugernavn eller adgangskode er forkert. Bemærk, at der skelnes mellem store og små bogstaver."
)
INACTIVE = "Din bruger er spærret. Kontakt din administrator."
NO_DEVICE = (
    "Din bruger har ikke en bekræftet engangskode-app (TOTP), og du kan derfor ikke logge ind. "
    "Kontakt din administrator for at få den sat op."
)
# Messages about the second factor (a dict, so no constant looks like a hard-coded password).
OTP_MESSAGES = {
    "required": "Indtast engangskoden fra din app.",
    "invalid": "Engangskoden er forkert eller udløbet. Prøv igen med en ny kode.",
    "throttled": "Der har været for mange forkerte engangskoder. Vent lidt, og prøv igen.",
}


class LoginForm(AuthenticationForm):
    username = UsernameField(
        label="Brugernavn",
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "class": "form-input"}
        ),
        error_messages={"required": "Indtast dit brugernavn."},
    )
    password = forms.CharField(
        label="Adgangskode",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-input"}
        ),
        error_messages={"required": "Indtast din adgangskode."},
    )

    error_messages = {"invalid_login": INVALID_LOGIN, "inactive": INACTIVE}

    @property
    def password_was_accepted(self) -> bool:
        """True when the first factor passed (the form may still fail on the second)."""
        return self.user_cache is not None


class TotpLoginForm(LoginForm):
    """Password and a TOTP code from the user's confirmed device (django-otp)."""

    otp_token = forms.CharField(
        label="Engangskode",
        help_text="Den sekscifrede kode fra din godkendelses-app.",
        required=False,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "form-input input-width-xs",
            }
        ),
    )

    def clean(self):
        cleaned = super().clean()
        self.user_cache.otp_device = self._verified_device(self.user_cache)
        return cleaned

    def _verified_device(self, user) -> TOTPDevice:
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
        if device is None:
            raise forms.ValidationError(NO_DEVICE, code="no_device")
        token = (self.cleaned_data.get("otp_token") or "").strip()
        if not token:
            raise forms.ValidationError(OTP_MESSAGES["required"], code="token_required")
        # The throttling counters must be saved even when the code is wrong: raise after commit.
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            allowed, _ = device.verify_is_allowed()
            verified = allowed and device.verify_token(token)
        if not allowed:
            raise forms.ValidationError(OTP_MESSAGES["throttled"], code="token_throttled")
        if not verified:
            raise forms.ValidationError(OTP_MESSAGES["invalid"], code="invalid_token")
        return device
