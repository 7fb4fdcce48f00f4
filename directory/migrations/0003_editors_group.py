from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Éditeurs / Editors"

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
    # Permissions are normally created after all migrations have run; the
    # group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [
        f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions
    ]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
    )


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
