"""Follow-up pages, one module per resource."""
