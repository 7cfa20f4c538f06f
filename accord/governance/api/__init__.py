"""Governance API: the decision-rights matrix, the recommender, joint bodies, proposals with
their stances, input and outcome, decision cycle times and the charter. Handlers: access first,
then a schema, then one service call; the same rules as the pages.

The handlers live in feature modules that register on the one ``router``; importing them here, in
the original order, keeps the routes' order in the OpenAPI schema.
"""

from accord.governance.api._common import (
    BASE,
    Id,
)
from accord.governance.api._router import router

# isort: split
from accord.governance.api.settings import (
    GovernanceSettingsOut,
    SettingsIn,
    get_settings,
    setup,
    update_settings,
)

# isort: split
from accord.governance.api.domains import (
    NO_SUCH_BODY,
    NO_SUCH_PARTY,
    AcceptIn,
    DomainIn,
    DomainOut,
    DomainPatch,
    ModeName,
    OverrideIn,
    PartyScoreOut,
    RecommendationOut,
    Score,
    ScoresIn,
    accept_recommendation,
    create_domain,
    delete_domain,
    get_recommendation,
    list_domains,
    override_recommendation,
    set_scores,
    update_domain,
)

# isort: split
from accord.governance.api.bodies import (
    NO_SUCH_MEMBER,
    BodyIn,
    BodyOut,
    MemberOut,
    create_body,
    delete_body,
    list_bodies,
    update_body,
)

# isort: split
from accord.governance.api.proposals import (
    NO_SUCH_DOMAIN,
    CheckOut,
    ChoiceName,
    DecideIn,
    InputAnswerIn,
    InputRequestOut,
    OutcomeOut,
    ProposalFields,
    ProposalIn,
    ProposalOut,
    ProposalSummaryOut,
    RequestInputIn,
    StanceIn,
    StanceOut,
    StateName,
    create_proposal,
    decide,
    get_proposal,
    give_input,
    list_proposals,
    request_input,
    take_stance,
    withdraw,
)

# isort: split
from accord.governance.api.charter import (
    CharterOut,
    CycleCellOut,
    CycleOut,
    CycleRowOut,
    SignoffCreatedOut,
    SignoffOut,
    cycle_times,
    get_charter,
    sign_charter,
)

__all__ = [
    "BASE",
    "NO_SUCH_BODY",
    "NO_SUCH_DOMAIN",
    "NO_SUCH_MEMBER",
    "NO_SUCH_PARTY",
    "AcceptIn",
    "BodyIn",
    "BodyOut",
    "CharterOut",
    "CheckOut",
    "ChoiceName",
    "CycleCellOut",
    "CycleOut",
    "CycleRowOut",
    "DecideIn",
    "DomainIn",
    "DomainOut",
    "DomainPatch",
    "GovernanceSettingsOut",
    "Id",
    "InputAnswerIn",
    "InputRequestOut",
    "MemberOut",
    "ModeName",
    "OutcomeOut",
    "OverrideIn",
    "PartyScoreOut",
    "ProposalFields",
    "ProposalIn",
    "ProposalOut",
    "ProposalSummaryOut",
    "RecommendationOut",
    "RequestInputIn",
    "Score",
    "ScoresIn",
    "SettingsIn",
    "SignoffCreatedOut",
    "SignoffOut",
    "StanceIn",
    "StanceOut",
    "StateName",
    "accept_recommendation",
    "create_body",
    "create_domain",
    "create_proposal",
    "cycle_times",
    "decide",
    "delete_body",
    "delete_domain",
    "get_charter",
    "get_proposal",
    "get_recommendation",
    "get_settings",
    "give_input",
    "list_bodies",
    "list_domains",
    "list_proposals",
    "override_recommendation",
    "request_input",
    "router",
    "set_scores",
    "setup",
    "sign_charter",
    "take_stance",
    "update_body",
    "update_domain",
    "update_settings",
    "withdraw",
]
