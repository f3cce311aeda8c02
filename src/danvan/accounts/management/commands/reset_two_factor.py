from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.services import remove_two_factor
from danvan.audit.context import request_context
from danvan.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Remove a user's two-step sign-in (lost phone and recovery codes); they set it up "
        "again at their next sign-in. Recorded in the audit log under the administrator."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="the system administrator doing it")

    def handle(self, *args, username, by, **options):
        users = get_user_model().objects
        user = users.filter(username=username).first()
        admin = users.filter(username=by, is_superuser=True, is_active=True).first()
        if user is None:
            raise CommandError(_("Unknown user: %(name)s.") % {"name": username})
        if admin is None:
            raise CommandError(_("%(name)s is not a system administrator.") % {"name": by})
        try:
            with request_context():
                remove_two_factor(actor=admin, user=user)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(_("Two-step sign-in removed for %(name)s.") % {"name": username})
