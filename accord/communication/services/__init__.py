"""Writes for communication. Every service runs in one transaction with its audit event.

Split by feature; every name stays importable from `accord.communication.services`.
"""

from django.core.exceptions import ValidationError  # noqa: F401  (callers catch it from here)

from accord.communication.services._common import (  # noqa: F401
    ALREADY_ACKNOWLEDGED,
    ALREADY_ANSWERED,
    BAD_KIND,
    BAD_VISIBILITY,
    CONCERN_CLOSED,
    CONCERN_ESCALATED,
    LINK_USED,
    MAX_FILES,
    MENTION,
    NOT_A_CONTRIBUTOR,
    ONLY_CHANGING_PARTY,
    OWN_NOTICE_ACK,
    OWN_PARTY_REPORT,
    REASON_REQUIRED_WHEN_SHORT,
    REPORT_IN_FUTURE,
    SUMMARY_REQUIRED,
    TITLE_REQUIRED,
    TITLE_TOO_LONG,
    TOO_MANY_FILES,
    UNKNOWN_PARTY,
    _attach,
    _check_files,
    _mentions,
    _name,
    _party_of,
    _title,
    readers_of,
    settings_for,
    settings_update,
)
from accord.communication.services.concerns import (  # noqa: F401
    _concern_alert_people,
    concern_close,
    concern_raise,
    concern_respond,
    concern_to_issue,
)
from accord.communication.services.digest import (  # noqa: F401
    digest_set,
)
from accord.communication.services.notices import (  # noqa: F401
    _other_party_people,
    notice_acknowledge,
    notice_acknowledge_path,
    notice_answer,
    notice_give,
    notice_report,
)
from accord.communication.services.threads import (  # noqa: F401
    message_post,
    thread_start,
)
