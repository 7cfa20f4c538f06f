"""Which tables a backup holds, in which order, and how a column is written and read back.

Generic over model fields: every model of an ``accord.*`` app (and the accounts of
``django.contrib.auth``) is included with all its concrete columns, so a model or field added
later comes along without a change here. Left out on purpose: content types and permissions
(``migrate`` creates them; rows point to them by natural key instead), sessions and the task
queue (transient).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models

AUTH_MODELS = {"auth.user", "auth.group"}


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _included(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.abstract or meta.proxy or not meta.managed:
        return False
    if meta.auto_created:  # a many-to-many table goes where the models it joins go
        targets = [f.related_model for f in meta.concrete_fields if f.is_relation]
        return all(t is Permission or _included(t) for t in targets) and any(
            t is not Permission for t in targets
        )
    return meta.app_config.name.startswith("accord.") or label(model) in AUTH_MODELS


def backed_up_models() -> list[type[models.Model]]:
    """Every backed-up model, each after the models it points to (ties by label), so a reader
    of the archive meets a row's parents first."""
    chosen = {label(m): m for m in apps.get_models(include_auto_created=True) if _included(m)}
    needs = {
        name: {
            label(f.related_model)
            for f in model._meta.concrete_fields
            if f.is_relation and label(f.related_model) in chosen and f.related_model is not model
        }
        for name, model in chosen.items()
    }
    ordered: list[type[models.Model]] = []
    done: set[str] = set()
    while len(done) < len(chosen):
        ready = sorted(n for n in chosen if n not in done and needs[n] <= done)
        if not ready:  # a cycle: foreign keys are checked at commit, so any order loads
            ready = sorted(n for n in chosen if n not in done)[:1]
        for name in ready:
            ordered.append(chosen[name])
            done.add(name)
    return ordered


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return sorted(model._meta.concrete_fields, key=lambda f: f.attname)


def by_natural_key(field: models.Field[Any, Any]) -> bool:
    """Columns that point to rows `migrate` creates, whose ids differ between instances."""
    return field.is_relation and field.related_model in (ContentType, Permission)


class NaturalKeys:
    """Natural keys of content types and permissions, looked up once per export or restore."""

    def __init__(self) -> None:
        self._keys: dict[type[models.Model], dict[Any, list[Any]]] = {}
        self._pks: dict[type[models.Model], dict[tuple[Any, ...], Any]] = {}

    def _table(self, model: type[models.Model]) -> dict[Any, list[Any]]:
        if model not in self._keys:
            manager = model._default_manager
            related = ("content_type",) if model is Permission else ()
            self._keys[model] = {
                obj.pk: list(obj.natural_key()) for obj in manager.select_related(*related)
            }
        return self._keys[model]

    def key(self, model: type[models.Model], pk: Any) -> list[Any] | None:
        return None if pk is None else self._table(model)[pk]

    def pk(self, model: type[models.Model], key: list[Any] | None) -> Any:
        if key is None:
            return None
        if model not in self._pks:
            self._pks[model] = {tuple(k): pk for pk, k in self._table(model).items()}
        try:
            return self._pks[model][tuple(key)]
        except (KeyError, TypeError):
            raise LookupError(f"{model._meta.label_lower} {key} does not exist here.") from None
