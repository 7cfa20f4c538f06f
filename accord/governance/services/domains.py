"""Decision domains: naming, flags, self-scores and decision rights."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accord.domain import decision_rights as dr
from accord.governance import selectors
from accord.governance.models import (
    DecisionDomain,
    DomainScore,
    JointBody,
    Mode,
)
from accord.governance.rules import user_party
from accord.governance.services._common import _actor_name, _require_party, _settings
from accord.governance.services.messages import (
    BODY_NOT_HERE,
    BODY_REQUIRED,
    DOMAIN_HAS_OPEN_PROPOSALS,
    LABEL_REQUIRED,
    LABEL_TAKEN,
    OVERRIDE_REASON_REQUIRED,
    OWNER_NOT_A_PARTY,
    OWNER_REQUIRED,
    SCORES_INCOMPLETE,
    SCORES_OWN_PARTY_ONLY,
)
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership, Party


def _unique_key(partnership: Partnership, label: str) -> str:
    base = slugify(label)[:70] or "domain"
    key, n = base, 2
    while DecisionDomain.objects.filter(partnership=partnership, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


def _check_label(partnership: Partnership, label: str, exclude: int | None = None) -> str:
    label = label.strip()
    if not label:
        raise ValidationError({"label": LABEL_REQUIRED})
    clash = selectors.domains(partnership=partnership).filter(label__iexact=label)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"label": LABEL_TAKEN})
    return label


@transaction.atomic
def domain_add(
    *, partnership: Partnership, user: Any, label: str, description: str = ""
) -> DecisionDomain:
    _settings(partnership)
    party = _require_party(user, partnership)
    label = _check_label(partnership, label)
    last = selectors.domains(partnership=partnership).order_by("-position").first()
    domain = DecisionDomain.objects.create(
        partnership=partnership,
        owner_org_id=party.organization_id,
        created_by=user,
        key=_unique_key(partnership, label),
        label=label,
        description=description.strip(),
        position=(last.position + 1) if last else 0,
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.domain_add",
        summary=f"{_actor_name(user)} added the decision domain “{label}” (consensus until agreed)",
        target=domain,
    )
    return domain


@transaction.atomic
def domain_rename(
    *, domain: DecisionDomain, user: Any, label: str, description: str
) -> DecisionDomain:
    label = _check_label(domain.partnership, label, exclude=domain.pk)
    description = description.strip()
    changes = {
        f: [getattr(domain, f), v]
        for f, v in (("label", label), ("description", description))
        if getattr(domain, f) != v
    }
    if not changes:
        return domain
    old = domain.label
    domain.label, domain.description = label, description
    domain.save(update_fields=["label", "description", "updated_at"])
    record_event(
        partnership=domain.partnership,
        actor=user,
        action="governance.domain_rename",
        summary=f"{_actor_name(user)} edited the decision domain “{old}”"
        + (f" (now “{label}”)" if old != label else ""),
        target=domain,
        changes=changes,
    )
    return domain


@transaction.atomic
def domain_remove(*, domain: DecisionDomain, user: Any) -> None:
    """Domains with decisions are archived so their history stays readable; others are deleted."""
    if domain.proposals.filter(closed_at__isnull=True).exists():
        raise ValidationError(DOMAIN_HAS_OPEN_PROPOSALS)
    record_event(
        partnership=domain.partnership,
        actor=user,
        action="governance.domain_remove",
        summary=f"{_actor_name(user)} removed the decision domain “{domain.label}”",
        target=domain,
    )
    if domain.proposals.exists():
        domain.archived_at = timezone.now()
        domain.save(update_fields=["archived_at", "updated_at"])
    else:
        domain.delete()


@transaction.atomic
def domain_flags_set(
    *,
    domain: DecisionDomain,
    user: Any,
    frequent_operational_choices: bool,
    has_joint_team: bool,
) -> DecisionDomain:
    changes = {
        f: [getattr(domain, f), v]
        for f, v in (
            ("frequent_operational_choices", frequent_operational_choices),
            ("has_joint_team", has_joint_team),
        )
        if getattr(domain, f) != v
    }
    if not changes:
        return domain
    domain.frequent_operational_choices = frequent_operational_choices
    domain.has_joint_team = has_joint_team
    domain.save(update_fields=[*changes, "updated_at"])
    record_event(
        partnership=domain.partnership,
        actor=user,
        action="governance.domain_flags",
        summary=f"{_actor_name(user)} updated how “{domain.label}” works day to day",
        target=domain,
        changes=changes,
    )
    return domain


@transaction.atomic
def domain_scores_set(
    *,
    domain: DecisionDomain,
    user: Any,
    party: Party,
    expertise: float,
    resources: float,
    risk_exposure: float,
    strategic_importance: float,
) -> DomainScore:
    """A party scores itself: the scores say what it brings and what it risks."""
    if user_party(user, domain.partnership) != party:
        raise ValidationError(SCORES_OWN_PARTY_ONLY)
    values = {
        "expertise": float(expertise),
        "resources": float(resources),
        "risk_exposure": float(risk_exposure),
        "strategic_importance": float(strategic_importance),
    }
    bad = {name: dr.SCORE_OUT_OF_RANGE for name, v in values.items() if not dr.is_valid_score(v)}
    if bad:
        raise ValidationError(bad)
    score, _created = DomainScore.objects.update_or_create(
        domain=domain,
        party=party,
        defaults={**values, "scored_by": user, "scored_at": timezone.now()},
    )
    record_event(
        partnership=domain.partnership,
        actor=user,
        action="governance.domain_scores",
        summary=f"{_actor_name(user)} scored {party.organization.name} for “{domain.label}”",
        target=domain,
        changes={"party": party.organization.name, **values},
    )
    return score


def _validate_decider(
    domain: DecisionDomain, mode: str, owner_party: Party | None, joint_body: JointBody | None
) -> tuple[Party | None, JointBody | None]:
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Choose one of: {', '.join(Mode.values)}."})
    if mode in (Mode.INDEPENDENT, Mode.CONSULTATIVE):
        if owner_party is None:
            raise ValidationError({"owner_party": OWNER_REQUIRED})
        if owner_party.partnership_id != domain.partnership_id:
            raise ValidationError({"owner_party": OWNER_NOT_A_PARTY})
        return owner_party, None
    if mode == Mode.DELEGATED:
        if joint_body is None:
            raise ValidationError({"joint_body": BODY_REQUIRED})
        if joint_body.partnership_id != domain.partnership_id:
            raise ValidationError({"joint_body": BODY_NOT_HERE})
        return None, joint_body
    return None, None


def _set_rights(
    domain: DecisionDomain,
    user: Any,
    *,
    mode: str,
    owner_party: Party | None,
    joint_body: JointBody | None,
    basis: str,
    recommendation: selectors.DomainRecommendation | None,
    reason: str,
) -> None:
    before = {
        "mode": domain.mode,
        "owner": domain.owner_party.organization.name if domain.owner_party else None,
        "joint_body": domain.joint_body.name if domain.joint_body else None,
    }
    domain.mode = mode
    domain.owner_party = owner_party
    domain.joint_body = joint_body
    domain.basis = basis
    domain.override_reason = reason
    domain.recommended_mode = recommendation.mode if recommendation else ""
    domain.recommended_rule = recommendation.rule if recommendation else ""
    domain.recommended_reasoning = recommendation.reasoning if recommendation else ""
    domain.rights_set_at = timezone.now()
    domain.rights_set_by = user
    domain.save()
    after = {
        "mode": mode,
        "owner": owner_party.organization.name if owner_party else None,
        "joint_body": joint_body.name if joint_body else None,
    }
    verb = (
        "accepted the recommendation" if basis == "recommended" else "overrode the recommendation"
    )
    summary = (
        f"{_actor_name(user)} {verb} for “{domain.label}”: {Mode(mode).label.lower()}"
        f", decided by {domain.decider_label()}"
    )
    if reason:
        summary += f" — reason: {reason}"
    record_event(
        partnership=domain.partnership,
        actor=user,
        action=f"governance.rights_{'accept' if basis == 'recommended' else 'override'}",
        summary=summary,
        target=domain,
        changes={
            "before": before,
            "after": after,
            "recommended": {
                "mode": recommendation.mode if recommendation else None,
                "rule": recommendation.rule if recommendation else None,
                "reasoning": recommendation.reasoning if recommendation else None,
            },
            "reason": reason,
        },
    )


@transaction.atomic
def domain_rights_accept(
    *, domain: DecisionDomain, user: Any, joint_body: JointBody | None = None
) -> DecisionDomain:
    """Adopt the recommender's mode and owner; a delegated recommendation needs a joint body."""
    recommendation = selectors.domain_recommendation(domain=domain)
    if recommendation is None:
        raise ValidationError(SCORES_INCOMPLETE)
    owner, body = _validate_decider(
        domain, recommendation.mode, recommendation.owner_party, joint_body
    )
    _set_rights(
        domain,
        user,
        mode=recommendation.mode,
        owner_party=owner,
        joint_body=body,
        basis=DecisionDomain.Basis.RECOMMENDED,
        recommendation=recommendation,
        reason="",
    )
    return domain


@transaction.atomic
def domain_rights_override(
    *,
    domain: DecisionDomain,
    user: Any,
    mode: str,
    owner_party: Party | None,
    joint_body: JointBody | None,
    reason: str,
) -> DecisionDomain:
    """Set a mode and decider other than the recommender's, with the reason on record."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": OVERRIDE_REASON_REQUIRED})
    owner, body = _validate_decider(domain, mode, owner_party, joint_body)
    _set_rights(
        domain,
        user,
        mode=mode,
        owner_party=owner,
        joint_body=body,
        basis=DecisionDomain.Basis.OVERRIDDEN,
        recommendation=selectors.domain_recommendation(domain=domain),
        reason=reason,
    )
    return domain
