"""The figures of the dashboard and of the activity report (bilan d'activité).

Everything here is an aggregate query: `dashboard_figures` runs a fixed number of queries
whatever the number of projects, meetings or people (about twenty), and every figure
starts from a `visible_to(user)` queryset, so a coach's figures cover their projects only.

Definitions (shown to users under each chart):
- received on: the day a project came in: its online registration, else its entry date,
  else the day its record was created.
- the period's portfolio (projets suivis): projects received before the end of the period
  and not exited before its start.
- funnel, on the projects received in the period: applicants (all of them); diagnosed
  (a triage decision, a diagnostic meeting, or accompanied); accompanied (status moved to
  "en accompagnement" at some point, or is now active, on hold or completed); winners
  (a winning application: to the chosen call when the period is a call edition).
"""
