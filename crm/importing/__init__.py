"""Importing the office's spreadsheets: reading files as French offices export them
(reading.py), parsing French values (values.py), the per-kind resources that write the rows
(project_resource.py for projects; contacts_resources.py and meeting_resource.py on the chunked
bulk base of bulk.py), the runner shared by the page and `manage.py import_data`
(runner.py), and the background tasks with their progress (tasks.py)."""
