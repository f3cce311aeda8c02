from pathlib import Path

from django.core.management.base import BaseCommand

from danvan.audit.backup import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump), the uploads and the keys "
        "into a new directory with a manifest (row counts, audit head, checksums)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default="backups")

    def handle(self, *args, **options):
        out = backup(Path(options["directory"]))
        self.stdout.write(str(out))
        self.stderr.write(f"Move {out / 'keys'} to a different place from the data backups.")
