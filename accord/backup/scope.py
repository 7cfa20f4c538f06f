"""What goes into an archive: the whole instance, or what one organization may see."""

from __future__ import annotations

from typing import Any

from django.db import models


class Scope:
    """Chooses the rows of each model and may rewrite a row before it is written."""

    def prepare(self) -> None:
        """Called inside the export's snapshot transaction, before the first model."""

    def rows(self, model: type[models.Model]) -> models.QuerySet[Any] | None:
        raise NotImplementedError

    def transform(self, model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
        return row

    def describe(self) -> dict[str, Any]:
        raise NotImplementedError


class InstanceScope(Scope):
    """Every row of every backed-up model, unchanged: the operator's full backup."""

    def rows(self, model: type[models.Model]) -> models.QuerySet[Any]:
        return model._base_manager.all()

    def describe(self) -> dict[str, Any]:
        return {"kind": "instance"}


# Never in an organization's archive: survey answers and who was asked (anonymity holds against
# every organization, DESIGN.md principle 1), and what is personal or secret to one person.
PRIVATE_MODELS = {
    "trust.response",
    "trust.invitee",
    "notifications.notification",
    "api.personalaccesstoken",
    "partnerships.invitation",
    "accountability.linkredemption",
    "auth.group",
}
UNUSABLE_PASSWORD = "!"  # Django's prefix for "no password": people reset theirs by e-mail
ORGANIZATION_UNKNOWN = "No organization has the slug or id {key!r}."


def organization_scope(key: str | int) -> OrganizationScope:
    from accord.partnerships.models import Organization

    text = str(key)
    found = Organization.objects.filter(slug=text).first()
    if found is None and text.isdigit():
        found = Organization.objects.filter(pk=int(text)).first()
    if found is None:
        raise LookupError(ORGANIZATION_UNKNOWN.format(key=text))
    return OrganizationScope(found)


class OrganizationScope(Scope):
    """What one organization may see: its partnerships with their joint records and its own
    internal ones (never another organization's), its people, and the other parties' people as
    far as the partnership shows them.

    Generic over models, so a new capability's tables are scoped without a change here:
    a table with `partnership` keeps the rows of the organization's partnerships; with
    `visibility` and `owner_org` also only joint rows and the organization's own; any other table
    keeps only rows whose required references are kept (a comment goes with its issue). An
    optional reference to a row left out is cleared. Audit events follow the same rule, so the
    archive holds the joint chains and the organization's own internal chain.
    """

    def __init__(self, organization: Any) -> None:
        self.organization = organization
        self.kept: dict[str, set[Any]] = {}
        self._queries: dict[str, models.QuerySet[Any]] = {}
        self.left_out: set[str] = set()
        self.own_people: set[Any] = set()
        self.named_users: set[Any] = set()

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "organization",
            "organization": {"id": self.organization.pk, "slug": self.organization.slug},
        }

    def prepare(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        from accord.backup.models_in_scope import backed_up_models, label
        from accord.partnerships.models import Participant, Party

        org = self.organization
        user_model = get_user_model()
        partnerships = set(
            Party.objects.filter(organization=org).values_list("partnership", flat=True)
        )
        self._partnerships = partnerships
        shown = Participant.objects.filter(partnership__in=partnerships).filter(
            Q(partnership__restrict_participant_lists=False) | Q(organization=org)
        )
        self._organizations = (
            {org.pk}
            | set(
                Party.objects.filter(partnership__in=partnerships).values_list(
                    "organization", flat=True
                )
            )
            | set(shown.values_list("organization", flat=True))
        )
        for model in backed_up_models():
            if model is user_model:
                continue
            queryset = self._base_rows(model)
            if queryset is None:
                self.left_out.add(label(model))
                continue
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.null or f.related_model in (model, user_model):
                    continue
                target = label(f.related_model)
                if target in self.left_out:
                    queryset = queryset.none()
                elif target in self._queries:
                    queryset = queryset.filter(**{f"{f.attname}__in": self._queries[target]})
            # Filters nest as subqueries (no id lists in SQL, whatever the size); the ids are
            # also kept in memory to clear optional references to rows left out.
            self._queries[label(model)] = queryset.values("pk")
            self.kept[label(model)] = set(queryset.values_list("pk", flat=True))
        self.kept[label(user_model)] = self._users(user_model)
        self.own_people = set(
            user_model.objects.filter(membership__organization=org).values_list("pk", flat=True)
        )
        self.named_users = self.own_people | set(
            Participant.objects.filter(pk__in=self.kept["partnerships.participant"]).values_list(
                "user", flat=True
            )
        )

    def _base_rows(self, model: type[models.Model]) -> models.QuerySet[Any] | None:
        from django.db.models import Q

        from accord.backup.models_in_scope import label

        name = label(model)
        if name in PRIVATE_MODELS or (model._meta.auto_created and name.startswith("auth.")):
            return None
        fields = {f.name: f for f in model._meta.concrete_fields}
        rows = model._base_manager.all()
        org = self.organization
        if name == "partnerships.organization":
            return rows.filter(pk__in=self._organizations)
        if name == "partnerships.partnership":
            return rows.filter(pk__in=self._partnerships)
        if name == "partnerships.membership":
            return rows.filter(organization=org)
        if "partnership" in fields:
            where = Q(partnership__in=self._partnerships)
            if fields["partnership"].null:  # organization-level rows or shared reference data
                own = Q(organization=org) if "organization" in fields else Q()
                if name == "trust.instrument":  # built-in questionnaires belong to no one
                    own |= Q(organization__isnull=True)
                where |= Q(partnership__isnull=True) & own
            rows = rows.filter(where)
        if "visibility" in fields and "owner_org" in fields:
            rows = rows.filter(Q(visibility="joint") | Q(owner_org=org))
        if name == "partnerships.participant":
            # Alliances among competitors: each party sees only its own participants.
            rows = rows.filter(
                Q(partnership__restrict_participant_lists=False) | Q(organization=org)
            )
        return rows

    def _users(self, user_model: type[models.Model]) -> set[Any]:
        """The organization's people and everyone a kept row points to."""
        from accord.backup.models_in_scope import backed_up_models, label

        users = set(
            user_model.objects.filter(membership__organization=self.organization).values_list(
                "pk", flat=True
            )
        )
        for model in backed_up_models():
            pks = self._queries.get(label(model))
            if pks is None:
                continue
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is user_model:
                    users |= set(
                        model._base_manager.filter(pk__in=pks, **{f"{f.attname}__isnull": False})
                        .values_list(f.attname, flat=True)
                        .distinct()
                    )
        return users

    def rows(self, model: type[models.Model]) -> models.QuerySet[Any] | None:
        from accord.backup.models_in_scope import label

        name = label(model)
        if name not in self.kept:
            return None
        if name in self._queries:
            return model._base_manager.filter(pk__in=self._queries[name])
        return model._base_manager.filter(pk__in=self.kept[name])

    def transform(self, model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
        from django.contrib.auth import get_user_model

        from accord.backup.models_in_scope import label

        for f in model._meta.concrete_fields:
            value = row.get(f.attname)
            if f.is_relation and f.null and value is not None:
                target = label(f.related_model)
                kept = self.kept.get(target)
                if target in self.left_out or (
                    kept is not None and value not in kept and _key(f, value) not in kept
                ):
                    row[f.attname] = None
        if model is get_user_model():
            row = {**row, "password": UNUSABLE_PASSWORD, "is_staff": False, "is_superuser": False}
            if row["id"] not in self.own_people:
                row["last_login"] = None  # when another organization's people sign in
            if row["id"] not in self.named_users:
                # Someone the organization never sees by name (a restricted participant list):
                # kept only so that references to them hold.
                row.update(
                    username=f"person-{row['id']}",
                    first_name="",
                    last_name="",
                    email="",
                    last_login=None,
                )
        return row


def _key(f: models.Field[Any, Any], value: Any) -> Any:
    """Archived values are JSON; a kept-set holds database values (UUIDs, ints)."""
    try:
        return f.target_field.to_python(value)
    except Exception:
        return value
