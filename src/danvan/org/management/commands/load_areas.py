from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from danvan.audit.context import request_context
from danvan.org.loaders import load_areas


class Command(BaseCommand):
    help = "Load or refresh administrative areas (2025 and 2024 structures) from vietnam-provinces."

    def handle(self, *args, **options):
        with request_context():
            result = load_areas(actor=None)
        self.stdout.write(
            _(
                "Areas: %(created)d created, %(updated)d updated, %(unchanged)d unchanged; %(links)d predecessor links."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "links": result.links,
            }
        )
        for key, n in result.counts.items():
            self.stdout.write(f"  {key}: {n}")
