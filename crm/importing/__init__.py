"""Importing the office's spreadsheets: reading files as French offices export them
(reading.py), parsing French values (values.py), and the per-kind resources that write the
rows (crm/resources.py, contacts/resources.py) through the same services as the pages."""
