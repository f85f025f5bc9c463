"""Who takes part: the roles, what each may do, and whose voice each is on a scale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    FACILITATOR = "facilitator"
    PROFESSIONAL = "professional"
    PARENT = "parent"
    CHILD = "child"
    NETWORK = "network"
    VIEWER = "viewer"
    # Translates what is said into one language (`Participant.interprets`); gives no number
    # of their own, and is not family.
    INTERPRETER = "interpreter"


# The roles a joiner may pick for themselves on a participant link.
SELF_CHOSEN_ROLES = (Role.PARENT, Role.CHILD, Role.NETWORK, Role.PROFESSIONAL)

# The roles a facilitator may give one named person's link: those, or an interpreter, who
# comes only by a link of their own (with the language they translate into).
PERSON_LINK_ROLES = (*SELF_CHOSEN_ROLES, Role.INTERPRETER)


# Roles that someone choosing their own role on the family link only says they have: they
# count with the family and network (UNCONFIRMED_GROUP) until a facilitator confirms them.
# Named person links and staff count at once.
NEEDS_CONFIRMING = frozenset({Role.PROFESSIONAL})


# The family and the people close to them: who keeps reading the agreed plan ("Our plan")
# after the meeting has closed, by their session or their own link.
PLAN_READERS = frozenset({Role.PARENT, Role.CHILD, Role.NETWORK})


@dataclass(frozen=True)
class Abilities:
    """What a role may do; `ops.apply` checks every op against these."""

    edit_board: bool  # add cards, edit and delete their own, move any card, agree / disagree
    edit_any_card: bool  # edit, delete and bring back anyone's card
    run_meeting: bool  # change the title and words, lock and unlock
    translate: bool = False  # add translations into their language (`card.translate`)


_CONTRIBUTOR = Abilities(edit_board=True, edit_any_card=False, run_meeting=False)


ROLE_ABILITIES: Mapping[Role, Abilities] = MappingProxyType(
    {
        Role.FACILITATOR: Abilities(edit_board=True, edit_any_card=True, run_meeting=True),
        Role.PROFESSIONAL: _CONTRIBUTOR,
        Role.PARENT: _CONTRIBUTOR,
        Role.CHILD: _CONTRIBUTOR,
        Role.NETWORK: _CONTRIBUTOR,
        Role.VIEWER: Abilities(edit_board=False, edit_any_card=False, run_meeting=False),
        Role.INTERPRETER: Abilities(
            edit_board=False, edit_any_card=False, run_meeting=False, translate=True
        ),
    }
)


class Group(StrEnum):
    """Whose voice a number is, for the picture of a revealed round."""

    FAMILY = "family"
    NETWORK = "network"
    PROFESSIONALS = "professionals"


ROLE_GROUP: Mapping[Role, Group] = MappingProxyType(
    {
        Role.PARENT: Group.FAMILY,
        Role.CHILD: Group.FAMILY,
        Role.NETWORK: Group.NETWORK,
        Role.PROFESSIONAL: Group.PROFESSIONALS,
        Role.FACILITATOR: Group.PROFESSIONALS,
    }
)


# Where the number of someone who says they are a worker counts until they are confirmed:
# on the family-and-network side, never among the professionals.
UNCONFIRMED_GROUP = Group.NETWORK


def group_of(role: Role, unconfirmed: bool) -> Group:
    """Whose voice a number is: its voter's role, unless they only say they are a worker."""
    return UNCONFIRMED_GROUP if unconfirmed else ROLE_GROUP[role]
