from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from danvan.audit.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` (stop the web and the worker first): checks the "
        "checksums, puts back the database, the uploads and the keys, then compares the row "
        "counts and verifies the audit chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--yes", action="store_true", help="replace the current data")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("Restoring replaces the current database: add --yes.")
        try:
            problems = restore(Path(options["directory"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Restored, but {len(problems)} checks failed.")
        self.stdout.write("Restored: row counts match and the audit chain verifies.")
