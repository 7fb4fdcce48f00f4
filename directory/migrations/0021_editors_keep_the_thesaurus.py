from django.db import migrations

from directory.permissions import grant_to_editors, revoke_from_editors

CODENAMES = [
    "add_synonymgroup",
    "change_synonymgroup",
    "delete_synonymgroup",
    "view_synonymgroup",
]


class Migration(migrations.Migration):
    """Editors keep the search's thesaurus."""

    dependencies = [("directory", "0020_search_topics")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_to_editors(apps, CODENAMES),
            lambda apps, schema_editor: revoke_from_editors(apps, CODENAMES),
        )
    ]
