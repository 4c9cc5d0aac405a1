"""The bell's count moved onto the person's row (people.User.unread_notifications)."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    User = apps.get_model("people", "User")
    Notification = apps.get_model("notifications", "Notification")
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.update(unread_notifications=Coalesce(Subquery(unread), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_declaration_events"),
        ("people", "0003_user_group_names_and_unread_count"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
