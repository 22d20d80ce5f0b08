"""`manage.py api_token USERNAME [--name N] [--expires YYYY-MM-DD]`: create a personal API
token and print its key as the last word (it is shown once and stored hashed)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from crm.api.tokens import token_create


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print its key (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py api_token")
        parser.add_argument("--expires", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, username, name, expires, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        try:
            token, key = token_create(user=user, name=name, expires_on=expires)
        except PermissionDenied:
            raise CommandError(f"{username!r} has no role: the API would refuse it.") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Token {token.name!r} created for {username}; its key: {key}")
