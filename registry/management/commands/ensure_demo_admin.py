"""``manage.py ensure_demo_admin``: a first administrator for a fresh demo, only if none exists.

The password is random and printed once; nothing is written to disk.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a demo superuser with a random password if the database has no superuser yet."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser already exists; no demo administrator created.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=options["username"], email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo administrator created. User name: {options['username']}  Password: {password}\n"
                "(shown once; change it in the admin or with manage.py changepassword)"
            )
        )
