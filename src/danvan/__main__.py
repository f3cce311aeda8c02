"""`python -m danvan <command>` works as manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0].replace("__main__.py", "danvan"), *sys.argv[1:]])


if __name__ == "__main__":
    main()
