from django import forms
from django.contrib.auth.forms import AuthenticationForm

WRONG_USERNAME_OR_PASSWORD = (
    "The username or password is not right. After {limit} wrong tries in a row the account "
    "is locked for {minutes} minutes."
)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with messages that say what to do next."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-20",
            }
        ),
        error_messages={"required": "Enter your username"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "govuk-input--width-20"}
        ),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.error_messages["invalid_login"] = WRONG_USERNAME_OR_PASSWORD.format(
            limit=settings.AXES_FAILURE_LIMIT,
            minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        )
        self.error_messages["inactive"] = "This account has been closed. Ask the panel coordinator."


class TwoFactorCodeForm(forms.Form):
    """The security code: from the authenticator app, or (when verifying) a backup code."""

    code = forms.CharField(
        label="Security code",
        max_length=20,
        error_messages={"required": "Enter the security code"},
    )

    def __init__(self, *args, backup_codes_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        attrs = {
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "none",
            "class": "govuk-input--width-10",
        }
        if backup_codes_allowed:
            field.help_text = (
                "The 6-digit code your authenticator app shows for CASPA, or one of your "
                "backup codes if you do not have your phone."
            )
        else:
            field.help_text = "The 6-digit code your authenticator app now shows for CASPA."
            attrs["inputmode"] = "numeric"
        field.widget.attrs.update(attrs)
