"""Demo ESF+ data and survival for a planned project: whether the EU fund cofinances it,
the participant's answers (some declined, some never asked), the situation at exit and six
months after, and when an exited structure closed (so the dashboard draws real survival
curves, with unknown outcomes). Its own random stream: the rest of the plan is unchanged."""

import datetime
import random

from crm.models import (
    ANSWER_FIELDS,
    Answer,
    EmploymentSituation,
    EsfLabourStatus,
    IscedLevel,
    Status,
)

ESF_SHARE = 0.45
SIX_MONTHS = datetime.timedelta(days=183)


def _answer(rng) -> str:
    return rng.choices(["", Answer.YES, Answer.NO, Answer.DECLINED], weights=[15, 12, 65, 8])[0]


def enrich(plan, *, index: int, seed: int, status: str, today: datetime.date) -> None:
    """Set the plan's ESF+ fields and its structure's closing (in place)."""
    rng = random.Random(seed * 7919 + index)
    ended = status in (Status.EXITED, Status.COMPLETED)
    exit_day = plan.moves[-1][0] if ended else None
    if status != Status.APPLICANT and rng.random() < ESF_SHARE:
        plan.esf_funded = True
        plan.esf = {
            "labour_status": rng.choices(
                ["", *EsfLabourStatus.values], weights=[10, 20, 12, 25, 12, 8, 6, 7]
            )[0],
            "education_level": rng.choices(["", *IscedLevel.values], weights=[10, 25, 35, 25, 5])[
                0
            ],
            **{name: _answer(rng) for name in ANSWER_FIELDS},
            "qualification_at_exit": _answer(rng) if ended else "",
        }
    if ended and rng.random() < 0.85:
        plan.situation_at_exit = rng.choices(
            EmploymentSituation.values, weights=[20, 35, 20, 5, 8, 7, 5]
        )[0]
        if exit_day + SIX_MONTHS <= today and rng.random() < 0.7:
            plan.situation_6_months = rng.choices(
                EmploymentSituation.values, weights=[25, 40, 15, 5, 6, 5, 4]
            )[0]
    if status == Status.EXITED:
        # The structure closed after one to three yearly measures: later ones say so.
        closes_after = rng.choice([1, 1, 2, 3])
        yearly = [m for m in plan.measures if m.get("still_active") is not None]
        for number, measure in enumerate(yearly, start=1):
            measure["still_active"] = number < closes_after
