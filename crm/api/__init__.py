"""The REST API at /api/v1/ (Django REST Framework, drf-spectacular): the CRM's data for the
body's other systems, read through the same `visible_to(user)` querysets and FilterSets as the
pages, written through the same services. Nothing imports it but crm.config.urls and the
`api_token` command."""
