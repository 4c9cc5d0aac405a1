"""The lecture library in the Wagtail admin: upload, see the conversion's progress, choose.

Instructors and organisers upload (roles in people/roles.py give them the model
permissions); the list shows each recording's status, with the percentage while the
worker converts it and the reason in Chinese when it failed.

Whose recordings: an uploader sees and changes their own; an organiser also those of the
people in their units (never another county's); the system administrator all of them.
Any ready recording may be chosen for a lesson (the chooser), as courses are shared.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.button import MenuItem

from lms.admin_scope import ScopedModelViewSet, ScopedPolicy, object_scope, policy_for
from lms.errors import DomainError
from lms.uploads import UploadRefused, file_size_limit
from people.selectors import within_units_q

from . import services
from .media import source_check
from .models import Lecture


class LectureForm(WagtailAdminModelForm):
    class Meta:
        model = Lecture
        fields = ["title", "description", "source", "subtitles"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source" in self.fields:
            self.fields["source"].validators.append(file_size_limit("LECTURES_UPLOAD_MAX_SIZE"))

    def clean_source(self):
        source = self.cleaned_data.get("source")
        if source and hasattr(source, "read") and not getattr(source, "_committed", False):
            try:
                source_check(source)
            except UploadRefused as error:
                raise forms.ValidationError(str(error), code=error.code) from error
        return source


class LectureEditForm(LectureForm):
    class Meta(LectureForm.Meta):
        fields = ["title", "description", "subtitles"]


def _status(lecture) -> str:
    if lecture.status == Lecture.Status.TRANSCODING:
        return format_html(
            '<progress max="100" value="{}"></progress> {} {}%',
            lecture.progress,
            lecture.get_status_display(),
            lecture.progress,
        )
    if lecture.status == Lecture.Status.FAILED:
        return format_html(
            '<span class="w-status w-status--label">{}</span> {}',
            lecture.get_status_display(),
            lecture.failure_reason,
        )
    return lecture.get_status_display()


def _duration(lecture) -> str:
    if not lecture.duration:
        return ""
    seconds = int(lecture.duration)
    return f"{seconds // 60}:{seconds % 60:02d}"


class LectureCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.lecture_create(
            actor=self.request.user,
            title=data["title"],
            description=data.get("description", ""),
            source=data["source"],
            subtitles=data.get("subtitles"),
        )


class LectureIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if services.transcode_retryable(instance) and self.permission_policy.user_has_permission(
            self.request.user, "change"
        ):
            buttons.append(
                MenuItem(
                    _("Transcode again"),
                    url=reverse("lecture_library:retranscode", args=[instance.pk]),
                    icon_name="rotate",
                    priority=5,
                )
            )
        return buttons


def lecture_retranscode_view(request, pk):
    """重新转码: GET asks to confirm (with the reason it failed), POST queues it again.

    Reached only for lectures in the user's scope (the viewset's gate answers 404 for
    others); the service checks the change permission and is idempotent."""
    lecture = get_object_or_404(object_scope(Lecture, request.user), pk=pk)
    if request.method == "POST":
        try:
            queued = services.transcode_retry(actor=request.user, lecture=lecture)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("lecture_library:index")
        if queued:
            messages.success(
                request,
                gettext("The conversion of “%(title)s” was queued again.")
                % {"title": lecture.title},
            )
        else:
            messages.info(
                request,
                gettext("“%(title)s” is already queued or converting: nothing more was queued.")
                % {"title": lecture.title},
            )
        return redirect("lecture_library:index")
    if not policy_can_change(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "lectures/admin/retranscode.html",
        {
            "page_title": gettext("Transcode again"),
            "header_icon": "media",
            "lecture": lecture,
            "retryable": services.transcode_retryable(lecture),
            "stuck_minutes": int(services.transcode_stuck_after().total_seconds() // 60),
        },
    )


def policy_can_change(user) -> bool:
    return policy_for(Lecture).user_has_permission(user, "change")


class LecturePolicy(ScopedPolicy):
    def scope(self, user, action):
        if user.is_superuser:
            return Lecture.objects.all()
        return Lecture.objects.filter(
            Q(uploaded_by=user) | within_units_q(user, field="uploaded_by__org_unit")
        )


class LectureViewSet(ScopedModelViewSet):
    model = Lecture
    icon = "media"
    menu_label = _("Video lectures")
    menu_order = 310
    add_to_admin_menu = True
    add_view_class = LectureCreateView
    index_view_class = LectureIndexView
    search_fields = ["title", "description"]
    list_filter = ["status"]
    list_display = [
        "title",
        Column("status", label=_("status"), accessor=_status),
        Column("duration", label=_("length"), accessor=_duration),
        Column("uploaded_by", label=_("uploaded by")),
        Column("created_at", label=_("uploaded at"), sort_key="created_at"),
    ]
    inspect_view_enabled = True
    # What a person reads; not the storage paths, folder id or rendition list.
    inspect_view_fields = [
        "title",
        "description",
        "status",
        "progress",
        "failure_reason",
        "duration",
        "uploaded_by",
        "created_at",
        "transcoded_at",
    ]
    # A copy would share the private source file, and its form cannot show that file.
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return LectureEditForm if for_update else LectureForm

    def get_object_urlpatterns(self):
        return [
            path("<int:pk>/retranscode/", lecture_retranscode_view, name="retranscode"),
        ]


class ReadyChooseMixin:
    """Every ready recording, for those who place recordings in lessons (who may see the
    library); nobody else gets a list."""

    def get_object_list(self):
        if not self.request.user.has_perm("lectures.view_lecture"):
            return Lecture.objects.none()
        return Lecture.objects.filter(status=Lecture.Status.READY).order_by("-created_at")


class LectureChooseView(ReadyChooseMixin, ChooseView):
    pass


class LectureChooseResultsView(ReadyChooseMixin, ChooseResultsView):
    pass


class LectureChooserViewSet(ChooserViewSet):
    model = Lecture
    icon = "media"
    choose_one_text = _("Choose a video lecture")
    choose_another_text = _("Choose another video lecture")
    edit_item_text = _("Edit this video lecture")
    choose_view_class = LectureChooseView
    choose_results_view_class = LectureChooseResultsView

    def get_urlpatterns(self):
        # Uploading goes through the library (the conversion takes minutes), not a modal.
        return [p for p in super().get_urlpatterns() if p.name != "create"]


lecture_viewset = LectureViewSet("lecture_library", url_prefix="lectures")
lecture_chooser_viewset = LectureChooserViewSet("lecture_chooser", url_prefix="lectures/choose")
