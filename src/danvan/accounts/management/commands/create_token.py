from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts.services import create_token
from danvan.audit.context import request_context
from danvan.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("Unknown user: %(name)s.") % {"name": username})
        try:
            with request_context(), transaction.atomic():
                _token, raw = create_token(actor=user, user=user, name=name)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(raw)
