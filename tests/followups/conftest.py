import pytest

from followups.models import MeetingNote, NoteVisibility
from tests.factories import MeetingFactory

INTERNAL = "Note interne : le comité hésite sur ce projet."
SHARED = "Note partagée : relancer la banque."


@pytest.fixture
def meeting(project, coach):
    """A meeting on `project` (coach A's) with one internal and one shared note."""
    meeting = MeetingFactory(project=project, led_by=coach, summary="Budget revu ensemble.")
    MeetingNote.objects.create(meeting=meeting, text=INTERNAL, visibility=NoteVisibility.INTERNAL)
    MeetingNote.objects.create(meeting=meeting, text=SHARED, visibility=NoteVisibility.PROVIDER)
    return meeting
