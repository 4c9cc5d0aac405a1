"""The `lecture` block: a lesson places a video from the library, with its watching rules.

The rules are per placement (so per lesson): how much of the video must be watched for
the lesson to count as complete, and whether skipping ahead is refused until the video
has been watched once. The page signs them for the viewer, so the player cannot loosen
them: `lectures.views` reads them only from the signature.
"""

from django.conf import settings
from django.core import signing
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class LectureChooserBlock(blocks.ChooserBlock):
    """Chooses a ready lecture (the admin's chooser: lectures.viewsets). Resolved lazily:
    lesson pages import this module while the models are still loading."""

    @cached_property
    def target_model(self):
        # Imported here: lesson pages import this module while the models are still loading.
        from .models import Lecture

        return Lecture

    @cached_property
    def widget(self):
        # Imported here: the admin viewset imports models, still loading when this module is.
        from .viewsets import lecture_chooser_viewset

        return lecture_chooser_viewset.widget_class()

    def get_form_state(self, value):
        return self.widget.get_value_data(value)

    class Meta:
        icon = "media"


POLICY_SALT = "lectures.watch-policy"


def policy_sign(*, user_id: int, lecture_id: int, skip_forbidden: bool) -> str:
    return signing.dumps({"u": user_id, "l": lecture_id, "s": skip_forbidden}, salt=POLICY_SALT)


def policy_read(value: str, *, max_age: int = 12 * 3600) -> dict:
    return signing.loads(value, salt=POLICY_SALT, max_age=max_age)


class LectureBlock(blocks.StructBlock):
    lecture = LectureChooserBlock(label=_("video lecture"))
    required_percent = blocks.IntegerBlock(
        label=_("must be watched (%)"),
        default=90,
        min_value=0,
        max_value=100,
        help_text=_("The lesson is complete only once this share of the video was watched."),
    )
    skip_forbidden = blocks.BooleanBlock(
        label=_("refuse skipping ahead until watched once"),
        default=True,
        required=False,
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=200, required=False)

    class Meta:
        icon = "media"
        label = _("Video lecture")
        template = "lectures/blocks/lecture.html"
        description = _("A video from the lecture library, with watch-time tracking.")

    def get_context(self, value, parent_context=None):
        # Imported here: services import the audit log's models, still loading when this is.
        from . import services, stream

        context = super().get_context(value, parent_context=parent_context)
        lecture = value.get("lecture")
        request = (parent_context or {}).get("request")
        tracked = bool((parent_context or {}).get("study_view"))
        context["lecture"] = lecture
        # The files' URLs carry a token for this viewer's session: whoever sees this page
        # has been let in by the lesson's own checks (courses.views.lesson_serve).
        context["stream"] = (
            stream.urls_for(lecture, request=request)
            if lecture is not None and lecture.is_ready and request is not None
            else None
        )
        if lecture is not None and lecture.is_ready and request is not None and tracked:
            context["watch"] = {
                "policy": policy_sign(
                    user_id=request.user.pk,
                    lecture_id=lecture.pk,
                    skip_forbidden=bool(value.get("skip_forbidden")),
                ),
                "interval": services.heartbeat_interval_seconds(),
                "max_rate": services.max_speed(),
                "required": value.get("required_percent") or 0,
            }
        context["player_strings"] = {
            "watched": gettext("Watched %(percent)s%%"),
            "required": gettext("at least %(percent)s%% required"),
            "refused": gettext(
                "Skipping ahead is not allowed until you have watched the video once."
            ),
            "superseded": gettext(
                "This video is playing in another window; playback here has stopped."
            ),
            "expired": gettext("Reload the page to keep recording watch time."),
            "resumed": gettext("Resumed where you left off"),
            "speed": gettext("Speed"),
        }
        max_rate = float(getattr(settings, "LECTURES_MAX_PLAYBACK_RATE", 2))
        context["max_rate_setting"] = f"{max_rate:g}"
        context["rates"] = [
            r for r in ("0.75", "1", "1.25", "1.5", "2", "3") if float(r) <= max_rate
        ]
        return context
