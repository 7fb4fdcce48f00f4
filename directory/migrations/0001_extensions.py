from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from directory.db import CREATE_FOLD_FUNCTION, DROP_FOLD_FUNCTION


class Migration(migrations.Migration):
    """PostgreSQL extensions and functions the guide's columns and searches rely on."""

    initial = True
    dependencies = []

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(CREATE_FOLD_FUNCTION, DROP_FOLD_FUNCTION),
    ]
