from django.db import migrations

from directory.permissions import grant_to_editors, revoke_from_editors

CODENAMES = ["change_clustertoreview", "view_clustertoreview"]


class Migration(migrations.Migration):
    """Editors see the clusters due for review and mark them as reviewed."""

    dependencies = [("directory", "0014_clusters_to_review")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_to_editors(apps, CODENAMES),
            lambda apps, schema_editor: revoke_from_editors(apps, CODENAMES),
        )
    ]
