"""The class's completion rule (结业条件), read by closing and by issuing alike."""

from training.models import TrainingClass

from ..models import CompletionRule


def completion_rule_for(*, training_class: TrainingClass) -> CompletionRule:
    """The class's rule, created with the regulation defaults the first time it is asked for."""
    rule, _created = CompletionRule.objects.get_or_create(training_class=training_class)
    return rule
