"""Audit entries in Wagtail's log (the admin's history views read them), in one INSERT.

`wagtail.log_actions.log` saves through `BaseLogEntry.save()`, whose `full_clean()`
checks each foreign key with a query of its own (the content type, the user): two extra
round trips on every audited change, and the hottest paths are audited (a check-in
scan, an exam submit). `log` here builds the same entry and validates it the same way,
except that it trusts the objects it was handed instead of looking them up again.

Entries for models Wagtail logs differently (pages, with their revisions) go through
Wagtail's own `log` unchanged.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, registry
from wagtail.log_actions import log as wagtail_log
from wagtail.models import ModelLogEntry

# Keys whose targets the caller hands in: validating them would only re-read them.
_TRUSTED_KEYS = ["content_type", "user"]


def log(instance, action: str, *, user=None, data: dict | None = None, **kwargs):
    """Record `action` on `instance` by `user`, as `wagtail.log_actions.log` does."""
    registry.scan_for_actions()
    model = registry.get_log_model_for_instance(instance)
    if model is not ModelLogEntry or kwargs:
        return wagtail_log(instance, action, user=user, data=data, **kwargs)
    if instance.pk is None:
        raise ValueError(f"Attempted to log an action for {instance!r} with empty primary key")
    context = get_active_log_context()
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        label=ModelLogEntry.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data=data or {},
        user=user or context.user,
        uuid=context.uuid,
    )
    # Everything Wagtail's save() checks (field values, a registered action) but the keys.
    entry.full_clean(exclude=_TRUSTED_KEYS, validate_unique=False, validate_constraints=False)
    # bulk_create inserts without calling save(), which would run full_clean() again.
    ModelLogEntry.objects.bulk_create([entry])
    return entry
