"""`imas demo`: make sure a demo account exists and print how to sign in with it.

Run by `make run`. Each run sets a fresh random password, so a demo box never keeps a
well-known one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.management.base import CommandParser

from imas.core.management.parsers import OneLineErrorCommand

DEMO_EMAIL = "demo@example.com"


class Command(OneLineErrorCommand):
    help = "Create (or refresh) the demo account and print its email and password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=DEMO_EMAIL)

    def handle(self, *args: Any, **options: Any) -> None:
        from allauth.account.models import EmailAddress

        from imas.accounts.selectors import user_by_email
        from imas.accounts.services import user_create

        email: str = options["email"]
        password = "demo-" + secrets.token_urlsafe(9)
        user = user_by_email(email)
        if user is None:
            user = user_create(
                email=email,
                password=password,
                name="Demo Runner",
                verified=True,
                consents=["body_data", "health_data"],
                channel="cli",
                birthday=dt.date(1990, 5, 17),
                height_cm=172.0,
                weight_kg=66.0,
                gender="prefer_not_to_say",
                activity_type="running",
                resting_hr=52,
                max_hr=188,
                time_zone="Europe/Berlin",
            )
        else:
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            EmailAddress.objects.filter(user=user, email__iexact=email).update(verified=True)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo account ready — sign in at http://127.0.0.1:8000/accounts/login/"
            )
        )
        self.stdout.write(f"  email:    {email}")
        self.stdout.write(f"  password: {password}")
