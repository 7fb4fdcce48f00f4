"""The public forms: an introduction request and an error report, guarded against abuse.

No CAPTCHA and nothing from another origin: a honeypot field people never
see, a signed time stamp (a form sent within FORM_MIN_SECONDS of being shown
was not filled by a person), a cap on links, and single-line fields that
refuse line breaks and control characters (no header injection through a
name). Rate limits per address are applied by the views.
"""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from django_ratelimit.core import is_ratelimited

from directory.models import Cluster, Region, Sector

from .models import MAX_CLUSTERS, ErrorReport, IntroductionRequest, Language

STAMP_SALT = "inbox.form-shown"
STAMP_MAX_AGE = 24 * 3600
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")

ATLANTIC_CANADA = [
    ("CA-NB", _("New Brunswick")),
    ("CA-NL", _("Newfoundland and Labrador")),
    ("CA-NS", _("Nova Scotia")),
    ("CA-PE", _("Prince Edward Island")),
]
FIRST = {"CA", "FR", "PM"}


def country_choices():
    """Atlantic Canada first, then the rest of Canada, France, then every country by name."""
    return [
        ("", _("Choose a country")),
        (_("Atlantic Canada"), ATLANTIC_CANADA),
        (_("Canada"), [("CA", _("Canada, another province or territory"))]),
        (_("France"), [("FR", countries.name("FR")), ("PM", countries.name("PM"))]),
        (
            _("Other countries"),
            [(code, name) for code, name in countries if code not in FIRST],
        ),
    ]


def country_name(code: str) -> str:
    for value, label in ATLANTIC_CANADA:
        if value == code:
            return f"{label} (Canada)"
    return countries.name(code) or code


def one_line(value: str) -> None:
    if CONTROL.search(value):
        raise ValidationError(
            _("Write this on one line, without special characters."), code="control"
        )


def without_nul(data):
    """The posted data without NUL characters (PostgreSQL cannot store them), and whether
    there were any: the form then asks the visitor to check their text."""
    if not any("\x00" in value for values in data.lists() for value in values[1]):
        return data, False
    clean = data.copy()
    for key, values in data.lists():
        clean.setlist(key, [value.replace("\x00", "") for value in values])
    return clean, True


INVALID_EMAIL = _("Enter a valid email address.")


def over_limit(request, group: str, rate: str, email: str | None = None) -> bool:
    """Counts this POST in ``group``, per address, or per email address when one is
    given (whoever sends it); True once over ``rate`` (django-ratelimit's "3/d")."""
    key = "ip" if email is None else (lambda group, request: email.lower())
    return is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)


def form_stamp() -> str:
    return signing.dumps(time.time(), salt=STAMP_SALT)


