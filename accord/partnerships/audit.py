"""Append-only, hash-chained audit trail.

One chain per audience: each partnership has a joint chain (every party reads it) and one chain
per organization for its internal events in that partnership; organization-level events (no
partnership) chain per organization. A reader therefore sees whole chains only — the joint one
and its own organization's — and can verify everything it sees while inferring nothing from
events it cannot see (no gaps in a sequence, no hidden neighbours). An event stores the hash of
the previous one in its chain, so editing or deleting any row breaks every later link, and
`verify_chain` names the first broken one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

GENESIS_HASH = "0" * 64
JOINT = "joint"
INTERNAL = "internal"
INTERNAL_NEEDS_OWNER = "An internal audit event needs the organization it belongs to."
AUDIT_IS_APPEND_ONLY = "Audit events are append-only: they cannot be changed or deleted."
AUDIT_NEEDS_TRANSACTION = "An audit event must be written inside the transaction of its change."


class AuditImmutableError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError(AUDIT_IS_APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError(AUDIT_IS_APPEND_ONLY)

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditImmutableError(AUDIT_IS_APPEND_ONLY)

    def visible_to(self, user: object) -> AuditQuerySet:
        from accord.partnerships.access import record_reader_filter

        return self.filter(record_reader_filter(user))


class AuditEvent(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    organization = models.ForeignKey(
        "partnerships.Organization",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="Chain owner for organization-level events (when there is no partnership).",
    )
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80)
    summary = models.CharField(max_length=500)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    owner_org = models.ForeignKey(
        "partnerships.Organization",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    visibility = models.CharField(max_length=10, default="joint")
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "seq"],
                condition=Q(partnership__isnull=False) & ~Q(visibility=INTERNAL),
                name="audit_seq_unique_per_joint_chain",
            ),
            models.UniqueConstraint(
                fields=["partnership", "owner_org", "seq"],
                condition=Q(partnership__isnull=False, visibility=INTERNAL),
                name="audit_seq_unique_per_internal_chain",
            ),
            models.UniqueConstraint(
                fields=["organization", "seq"],
                condition=Q(partnership__isnull=True),
                name="audit_seq_unique_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError(AUDIT_IS_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError(AUDIT_IS_APPEND_ONLY)

    def compute_hash(self) -> str:
        return event_hash(self)

    @property
    def chain_key(self) -> ChainKey:
        return chain_key_of(self)


def event_hash(event: Any) -> str:
    """The hash of one event's contents and its link; a plain function so the migration that
    re-chains history (0002) computes exactly what the model does."""
    payload = {
        "prev": event.prev_hash,
        "seq": event.seq,
        "partnership": event.partnership_id,
        "organization": event.organization_id,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "summary": event.summary,
        "target": [event.target_type, event.target_id],
        "changes": event.changes,
        "owner_org": event.owner_org_id,
        "visibility": event.visibility,
        "at": event.created_at.isoformat(),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ChainKey:
    """Which chain an event belongs to: a partnership's joint chain (audience None), an
    organization's internal chain in a partnership, or an organization's own chain."""

    partnership_id: int | None
    organization_id: int | None = None
    audience_org_id: int | None = None

    def events(self, manager: Any = None) -> Any:
        events = manager if manager is not None else AuditEvent.objects
        if self.partnership_id is None:
            return events.filter(partnership__isnull=True, organization_id=self.organization_id)
        chain = events.filter(partnership_id=self.partnership_id)
        if self.audience_org_id is None:
            return chain.exclude(visibility=INTERNAL)
        return chain.filter(visibility=INTERNAL, owner_org_id=self.audience_org_id)

    def __str__(self) -> str:
        if self.partnership_id is None:
            return f"organization {self.organization_id}"
        if self.audience_org_id is None:
            return f"partnership {self.partnership_id} (joint)"
        audience = f"internal to organization {self.audience_org_id}"
        return f"partnership {self.partnership_id} ({audience})"


def chain_key_of(event: Any) -> ChainKey:
    if event.partnership_id is None:
        return ChainKey(None, organization_id=event.organization_id)
    if event.visibility == INTERNAL:
        return ChainKey(event.partnership_id, audience_org_id=event.owner_org_id)
    return ChainKey(event.partnership_id)


def all_chains() -> list[ChainKey]:
    """Every chain that has at least one event."""
    rows = (
        AuditEvent.objects.order_by()
        .values_list("partnership_id", "organization_id", "visibility", "owner_org_id")
        .distinct()
    )
    keys = set()
    for partnership_id, organization_id, visibility, owner_org_id in rows:
        if partnership_id is None:
            keys.add(ChainKey(None, organization_id=organization_id))
        elif visibility == INTERNAL:
            keys.add(ChainKey(partnership_id, audience_org_id=owner_org_id))
        else:
            keys.add(ChainKey(partnership_id))
    return sorted(
        keys,
        key=lambda k: (k.partnership_id or 0, k.organization_id or 0, k.audience_org_id or 0),
    )


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON now, so the stored value hashes the same when it is read back."""
    return json.loads(json.dumps(value, default=str))


def record_event(
    *,
    action: str,
    summary: str,
    actor: Any = None,
    partnership: Any = None,
    organization: Any = None,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    owner_org: Any = None,
    visibility: str = "joint",
) -> AuditEvent:
    """Append one event to its chain (joint, or the owner's internal chain, see the module).

    Must run inside the transaction that makes the change. It locks the chain's owner row
    (SELECT … FOR UPDATE on PostgreSQL; SQLite serializes writers) so concurrent writers get
    consecutive sequence numbers.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(AUDIT_NEEDS_TRANSACTION)
    if partnership is None and organization is None:
        raise ValueError("An audit event belongs to a partnership or an organization.")
    from accord.partnerships.models import Organization, Partnership

    if visibility == INTERNAL and owner_org is None:
        raise ValueError(INTERNAL_NEEDS_OWNER)
    if partnership is not None:
        Partnership.objects.select_for_update().filter(pk=partnership.pk).exists()
        audience = owner_org.pk if visibility == INTERNAL else None
        chain = ChainKey(partnership.pk, audience_org_id=audience).events()
    else:
        Organization.objects.select_for_update().filter(pk=organization.pk).exists()
        chain = ChainKey(None, organization_id=organization.pk).events()
    last = chain.order_by("-seq").values("seq", "hash").first()
    event = AuditEvent(
        partnership=partnership,
        organization=organization,
        seq=(last["seq"] + 1) if last else 1,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "Accord",
        action=action,
        summary=summary[:500],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        changes=_jsonable(changes or {}),
        owner_org=owner_org,
        visibility=visibility,
        created_at=timezone.now(),
        prev_hash=last["hash"] if last else GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int
    reason: str


def verify_chain(
    *,
    partnership_id: int | None = None,
    organization_id: int | None = None,
    audience_org_id: int | None = None,
) -> ChainBreak | None:
    """Recompute every link of one chain in order; the first mismatch is where tampering
    happened. A partnership's joint chain by default; `audience_org_id` names an organization's
    internal chain in it."""
    key = ChainKey(partnership_id, organization_id=organization_id, audience_org_id=audience_org_id)
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for event in key.events().order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainBreak(expected_seq, event.pk, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return ChainBreak(event.seq, event.pk, "it does not point to the previous event's hash")
        if event.compute_hash() != event.hash:
            return ChainBreak(event.seq, event.pk, "its contents no longer match its hash")
        expected_prev = event.hash
        expected_seq += 1
    return None
