from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView

from lms.admin_scope import ScopedPolicy, ScopedSnippetViewSet

from . import admin_views
from .forms import RefuseForm
from .models import Declaration
from .selectors import can_decide_declarations, declaration_list_for_staff


@hooks.register("register_log_actions")
def register_declaration_actions(actions):
    actions.register_action(
        "declarations.submit", _("Declare credit hours"), _("Credit hours declared")
    )
    actions.register_action(
        "declarations.approve", _("Approve declaration"), _("Declaration approved")
    )
    actions.register_action(
        "declarations.refuse", _("Refuse declaration"), _("Declaration refused")
    )


class DeclarationPolicy(ScopedPolicy):
    """Trainees submit on their own page; in the admin organisers read and decide the
    declarations of people in their units, administrators all of them. Nobody adds, edits
    or deletes one here: a decision goes through the services, with its audit entry."""

    def user_has_permission(self, user, action):
        return action in ("view", "choose") and can_decide_declarations(user)

    def scope(self, user, action):
        return declaration_list_for_staff(viewer=user)


register_permission_policy(Declaration, DeclarationPolicy(Declaration))


class DeclarationInspectView(InspectView):
    """The review screen: the declaration, its evidence, and approve / refuse with a reason."""

    decide_url_name = None
    evidence_url_name = None

    def setup(self, request, *args, **kwargs):
        """Show only what the decision has filled in: a pending declaration has no decider
        yet, an approved one no reason for refusal."""
        super().setup(request, *args, **kwargs)
        empty = set()
        if self.object.status == Declaration.Status.PENDING:
            empty = {"reason", "decided_by", "decided_at"}
        elif self.object.status == Declaration.Status.APPROVED:
            empty = {"reason"}
        self.fields = [name for name in self.fields if name not in empty]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "declaration": self.object,
                "decide_url": reverse(self.decide_url_name, args=[self.object.pk]),
                "evidence_url": reverse(self.evidence_url_name, args=[self.object.pk]),
                "refuse_form": RefuseForm(),
            }
        )
        return context


class DeclarationViewSet(ScopedSnippetViewSet):
    model = Declaration
    icon = "doc-full"
    menu_label = _("Credit-hour declarations")
    add_to_admin_menu = True
    menu_order = 621
    inspect_view_enabled = True
    inspect_view_class = DeclarationInspectView
    copy_view_enabled = False
    list_display = [
        "title",
        Column("person", label=_("trainee")),
        Column("kind", label=_("kind of training"), accessor="get_kind_display"),
        Column("hours", label=_("credit hours")),
        Column("status", label=_("status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("submitted at")),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["title", "organiser", "person__full_name"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    inspect_view_fields = [
        "person",
        "kind",
        "title",
        "organiser",
        "start_date",
        "end_date",
        "hours",
        "status",
        "reason",
        "decided_by",
        "decided_at",
        "created_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "person__org_unit")

    inspect_template_name = "declarations/admin/inspect.html"

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            decide_url_name=self.get_url_name("decide"),
            evidence_url_name=self.get_url_name("evidence"),
            **kwargs,
        )

    def get_object_urlpatterns(self):
        return [
            path("decide/<int:pk>/", admin_views.decide, name="decide"),
            path("evidence/<int:pk>/", admin_views.evidence, name="evidence"),
        ]


register_snippet(DeclarationViewSet)


@hooks.register("ledger_person_sections")
def person_declarations(request, person):
    """On an organiser's ledger page of one person (ledger.admin_views.person_ledger): that
    person's 学时申报, each linked to its review screen. The same scope as the
    declarations list: declarations of people in the viewer's units, or none."""
    declarations = (
        declaration_list_for_staff(viewer=request.user)
        .filter(person=person)
        .select_related("decided_by")
    )
    return {
        "template": "declarations/admin/person_declarations.html",
        "declarations": list(declarations),
        "inspect_url_name": "wagtailsnippets_declarations_declaration:inspect",
    }
