"""The demo data set at scale, for benchmarks: `seed_demo --scale N` holds N × 60 projects.

Rows are written with bulk inserts in batches (no per-row save, no history rows), from the
same planner as the believable demo, with dates spread over ten years. Topping up is
idempotent: the target is a total, so running the same scale twice adds nothing.

staff: one coach and one officer account per block of projects; projects: the projects with
their people and organisations; followups: their meetings, notes, steps, cohorts and
workshops; texts: the wording those use; bulk: the fast writes they share.
"""
