"""Writes about classes, rosters, timetables and class life, split by process.

Import from here: `from training.services import roster_import_confirm`.
"""

from .class_life import (
    AlreadyEvaluated,
    EvaluationNotOpen,
    NotAttended,
    calendar_feed_get_or_create,
    calendar_feed_renew,
    evaluation_submit,
    notice_mark_read,
    notice_publish,
)
from .classes import (
    TRANSITIONS,
    ClassStatusError,
    class_create,
    class_status_change,
    class_update,
    classes_end_past,
    status_change_allowed,
)
from .groups import committee_role_set, enrolment_group_set, group_save
from .roster import (
    CapacityReached,
    ImportBatchUsed,
    ImportInvalid,
    enrolment_add,
    enrolment_withdraw,
    roster_import_confirm,
    roster_import_preview,
)
from .roster_paste import PasteInvalid, roster_paste_confirm, roster_paste_preview
from .timetable import (
    session_delete,
    session_save,
    timetable_import_confirm,
    timetable_import_preview,
)

__all__ = [
    "TRANSITIONS",
    "AlreadyEvaluated",
    "CapacityReached",
    "ClassStatusError",
    "EvaluationNotOpen",
    "ImportBatchUsed",
    "ImportInvalid",
    "NotAttended",
    "PasteInvalid",
    "calendar_feed_get_or_create",
    "calendar_feed_renew",
    "class_create",
    "class_status_change",
    "classes_end_past",
    "class_update",
    "committee_role_set",
    "enrolment_add",
    "enrolment_group_set",
    "enrolment_withdraw",
    "evaluation_submit",
    "group_save",
    "notice_mark_read",
    "notice_publish",
    "roster_import_confirm",
    "roster_import_preview",
    "roster_paste_confirm",
    "roster_paste_preview",
    "session_delete",
    "session_save",
    "status_change_allowed",
    "timetable_import_confirm",
    "timetable_import_preview",
]
