import json

from django.core.management.base import BaseCommand

from danvan.audit.checkpoints import take


class Command(BaseCommand):
    help = (
        "Append a checkpoint of the audit chain's head to the checkpoint file (outside the "
        "database) and print it, to be kept by the level above. Run it on a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", help="checkpoint file (default: DANVAN_AUDIT_CHECKPOINT_FILE)"
        )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(take(options["file"]), sort_keys=True))
