"""Delivery channels: how a stored letter leaves Trappen.

A channel has one method, `send(letter) -> DeliveryResult`. The delivery task
(`trappen.core.letters.tasks.deliver_letter`) calls it under a lock on the letter row, records the
outcome and writes the audit event; a channel never changes the letter itself.

Failure semantics (the contract every channel keeps, see docs/letters.md):
- return a `DeliveryResult` only when the receiving system has accepted the letter;
- raise `DeliveryError` for a failure that may pass (timeout, connection refused, a 5xx answer,
  a rate limit): the task tries again later, up to `MAX_ATTEMPTS` attempts in all;
- raise `DeliveryRejected` when trying again cannot help (the recipient cannot receive digital
  mail, the letter was refused as invalid): the letter is marked failed at once, for a person to
  act on (e.g. send it on paper);
- raise `ImproperlyConfigured` when the channel is not set up: the letter is marked failed; it is
  never reported as sent.
- be idempotent on `message_id(letter)`: the same letter may reach `send` again after a crash
  between the receiver's acceptance and our commit, and must not then arrive twice.

The channel in use is named by the setting TRAPPEN_LETTER_CHANNEL (a dotted path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from trappen.core.models import Letter


@dataclass(frozen=True)
class DeliveryResult:
    """The receiving system accepted the letter; `reference` is its id for it (a receipt)."""

    reference: str


class DeliveryError(Exception):
    """A failure that may pass: the delivery is tried again later."""


class DeliveryRejected(Exception):
    """A permanent failure: trying again cannot help, the letter is marked failed."""


def message_id(letter: Letter) -> str:
    """The letter's stable id towards other systems: the same on every attempt (idempotency)."""
    return f"trappen-{letter.municipality_id}-brev-{letter.pk}"


def pdf_filename(letter: Letter) -> str:
    """A file name without any name or CPR number in it."""
    return f"brev-{letter.pk}.pdf"


class DeliveryChannel(Protocol):
    """What the delivery task needs from a channel."""

    name: str

    def send(self, letter: Letter) -> DeliveryResult: ...


class OutboxChannel:
    """The demo channel: the letter stays in Trappen and is read on the outbox page.

    Nothing leaves the system, so acceptance is immediate and the reference is local.
    """

    name = "outbox"

    def send(self, letter: Letter) -> DeliveryResult:
        if not letter.pdf:
            raise DeliveryRejected("Brevet har ingen PDF.")
        return DeliveryResult(reference=f"UDBAKKE-{letter.pk}")


# --- Digital Post -------------------------------------------------------------------------------

RecipientKind = Literal["guardian", "child"]


@dataclass(frozen=True)
class DigitalPostMessage:
    """What Trappen hands the municipality's Digital Post integration for one letter.

    The recipient is given as a reference to Trappen's own record (`recipient_kind`,
    `recipient_id`), never as a CPR number: the integration resolves the CPR number itself at the
    last moment (see `DigitalPostClient.send`), so the number is not copied into task arguments,
    message objects or logs.
    """

    message_id: str  # stable per letter: the idempotency key towards Digital Post
    municipality_code: str  # the sending municipality (kommunekode), for the sender identity
    recipient_kind: RecipientKind
    recipient_id: int
    subject: str
    pdf: bytes
    filename: str


class DigitalPostClient(Protocol):
    """The municipality's integration to the national Digital Post.

    An implementation (one per municipality's integration platform) must:
    - resolve the recipient to a CPR number (`Guardian`/`Child` `.cpr`, decrypted only here);
    - send `message.pdf` as the main document with `message.subject` as the title, and
      `message.message_id` as the message's unique id (Digital Post's MessageUUID may be derived
      from it, e.g. uuid5), so a repeated call with the same id does not deliver twice: if the
      message is already accepted, return the reference of the first delivery;
    - return the reference Digital Post gives the accepted message (stored on the letter);
    - raise `DeliveryError` on a failure that may pass (network, timeout, 5xx, throttling);
    - raise `DeliveryRejected` when the recipient cannot receive Digital Post (exempt, no CPR
      number, dead) or the message is refused as invalid;
    - never write the CPR number or the letter's content to a log.
    """

    def send(self, message: DigitalPostMessage) -> str: ...


class DigitalPostChannel:
    """Delivery through the national Digital Post, via the municipality's integration.

    The integration is named by the setting TRAPPEN_DIGITAL_POST_CLIENT (a dotted path to a
    `DigitalPostClient` class). Without it this channel refuses to send: it raises
    `ImproperlyConfigured`, and the letter is marked failed, never falsely sent.
    """

    name = "digital_post"

    def __init__(self, client: DigitalPostClient | None = None) -> None:
        self._client = client

    def client(self) -> DigitalPostClient:
        if self._client is not None:
            return self._client
        path = getattr(settings, "TRAPPEN_DIGITAL_POST_CLIENT", "")
        if not path:
            raise ImproperlyConfigured(
                "Digital Post er ikke sat op: TRAPPEN_DIGITAL_POST_CLIENT mangler. "
                "Brevet er ikke sendt."
            )
        self._client = import_string(path)()
        return self._client

    def send(self, letter: Letter) -> DeliveryResult:
        message = self.message_for(letter)
        reference = self.client().send(message)
        if not reference:
            raise DeliveryError("Digital Post returnerede ingen reference.")
        return DeliveryResult(reference=str(reference))

    @staticmethod
    def message_for(letter: Letter) -> DigitalPostMessage:
        if letter.recipient_guardian_id is not None:
            kind, recipient_id = "guardian", letter.recipient_guardian_id
        elif letter.recipient_child_id is not None:
            kind, recipient_id = "child", letter.recipient_child_id
        else:
            raise DeliveryRejected("Brevet har ingen modtager, der kan få Digital Post.")
        if not letter.pdf:
            raise DeliveryRejected("Brevet har ingen PDF.")
        return DigitalPostMessage(
            message_id=message_id(letter),
            municipality_code=letter.municipality.code,
            recipient_kind=kind,
            recipient_id=recipient_id,
            subject=letter.subject,
            pdf=bytes(letter.pdf),
            filename=pdf_filename(letter),
        )


def get_channel() -> DeliveryChannel:
    """The configured channel (TRAPPEN_LETTER_CHANNEL), ready to use."""
    path = settings.TRAPPEN_LETTER_CHANNEL
    try:
        channel_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"TRAPPEN_LETTER_CHANNEL peger på noget, der ikke findes: {path}"
        ) from error
    return channel_class()
