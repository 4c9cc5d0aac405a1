"""Load the demo data. Safe to run again: a second run changes nothing.

Each app keeps its own demo data in `<app>/demo.py` with `ORDER` and `seed(context)`;
this command runs them in order inside one transaction, sharing `context` (the org
units, people and pages created so far).
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules():
    found = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        found.append(module)
    return sorted(found, key=lambda m: m.ORDER)


class Command(BaseCommand):
    help = "Create or update the demo org units, accounts and content."

    def handle(self, *args, **options):
        context: dict = {}
        with transaction.atomic():
            for module in demo_modules():
                module.seed(context)
                self.stdout.write(f"  {module.__name__}")
            importlib.import_module("demo.videos").seed(context)
        # What the periodic sweep would have done by now: classes past their last
        # session read 已结束待结班, as on a server whose worker runs.
        from training.services import classes_end_past

        classes_end_past()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
