from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.audit.log import verify


class Command(BaseCommand):
    help = (
        "Recompute the audit chain's seals and report any changed, deleted or inserted "
        "event, and any difference from the checkpoints kept outside the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            help="a checkpoint file to compare with (e.g. the copy kept by the level above); "
            "default: DANVAN_AUDIT_CHECKPOINT_FILE",
        )

    def handle(self, *args, **options):
        result = verify(checkpoints=options["checkpoints"])
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Audit chain intact: %(n)d events checked.") % {"n": result.checked}
                )
            )
            return
        for problem in result.problems:
            self.stderr.write(problem)
        raise CommandError(
            _("Audit chain broken: %(p)d problems in %(n)d events.")
            % {"p": len(result.problems), "n": result.checked}
        )
