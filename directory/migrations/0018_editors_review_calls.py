from django.db import migrations

from directory.permissions import grant_to_editors, revoke_from_editors

CODENAMES = ["change_calltoreview", "view_calltoreview"]


class Migration(migrations.Migration):
    """Editors see the calls due for review and mark them as reviewed."""

    dependencies = [("directory", "0017_calls_to_review")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_to_editors(apps, CODENAMES),
            lambda apps, schema_editor: revoke_from_editors(apps, CODENAMES),
        )
    ]
