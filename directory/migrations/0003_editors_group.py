from django.db import migrations

from directory.permissions import EDITORS, grant_to_editors

# What the chamber's editors may do: edit the guide's content, never the
# accounts. They do not delete clusters or calls (unpublishing keeps the
# history); they may delete label history rows and contacts, which the
# cluster form edits inline.
PERMISSIONS = {
    "cluster": ["add", "change", "view"],
    "callforproposals": ["add", "change", "view"],
    "organisation": ["add", "change", "view"],
    "contact": ["add", "change", "delete", "view"],
    "labelling": ["add", "change", "delete", "view"],
    "officialfigure": ["add", "change", "view"],
    "clustertype": ["change", "view"],
    "sector": ["view"],
    "region": ["view"],
}


def create_editors_group(apps, schema_editor):
    grant_to_editors(
        apps, [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    )


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
