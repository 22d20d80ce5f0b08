"""Each role's dashboard links only to pages that role may open (navigation, issue 18)."""

import re

import pytest

pytestmark = pytest.mark.django_db

PERIOD = "?period=custom&start=2025-01-01&end=2026-12-31"


def _links_of_main(body: str) -> list[str]:
    main = body[body.index("<main") : body.index("</main>")]
    hrefs = {h.replace("&amp;", "&") for h in re.findall(r'href="([^"#][^"]*)"', main)}
    return sorted(h for h in hrefs if h.startswith("/"))


# About 30 s each: a GET on every link of the dashboard. (The funnel's winners linked to
# the calls' page, which coaches may not open.)
@pytest.mark.slow
@pytest.mark.parametrize("persona", ["coach", "manager"])
def test_every_link_of_the_dashboard_opens_for_its_reader(client, world, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get("/reports/" + PERIOD)
    assert response.status_code == 200
    links = _links_of_main(response.content.decode())
    assert len(links) > 10
    refused = [(h, s) for h in links if (s := client.get(h).status_code) != 200]
    assert not refused, f"{persona}'s dashboard links to pages refused to them: {refused}"
