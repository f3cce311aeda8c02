"""python -m danvan generate --scale national|province|commune --seed N"""

from django.core.management.base import BaseCommand, CommandError

from danvan.datagen.generate import APPS, SCALES, GenerationError, generate


class Command(BaseCommand):
    help = (
        "Generate a believable dataset (organizations, users, models, cases) in bulk, into a "
        "database that has the administrative units loaded and no organizations yet. "
        "Generated rows bypass the services: the audit log does not contain them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="commune")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--add",
            action="append",
            choices=APPS,
            help="Only this app's rows, into a database generated before (same scale, seed)",
        )

    def handle(self, *args, scale, seed, add, **options):
        try:
            result = generate(scale=scale, seed=seed, out=self.stdout, add=add)
        except GenerationError as exc:
            raise CommandError(str(exc)) from exc
        for label, n in sorted(result.counts.items()):
            self.stdout.write(f"  {label:<28} {n:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Generated {scale} scale in {result.seconds:.1f} s."))
