from crm.core import roles


def navigation(request):
    """The user's role, so the layout shows each role only what it may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role": None}
    return {
        "user_role": roles.primary_role(user),
        "is_officer": roles.is_officer(user),
        "is_manager": roles.is_manager(user),
        "is_coach": roles.is_coach(user),
    }
