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
