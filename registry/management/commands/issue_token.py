"""``manage.py issue_token USER``: an API token for a user, without their password.

For scripts an operator runs on the server: a department's mirroring job, CI's
authenticated fuzzing of the write endpoints. The token goes through
``registry.services.tokens.token_issue`` like a login's (hashed, expiring, audited);
only the secret is printed, on one line, so a script can capture it.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registry.services.tokens import token_issue


class Command(BaseCommand):
    help = "Issue an API token for an active user and print its secret (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="manage.py issue_token", help="What the token is for (shown in the admin)."
        )
        parser.add_argument(
            "--days", type=int, default=None, help="Valid for this many days (default REGISTRY_TOKEN_DAYS)."
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active user “%(username)s”.") % {"username": options["username"][:150]})
        days = options["days"]
        if days is not None and not 1 <= days <= 3650:
            raise CommandError(_("--days must be between 1 and 3650."))
        lifetime = timedelta(days=days) if days is not None else None
        _token, secret = token_issue(user=user, name=options["name"], lifetime=lifetime)
        self.stdout.write(secret)
