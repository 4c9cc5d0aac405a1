"""Writes of the certificates app, split by process: completion and close, issue and render."""

from .close import (
    class_close,
    completion_appraisal_save,
    completion_override_set,
    completion_rule_update,
)
from .issue import (
    batch_retry,
    batch_run,
    certificate_issue,
    certificate_number_next,
    certificate_reissue,
    certificate_revoke,
    certificates_issue_for_class,
    certificates_render,
)
from .templates import certificate_template_default

__all__ = [
    "batch_retry",
    "batch_run",
    "certificate_issue",
    "certificate_number_next",
    "certificate_reissue",
    "certificate_revoke",
    "certificate_template_default",
    "certificates_issue_for_class",
    "certificates_render",
    "class_close",
    "completion_appraisal_save",
    "completion_override_set",
    "completion_rule_update",
]
