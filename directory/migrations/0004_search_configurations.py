from django.db import migrations

# Text search configurations that fold accents: PostgreSQL's own "french"
# does not ("hopital" would not find "hôpital"). The "simple" one keeps
# words unstemmed for names and acronyms.
CONFIGURATIONS = {"french_unaccent": "french", "english_unaccent": "english", "simple_unaccent": "simple"}

CREATE = "".join(
    f"""
    DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};
    CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{base});
    ALTER TEXT SEARCH CONFIGURATION {name}
        ALTER MAPPING FOR hword, hword_part, word
        WITH public.unaccent, {"simple" if base == "simple" else base + "_stem"};
    """
    for name, base in CONFIGURATIONS.items()
)
DROP = "".join(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};" for name in CONFIGURATIONS)


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_editors_group")]

    operations = [migrations.RunSQL(CREATE, DROP)]
