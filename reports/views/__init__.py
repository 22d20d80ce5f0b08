"""The reports pages and downloads: the dashboard and activity report, the follow-up sheet."""
