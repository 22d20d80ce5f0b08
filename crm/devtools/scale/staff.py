"""The coach and officer accounts of the scaled seed: one of each per block of projects."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from crm.core.roles import Role
from crm.devtools import demo
from crm.models import User

# A provider's coach follows a few hundred projects, an officer a few hundred more. The demo
# team keeps the projects among the first PROJECTS_PER_COACH_BLOCK; each further block of
# that many projects goes to one more coach account (about 300 coached projects each) and
# one more officer account, so that at scale 1000 the demo users' own lists ("my work",
# "my projects") are one person's, not the whole network's.
PROJECTS_PER_COACH_BLOCK = 600
SCALE_COACH_PREFIX = "coach-scale-"
SCALE_OFFICER_PREFIX = "officer-scale-"


def staff_of_blocks(first_index: int, count: int) -> dict[int, dict[str, "User"]]:
    """The coach and officer accounts of the blocks of projects [first_index,
    first_index + count), created once ({block number: {"coach": user, "officer": user}});
    block 0 is the demo's own team."""
    blocks = range(
        max(1, first_index // PROJECTS_PER_COACH_BLOCK),
        (first_index + count - 1) // PROJECTS_PER_COACH_BLOCK + 1,
    )
    prefixes = {
        "coach": (SCALE_COACH_PREFIX, Role.COACH),
        "officer": (SCALE_OFFICER_PREFIX, Role.OFFICER),
    }
    names = {
        (block, kind): f"{prefix}{block}"
        for block in blocks
        for kind, (prefix, _r) in prefixes.items()
    }
    # Nobody logs in as these: they hold the data a real network's team would.
    unusable = make_password(None)
    existing = {u.username: u for u in User.objects.filter(username__in=names.values())}
    missing = {
        kind: [
            User(
                username=name,
                first_name="Coach" if kind == "coach" else "Chargé·e de mission",
                last_name=f"n° {block}",
                password=unusable,
            )
            for (block, name_kind), name in names.items()
            if name_kind == kind and name not in existing
        ]
        for kind in prefixes
    }
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    for kind, accounts in missing.items():
        if not accounts:
            continue
        created = User.objects.bulk_create(accounts)
        group = groups[prefixes[kind][1]]
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=group.pk) for user in created]
        )
        existing.update({user.username: user for user in created})
    staff: dict[int, dict[str, User]] = {}
    for (block, kind), name in names.items():
        staff.setdefault(block, {})[kind] = existing[name]
    return staff


def block_staff(index: int, users, scale_staff) -> dict[str, "User"]:
    """The coach and officer of the block of the project at `index`: the demo's own in the
    first block, the block's accounts beyond."""
    block = index // PROJECTS_PER_COACH_BLOCK
    if block == 0:
        return {"coach": users.get("coach"), "officer": users["officer"]}
    return scale_staff[block]


def team_of(plan: demo.ProjectPlan, index: int, users, scale_staff) -> dict:
    """Who follows the project at `index`: its coach and officer (None where the plan has
    none) and the officer of its block, who records the moves."""
    staff = block_staff(index, users, scale_staff)
    if index < PROJECTS_PER_COACH_BLOCK:
        # The demo's own projects keep the coach their plan names (coach or coach2).
        staff = {**staff, "coach": users.get(plan.coach)}
    return {
        "coach": staff["coach"] if plan.coach else None,
        "officer": staff["officer"] if plan.officer else None,
        "block_officer": staff["officer"],
    }