class GuardedForm(forms.Form):
    """The anti-abuse fields and checks shared by the public forms."""

    text_fields = ()  # the fields whose links are counted

    # Hidden from people by the style sheet; a robot filling every field fills it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, had_nul=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.had_nul = had_nul
        self.fields["shown"].initial = form_stamp()
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.EmailInput):
                field.validators.append(one_line)
            if isinstance(field, forms.EmailField):
                # Django's own words, in the guide's catalogue: another app's (Django
                # REST framework's) translation of the same message would win otherwise.
                field.error_messages["invalid"] = INVALID_EMAIL

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(_("Leave this field empty."), code="honeypot")
        return ""

    def clean_shown(self):
        try:
            shown = signing.loads(
                self.cleaned_data["shown"], salt=STAMP_SALT, max_age=STAMP_MAX_AGE
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise ValidationError(
                _("This form has expired. Check your answers and send it again."), code="expired"
            ) from None
        elapsed = time.time() - float(shown)
        if elapsed > STAMP_MAX_AGE:
            raise ValidationError(
                _("This form has expired. Check your answers and send it again."), code="expired"
            )
        if elapsed < settings.FORM_MIN_SECONDS:
            raise ValidationError(
                _("This form was sent very quickly. Check your answers and send it again."),
                code="too_fast",
            )
        return shown

    def clean(self):
        cleaned = super().clean()
        if self.had_nul:
            self.add_error(
                None,
                _(
                    "Your text held an invisible null character, which we removed. "
                    "Check your answers and send the form again."
                ),
            )
        for name in self.text_fields:
            links = len(LINK.findall(cleaned.get(name) or ""))
            if links > settings.FORM_MAX_LINKS:
                self.add_error(
                    name,
                    ngettext(
                        "Please include at most %(count)d link.",
                        "Please include at most %(count)d links.",
                        settings.FORM_MAX_LINKS,
                    )
                    % {"count": settings.FORM_MAX_LINKS},
                )
        return cleaned

    def refresh_stamp(self):
        """After an error, the form shown again gets a new time stamp."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["shown"] = form_stamp()


class IntroductionForm(GuardedForm, forms.ModelForm):
    text_fields = ("looking_for",)

    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("French regions"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("Clusters"),
        queryset=Cluster.objects.published(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("I agree that the CACIMA uses these details to answer my request."),
        required=True,
        error_messages={"required": _("Tick this box so that we may answer you.")},
    )

    class Meta:
        model = IntroductionRequest
        fields = [
            "name",
            "organisation",
            "country",
            "email",
            "phone",
            "looking_for",
            "sectors",
            "regions",
            "clusters",
            "timeframe",
            "reply_language",
            "share_address",
            "consent",
        ]
        widgets = {
            "looking_for": forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
            "timeframe": forms.RadioSelect,
            "reply_language": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }
        labels = {
            "name": _("Your name"),
            "organisation": _("Your organisation"),
            "email": _("Your email"),
            "phone": _("Phone (optional)"),
            "looking_for": _("What are you looking for?"),
            "timeframe": _("When would you like to start?"),
            "reply_language": _("Reply in"),
            "share_address": _(
                "The CACIMA may pass my name and email to the clusters it introduces me to."
            ),
        }
        help_texts = {
            "looking_for": _(
                "Your business, the partners or markets you are looking for, "
                "what you would like from a cluster (2,000 characters at most)."
            ),
            "share_address": _("Otherwise the clusters answer through the CACIMA."),
        }

    def __init__(self, *args, shown_clusters=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the clusters the visitor came from are listed (there may be
        # thousands); any published cluster is accepted.
        self.fields["clusters"].widget.choices = [(c.slug, str(c)) for c in shown_clusters]
        self.fields["reply_language"].choices = Language.choices
        self.fields["consent"].widget.attrs["aria-describedby"] = "consent-details"
        self.fields["timeframe"].choices = self.fields["timeframe"].choices[1:]  # no blank

    # The choices as (value, label) pairs for the template's loops (includes/choices.html).
    def sector_choices(self):
        return [(sector.slug, sector.name) for sector in self.fields["sectors"].queryset]

    def region_choices(self):
        return [(region.slug, region.name) for region in self.fields["regions"].queryset]

    def cluster_choices(self):
        return self.fields["clusters"].widget.choices

    def timeframe_choices(self):
        return self.fields["timeframe"].choices

    def language_choices(self):
        return self.fields["reply_language"].choices

    def country_groups(self):
        """The country list by group, for the template to write (Django's widget templates
        take some 50 ms over 250 options; a plain loop, a few)."""
        return country_choices()[1:]

    def clean_clusters(self):
        clusters = self.cleaned_data["clusters"]
        if len(clusters) > MAX_CLUSTERS:
            raise ValidationError(
                _("Choose at most %(count)d clusters.") % {"count": MAX_CLUSTERS}, code="max"
            )
        return clusters


class ErrorReportForm(GuardedForm, forms.ModelForm):
    text_fields = ("description",)

    class Meta:
        model = ErrorReport
        fields = ["kind", "description", "email"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {
            "kind": _("What is wrong?"),
            "description": _("Tell us more"),
            "email": _("Your email (optional)"),
        }
        help_texts = {
            "description": _("What the page says, and what is right (2,000 characters at most)."),
            "email": _("Only if you would like to hear when the page is fixed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = self.fields["kind"].choices[1:]  # no blank
