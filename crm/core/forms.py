"""Form plumbing shared by every app."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError, aliases: dict | None = None) -> None:
    """Show a service's ValidationError on the form: each message under the field it names
    (through `aliases` when the service and the form name it differently), the rest, and
    errors without a field, above the form. What the user typed stays in the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, messages)
