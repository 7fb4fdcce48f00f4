from django.db import migrations

from directory.permissions import grant_to_editors, revoke_from_editors

CODENAMES = [
    "view_introductionrequest",
    "change_introductionrequest",
    "view_errorreport",
    "change_errorreport",
    "view_action",
]


class Migration(migrations.Migration):
    """Editors answer the inbox: they read, forward, reply to and close requests and reports."""

    dependencies = [("inbox", "0001_initial"), ("directory", "0018_editors_review_calls")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_to_editors(apps, CODENAMES, "inbox"),
            lambda apps, schema_editor: revoke_from_editors(apps, CODENAMES, "inbox"),
        )
    ]
