from django.utils.translation import gettext_lazy as _

from lms.errors import DomainError


class WatchRejected(DomainError):
    code = "watch_rejected"
    message = _("This player is not valid any more. Reload the lesson to continue.")


class WatchSuperseded(DomainError):
    code = "watch_superseded"
    message = _("This video is playing in another window; playback here has stopped.")


class WatchRateLimited(DomainError):
    code = "watch_rate_limited"
    message = _("Too many playback signals; slow down.")


class LectureNotReady(DomainError):
    code = "lecture_not_ready"
    message = _("This video is not ready yet.")


class TranscodeFailed(DomainError):
    code = "transcode_failed"
    message = _("The video could not be converted.")


class TranscodeNotRetryable(DomainError):
    code = "transcode_not_retryable"
    message = _("This video is already converted; there is nothing to convert again.")


class LectureNotYours(DomainError):
    code = "lecture_not_yours"
    message = _("You may not change this video lecture.")
