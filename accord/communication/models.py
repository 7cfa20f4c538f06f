"""Communication records: threads and meeting notes, messages, change notices, concerns.

Threads and messages follow the PartnershipScoped rule (owner organization + visibility). Change
notices are always joint: a sin of omission is visible to both parties. Concerns are not
PartnershipScoped on purpose: under the partnership's full-anonymity setting they must carry no
author link at all, not even an owning organization.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.partnerships.models import Partnership, PartnershipScoped, Party


class CommunicationSettings(models.Model):
    """Per-partnership communication settings, kept beside the partnership rather than on it."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="communication_settings"
    )
    concerns_fully_anonymous = models.BooleanField(
        default=False,
        help_text=_(
            "Concerns are stored with no link to their author or party; nobody can see who "
            "raised them, not even administrators."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Communication settings of {self.partnership}"


class DigestPreference(models.Model):
    """A person's choice about the daily e-mail digest (absent row: they receive it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    daily_digest = models.BooleanField(default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Digest {'on' if self.daily_digest else 'off'} for {self.user}"


class Thread(PartnershipScoped):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        MEETING_NOTES = "meeting_notes", _("Meeting notes")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(max_length=200)
    meeting_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "created_at"], name="comm_thread_recent")]

    def __str__(self) -> str:
        return self.title


class Message(PartnershipScoped):
    """A post in a thread; owner_org and visibility are copied from the thread when written."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(help_text=_("Markdown; HTML is removed."))
    body_html = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["partnership", "created_at"], name="comm_message_time"),
            models.Index(fields=["thread", "created_at"], name="comm_message_thread"),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.thread_id}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """A random stored name, like accountability evidence: the original name is only a column."""
    suffix = PurePath(filename).suffix.lower()
    return f"communication/attachments/m{instance.message_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class ChangeNotice(PartnershipScoped):
    """A change one party announces (kind=notice) or a change the other party reports as having
    come with no notice (kind=report). ``agreed_days`` is the notice period in force when the
    notice was given, so a later change of the period does not re-judge old notices."""

    class Category(models.TextChoices):
        STAFFING = "staffing", _("Staffing")
        PRIORITIES = "priorities", _("Priorities")
        BUDGET = "budget", _("Budget")
        TIMELINE = "timeline", _("Timeline")
        SCOPE = "scope", _("Scope")
        OTHER = "other", _("Other")

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Change notice")
        REPORT = "report", _("Change reported with no notice")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    changing_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=20, choices=Category.choices)
    summary = models.TextField()
    given_on = models.DateField(help_text=_("Calendar date the notice was given (or reported)."))
    effective_on = models.DateField()
    agreed_days = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True, help_text=_("Why the notice was short, if it was."))
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "given_on"], name="comm_notice_given")]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility="joint"), name="comm_notice_always_joint"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary[:60]}"

    @property
    def lead_days(self) -> int | None:
        """Effective − given date in calendar days; None for a change reported after the fact."""
        if self.kind == self.Kind.REPORT:
            return None
        return (self.effective_on - self.given_on).days

    @property
    def is_short(self) -> bool:
        """A sin of omission: less than the period in force when given, or no notice at all."""
        lead = self.lead_days
        return lead is None or lead < self.agreed_days


class NoticeAcknowledgement(models.Model):
    notice = models.ForeignKey(ChangeNotice, on_delete=models.CASCADE, related_name="acks")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "party"], name="comm_ack_once_per_party")
        ]

    def __str__(self) -> str:
        return f"Acknowledged by party {self.party_id}"


class Concern(models.Model):
    """An early concern in the feedback forum.

    ``author`` and ``raised_by_party`` are empty under full anonymity and never written: there is
    nothing to hide because nothing is kept. With ``name_hidden`` the author is kept and shown
    only to the author's own organization's participants; the other party sees the party only.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_by_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name_hidden = models.BooleanField(default=False)
    fully_anonymous = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    raised_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    conflict_issue_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fully_anonymous=False)
                | Q(author__isnull=True, raised_by_party__isnull=True),
                name="comm_anonymous_concern_has_no_author",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ConcernResponse(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Response to concern {self.concern_id}"
