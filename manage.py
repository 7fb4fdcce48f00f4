#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusters_site.settings")
    # Without DATABASE_URL, a command run by hand uses the embedded server,
    # started here if it is not running (the settings themselves start nothing).
    from clusters_site.embedded_db import use_embedded_server_unless_configured

    use_embedded_server_unless_configured()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
