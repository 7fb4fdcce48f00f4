from django.db import migrations

from directory.permissions import grant_to_editors, revoke_from_editors

CODENAMES = ["add_event", "change_event", "view_event"]


class Migration(migrations.Migration):
    """Editors edit the events of the cluster network like the rest of the guide."""

    dependencies = [("directory", "0006_events")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_to_editors(apps, CODENAMES),
            lambda apps, schema_editor: revoke_from_editors(apps, CODENAMES),
        )
    ]
