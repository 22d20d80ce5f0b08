"""The import resources, one module per kind (projects, contacts, meetings) and their bulk base."""
