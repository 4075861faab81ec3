import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from organizations.demo import DEMO_PASSWORD, DEMO_USERS, SCALES, seed
from organizations.models import Organization


class Command(BaseCommand):
    help = "Load deterministic demo data (small, or the shape of a whole province)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing (exit 0) when the database already has data.")

    def handle(self, *args, scale: str, if_empty: bool, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG off: demo data and demo "
                               "passwords must never reach a production database.")
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("The database already has data; demo not loaded.")
                return
            raise CommandError("The database already has organizations; seed_demo loads "
                               "only into an empty database.")
        started = time.perf_counter()
        self.stdout.write(f"Loading the '{scale}' demo...")
        counts = seed(scale, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"Done in {time.perf_counter() - started:.1f}s: " +
            ", ".join(f"{v} {k}" for k, v in counts.items())))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): quantri (admin), " +
                          ", ".join(f"{login} ({desc})" for login, _k, _w, desc in DEMO_USERS))
