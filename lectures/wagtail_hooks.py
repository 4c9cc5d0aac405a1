from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Lecture
from .viewsets import LecturePolicy, lecture_chooser_viewset, lecture_viewset

register_permission_policy(Lecture, LecturePolicy(Lecture))


@hooks.register("register_admin_viewset")
def register_lecture_viewsets():
    return [lecture_viewset, lecture_chooser_viewset]


@hooks.register("register_log_actions")
def register_lecture_actions(actions):
    actions.register_action("lectures.upload", _("Upload a video lecture"), _("Video uploaded"))
    actions.register_action(
        "lectures.retranscode", _("Transcode a video lecture again"), _("Video queued again")
    )
    actions.register_action(
        "lectures.watched", _("Watch a video lecture to the end"), _("Video watched to the end")
    )
