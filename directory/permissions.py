"""The staff group of the guide, used by data migrations."""

from django.contrib.auth.management import create_permissions

EDITORS = "Éditeurs / Editors"


def grant_to_editors(apps, codenames, app_label="directory"):
    """Give the Editors group these permissions of an app (creating both if needed).

    Permissions are normally created after all migrations have run; a data
    migration that grants them has to create them first.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def revoke_from_editors(apps, codenames, app_label="directory"):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
