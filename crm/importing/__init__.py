"""Importing the office's spreadsheets: reading files as French offices export them
(reading.py), parsing French values (values.py), one django-import-export resource per kind
in resources/ (projects.py, with its columns in project_columns.py and its per-chunk writer
in project_writer.py; contacts.py and meetings.py on the chunked bulk base of bulk.py), the
runner shared by the page and `manage.py import_data` (runner.py), and the background tasks
with their progress (tasks.py)."""
