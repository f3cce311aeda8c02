from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from danvan.voices.tasks import notify_deadlines


class Command(BaseCommand):
    help = "Enqueue today's deadline reminders (run daily, e.g. from cron or a systemd timer)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run in this process instead of enqueuing."
        )

    def handle(self, *args, now=False, **options):
        today = timezone.localdate().isoformat()
        if now:
            self.stdout.write(f"reminders sent: {notify_deadlines.call(today)}")
            return
        with transaction.atomic():
            transaction.on_commit(lambda: notify_deadlines.enqueue(today))
        self.stdout.write(f"enqueued deadline reminders for {today}")
