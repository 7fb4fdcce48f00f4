"""The forms staff fill in the inbox: forward, reply, close."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Contact
from outbox.mail import render_message

from .forms import country_name
from .models import Language


def drafted(template: str, language: str, context: dict) -> tuple[str, str]:
    """The subject and text of a message from its templates, in ``language``, for staff to edit."""
    subject, body = render_message(template, language, context)
    return subject, body.strip() + "\n"


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 16}))

    def clean_subject(self):
        return " ".join(self.cleaned_data["subject"].split())  # one line: no header injection


class ForwardForm(MessageForm):
    contacts = forms.ModelMultipleChoiceField(
        label=_("Send to"),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The contacts with an email of the clusters named in the request."),
    )
    language = forms.ChoiceField(choices=Language.choices, widget=forms.HiddenInput)

    field_order = ["contacts", "language", "subject", "body"]

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        contacts = (
            Contact.objects.filter(cluster__in=item.clusters.all())
            .exclude(email="")
            .select_related("cluster")
            .order_by("cluster__sort_name_fr", "sort_name")
        )
        self.fields["contacts"].queryset = contacts
        self.fields["contacts"].label_from_instance = lambda contact: (
            f"{contact.cluster}: {contact} <{contact.email}>"
        )


def forward_draft(item, language: str) -> dict:
    subject, body = drafted(
        "inbox/mail/forward", language, {"item": item, "country": country_name(item.country)}
    )
    return {"subject": subject, "body": body, "language": language}


class CloseReportForm(forms.Form):
    fix = forms.CharField(
        label=_("What was fixed"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Kept on the report; sent to the visitor if you tick the box below."),
    )
    tell_reporter = forms.BooleanField(
        label=_("Tell the visitor, in the language of the page they reported from"),
        required=False,
        initial=True,
    )
