"""The staff login form, which checks the user name's length before authenticating it."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's login form, refusing a user name longer than any account's.

    Django's form gives the user name field a max_length but no validator, so
    any length reached authenticate() and django-axes, whose record of failed
    attempts holds 255 characters: a longer name was a server error. Now it is
    the form's error, and nothing is authenticated or recorded.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
