"""The subscription forms: subscribe (guarded as the inbox's forms are), change one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inbox.forms import GuardedForm

from .models import Frequency, Target


class SubscribeForm(GuardedForm):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    target = forms.ChoiceField(choices=Target.choices, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class ManageForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect
    )
    paused = forms.BooleanField(label=_("Pause this alert"), required=False)
