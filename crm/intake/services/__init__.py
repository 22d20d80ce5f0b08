"""Intake workflows (registration.py, triage.py, calls.py): views, commands and tests call them."""
