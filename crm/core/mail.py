"""E-mail subjects built from text people typed (a project's name, an action's title).

A line break in a subject is a header injection: Django refuses it (BadHeaderError) and the
e-mail is not sent. Every subject goes through `mail_subject`, which makes one line of it.
"""

SUBJECT_MAX_LENGTH = 150


def mail_subject(text, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """One line: line breaks, tabs and other control characters become single spaces,
    and the subject is cut (with an ellipsis) at `max_length` characters."""
    printable = "".join(char if char.isprintable() else " " for char in str(text))
    subject = " ".join(printable.split())
    if len(subject) > max_length:
        subject = subject[: max_length - 1].rstrip() + "…"
    return subject
