"""Every field and model of ours has a translated name: Wagtail shows them as column
headers, form labels, filter names, "usage" rows and history entries, and a name left to
Django is the field's English attribute name ("Quiz slot", "updated at") on a Chinese
screen."""

from django.apps import apps
from django.utils.functional import Promise

from tests.crawl.harness import PROJECT_APPS


def _inherited_from_elsewhere(model) -> set[str]:
    """Fields an abstract base of another package declares (treebeard's path, taggit's tag)."""
    names = set()
    for base in model.__mro__[1:]:
        meta = getattr(base, "_meta", None)
        if meta is not None and meta.abstract and base.__module__.split(".")[0] not in PROJECT_APPS:
            names |= {f.name for f in meta.local_fields}
    return names


def _our_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and not m._meta.auto_created
    ]


def test_every_field_of_ours_has_a_translated_verbose_name():
    missing = []
    for model in _our_models():
        skip = _inherited_from_elsewhere(model)
        for field in model._meta.local_fields + model._meta.local_many_to_many:
            if field.auto_created or field.name in skip:
                continue
            if not isinstance(field.verbose_name, Promise):
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == [], "give these fields verbose_name=_(…)"


def test_every_model_of_ours_has_a_translated_verbose_name():
    missing = [
        model._meta.label
        for model in _our_models()
        if not isinstance(model._meta.verbose_name, Promise)
        or not isinstance(model._meta.verbose_name_plural, Promise)
    ]
    assert missing == [], "give these models Meta.verbose_name and verbose_name_plural"
