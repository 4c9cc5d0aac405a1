"""One scope rule per model for every admin view that takes an object.

Wagtail's generic object views (edit, delete, history, usage, copy, inspect, revisions,
lock, unpublish, the chooser's "chosen" view …) each fetch their object with their own
`get_object_or_404(self.model, …)` over the whole table and check only the model
permission. Scoping the list is not enough: a county organiser who types the pk of a city
class's exam into the URL would open it.

So a model's permission policy says which rows a user may reach (`scope`), and
`ScopedSnippetViewSet` puts a gate in front of every URL of the viewset and of its chooser
that carries a `pk`: a row outside that one queryset answers 404, before Wagtail's view
runs, whatever the view is called and however Wagtail fetches it. The listing, the chooser
listing and bulk actions read the same queryset.
"""

from django.contrib.admin.utils import unquote
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

# What the object views need: a row the user may see, change or delete.
OBJECT_ACTIONS = ("view", "change", "delete")
CHOOSE = "choose"


class ScopedPolicy(ModelPermissionPolicy):
    """Model-wide permissions decide *what* a user may do; `scope` decides *on which rows*.

    Subclasses implement `scope(user, action)`; every per-instance answer derives from it,
    so the snippet views, bulk actions and services ask one question.
    """

    def scope(self, user, action: str) -> QuerySet:
        raise NotImplementedError

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.scope(user, action).filter(pk=instance.pk).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        if not user.is_active or not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return self.scope(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [a for a in actions if user.is_active and self.user_has_permission(user, a)]
        if not allowed:
            return self.model._default_manager.none()
        if len(allowed) == 1 or len({self._scope_key(a) for a in allowed}) == 1:
            return self.scope(user, allowed[0])
        q = Q(pk__in=[])
        for action in allowed:
            q |= Q(pk__in=self.scope(user, action).values("pk"))
        return self.model._default_manager.filter(q)

    def _scope_key(self, action: str) -> str:
        """Actions whose scope is the same queryset; `choose` may reach further (e.g. a
        parent unit's certificate template can be used, not changed)."""
        return CHOOSE if action == CHOOSE else "manage"


class SharedVocabularyPolicy(ScopedPolicy):
    """A small shared list (case approaches, national credit-hour requirements): whoever
    holds the model permission manages all of it; anyone in the admin may choose from it."""

    def user_has_permission(self, user, action):
        if action == CHOOSE:
            return user.is_active and (
                user.is_superuser or user.has_perm("wagtailadmin.access_admin")
            )
        return super().user_has_permission(user, action)

    def scope(self, user, action):
        return self.model._default_manager.all()


def policy_for(model) -> ScopedPolicy:
    policy = policy_registry.get_by_type(model)
    if not isinstance(policy, ScopedPolicy):
        raise TypeError(f"{model.__name__} has no ScopedPolicy: register one for it")
    return policy


def object_scope(model, user) -> QuerySet:
    """The rows whose admin object views the user may open."""
    return policy_for(model).instances_user_has_any_permission_for(user, list(OBJECT_ACTIONS))


def choose_scope(model, user) -> QuerySet:
    return policy_for(model).instances_user_has_permission_for(user, CHOOSE)


def _gate(view, scope):
    """Wrap a view taking `pk`: 404 unless the row is in `scope(request)`."""

    def gated(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not scope(request).filter(pk=unquote(str(pk))).exists():
            raise Http404
        return view(request, *args, **kwargs)

    # Keep what Wagtail and the URL tests read off the view (view_class, csrf flags).
    gated.__dict__.update(view.__dict__)
    gated.__name__ = getattr(view, "__name__", "gated")
    gated.__module__ = view.__module__
    gated.__doc__ = view.__doc__
    gated.scope_gated = True
    return gated


def _gate_urlpatterns(patterns, scope):
    for pattern in patterns:
        if "pk" in pattern.pattern.regex.groupindex:
            pattern.callback = _gate(pattern.callback, scope)
    return patterns


class _ScopedChooseMixin:
    def get_object_list(self):
        return choose_scope(self.model_class, self.request.user)


class ScopedChooseView(_ScopedChooseMixin, ChooseView):
    pass


class ScopedChooseResultsView(_ScopedChooseMixin, ChooseResultsView):
    pass


class ScopedChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return choose_scope(self.model_class, self.request.user).filter(pk__in=pks)


class ScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_multiple_view_class = ScopedChosenMultipleView

    def get_urlpatterns(self):
        return _gate_urlpatterns(
            super().get_urlpatterns(), lambda request: choose_scope(self.model, request.user)
        )


class ScopedSnippetViewSet(SnippetViewSet):
    """A SnippetViewSet whose every view reads the model policy's one scoped queryset."""

    chooser_viewset_class = ScopedChooserViewSet

    def object_scope(self, request) -> QuerySet:
        return object_scope(self.model, request.user)

    def get_queryset(self, request):
        return self.object_scope(request)

    def get_object_urlpatterns(self) -> list:
        """The viewset's own views of one object (a quiz's preview …), taking `pk`: gated
        like Wagtail's."""
        return []

    def get_urlpatterns(self):
        return _gate_urlpatterns(
            [*super().get_urlpatterns(), *self.get_object_urlpatterns()], self.object_scope
        )


class _ScopedListing:
    """The listing (and its results URL) lists the viewset's scoped queryset only."""

    scope = None

    def get_base_queryset(self):
        return self.scope(self.request)


class ScopedModelViewSet(ModelViewSet):
    """`ScopedSnippetViewSet` for a model that is not a snippet (people, classes): the
    listing reads the policy's scoped queryset and every URL carrying a `pk` is gated by
    it, so a guessed id of another county's row answers 404.

    `scoped_policy` names the policy when it must not be registered for the model (the
    user model's registered policy is Wagtail's own Users area's); otherwise the
    registered `ScopedPolicy` is used. Either way every view gets that policy.
    """

    scoped_policy: ScopedPolicy | None = None
    copy_view_enabled = False

    @cached_property
    def permission_policy(self):
        return self.scoped_policy or policy_for(self.model)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(permission_policy=self.permission_policy, **kwargs)

    def construct_view(self, view_class, **kwargs):
        if issubclass(view_class, IndexView):
            view_class = type(
                view_class.__name__,
                (_ScopedListing, view_class),
                {"__module__": view_class.__module__},
            )
            kwargs["scope"] = self.get_queryset
        return super().construct_view(view_class, **kwargs)

    def object_scope(self, request) -> QuerySet:
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, list(OBJECT_ACTIONS)
        )

    def get_queryset(self, request):
        return self.object_scope(request)

    def get_object_urlpatterns(self) -> list:
        """The viewset's own views of one object (reset a password …), taking `pk`."""
        return []

    def get_urlpatterns(self):
        return _gate_urlpatterns(
            [*super().get_urlpatterns(), *self.get_object_urlpatterns()], self.object_scope
        )


class ScopedDeleteBulkAction(DeleteBulkAction):
    """Bulk delete over the scoped queryset: ids outside it are not even listed by name."""

    def get_queryset(self, model, object_ids):
        policy = policy_registry.get_by_type(model)
        if not isinstance(policy, ScopedPolicy):
            return super().get_queryset(model, object_ids)
        rows = list(
            policy.instances_user_has_permission_for(self.request.user, "delete").filter(
                pk__in=object_ids
            )
        )
        if not rows:
            raise Http404
        return rows

    def get_all_objects_in_listing_query(self, parent_id):
        if not isinstance(policy_registry.get_by_type(self.model), ScopedPolicy):
            return super().get_all_objects_in_listing_query(parent_id)
        return object_scope(self.model, self.request.user).values_list("pk", flat=True)
