"""The audit trail: append-only, tamper-evident (each entry carries the hash of the previous one).

One home for recording: `audit_record`. Entries are never updated or deleted by the application;
`verify_audit_chain` (and `manage.py verify_audit`) recomputes the chain and reports the first
entry whose content or link does not match.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from creditcheck.core.models import AuditEntry, AuditHead, Branch

GENESIS = "0" * 64


def _digest(entry: AuditEntry) -> str:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "user_id": entry.user_id,
        "username": entry.username,
        "ip": entry.ip_address or "",
        "action": entry.action,
        "branch_id": entry.branch_id,
        "document": entry.document,
        "outcome": entry.outcome,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def audit_record(
    *,
    action: str,
    user: Any = None,
    ip_address: str | None = None,
    branch: Branch | None = None,
    document: str = "",
    outcome: str = "",
    target: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Serialized by a lock on the chain's head row."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    # Inside a caller's transaction the entry commits (or rolls back) with the caller's
    # writes; a savepoint of its own would only add statements.
    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "last_hash": GENESIS}
        )
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            user=user if authenticated else None,
            username=user.get_username() if authenticated else "sistema",
            ip_address=ip_address,
            action=action,
            branch=branch,
            document=document[:14],
            outcome=outcome[:200],
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            details=details or {},
            prev_hash=head.last_hash,
        )
        entry.hash = _digest(entry)
        entry.save()
        head.seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str  # pt-BR


def verify_audit_chain() -> tuple[int, ChainBreak | None]:
    """(entries checked, first break or None)."""
    previous = GENESIS
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return checked, ChainBreak(expected_seq, "entrada ausente (sequência interrompida)")
        if entry.prev_hash != previous:
            return checked, ChainBreak(entry.seq, "elo com a entrada anterior não confere")
        if _digest(entry) != entry.hash:
            return checked, ChainBreak(entry.seq, "conteúdo alterado (hash não confere)")
        previous = entry.hash
        expected_seq += 1
        checked += 1
    return checked, None
