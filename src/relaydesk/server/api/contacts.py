"""When the team first saw a contact: the workstation's intake counter in the "team" scope.

A workstation asks about the contacts it counts today (account and handle, batched) and learns,
for each one the team has seen, the time of its first intake on any of the team's accounts. The
team is the account's team (an account without a team is a team of its own). A contact is one
person across the team's accounts as the server keys contacts, by (platform, handle); a handle
that is an E.164 phone number is one person on every platform too, as the workstation's store
joins them. Callers ask only about accounts they may report for; unknown handles are absent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from relaydesk.server.access import reportable_account
from relaydesk.server.deps import Caller, Session
from relaydesk.server.errors import ApiError
from relaydesk.server.models import AccountRow, ContactRow, IntakeRow

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])

MAX_CONTACTS = 500  # per request: a workstation's day comes in a few batches
_E164 = re.compile(r"^\+\d{6,15}$")


class ContactRefIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: str = Field(min_length=1, max_length=32)
    handle: str = Field(min_length=1, max_length=200)


class FirstSeenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # No max_length here: too many is a 413 naming the limit, not a validation error.
    contacts: list[ContactRefIn]


class FirstSeenOut(BaseModel):
    account_id: str
    handle: str
    first_seen_at: float  # Unix seconds: the contact's first intake on any of the team's accounts


class FirstSeenAnswer(BaseModel):
    contacts: list[FirstSeenOut]


def person_of(platform: str, handle: str) -> tuple[str, str]:
    """Who a contact is across the team: its phone number, else (platform, handle)."""
    return ("tel", handle) if _E164.match(handle) else (platform, handle)


@router.post("/first-seen")
async def first_seen(body: FirstSeenIn, caller: Caller, session: Session) -> FirstSeenAnswer:
    """For each asked contact the team has seen: when it first did (contacts it has not seen
    are left out). Every account must be one the caller may report for (422 otherwise, the same
    for another team's account as for a missing one)."""
    if len(body.contacts) > MAX_CONTACTS:
        raise ApiError(
            413, "too_large", f"At most {MAX_CONTACTS} contacts per request.", "contacts"
        )
    accounts: dict[str, Any] = {}
    for index, ref in enumerate(body.contacts):
        if ref.account_id in accounts:
            continue
        account = await reportable_account(session, caller, ref.account_id)
        if account is None:
            raise ApiError(
                422,
                "invalid",
                f"No such account of yours: {ref.account_id}.",
                f"contacts[{index}].account_id",
            )
        accounts[ref.account_id] = account
    # The asked handles per team (an account without a team is its own).
    scopes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ref in body.contacts:
        scopes[_scope_of(accounts[ref.account_id])].add(ref.handle)
    seen: dict[tuple[str, str], dict[tuple[str, str], float]] = {}
    for scope, handles in scopes.items():
        seen[scope] = await _first_seen_in(session, scope, handles)
    out: list[FirstSeenOut] = []
    answered: set[tuple[str, str]] = set()
    for ref in body.contacts:
        account = accounts[ref.account_id]
        at = seen[_scope_of(account)].get(person_of(account.platform, ref.handle))
        if at is not None and (ref.account_id, ref.handle) not in answered:
            answered.add((ref.account_id, ref.handle))
            out.append(FirstSeenOut(account_id=ref.account_id, handle=ref.handle,
                                    first_seen_at=at))  # fmt: skip
    return FirstSeenAnswer(contacts=out)


def _scope_of(account: Any) -> tuple[str, str]:
    return ("team", account.team) if account.team is not None else ("account", account.id)


async def _first_seen_in(
    session: Session, scope: tuple[str, str], handles: set[str]
) -> dict[tuple[str, str], float]:
    """Each person's first intake on the scope's accounts, for contacts with these handles."""
    kind, value = scope
    team_accounts = select(AccountRow.id, AccountRow.platform).where(
        AccountRow.team == value if kind == "team" else AccountRow.id == value
    )
    rows = (await session.execute(team_accounts)).all()
    account_ids = [row.id for row in rows]
    platforms = sorted({row.platform for row in rows})
    # (platform, handle) is the contacts' unique index: both lists let it find the rows, and
    # an E.164 handle is looked up on every platform the team has accounts on.
    query = (
        select(ContactRow.platform, ContactRow.handle, func.min(IntakeRow.at))
        .join(IntakeRow, IntakeRow.contact_id == ContactRow.id)
        .where(
            ContactRow.platform.in_(platforms),
            ContactRow.handle.in_(sorted(handles)),
            IntakeRow.account_id.in_(account_ids),
        )
        .group_by(ContactRow.platform, ContactRow.handle)
    )
    first: dict[tuple[str, str], float] = {}
    for platform, handle, at in await session.execute(query):
        person = person_of(platform, handle)
        first[person] = min(first.get(person, at), at)
    return first
