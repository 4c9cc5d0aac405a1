"""Weak networks: the service worker is served at the site root for the trainee pages, and
the offline copies it keeps can never run the study clock."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_at_the_root_with_a_root_scope(client):
    response = client.get("/sw.js")
    assert reverse("portal:service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert '["/courses/", "/cases/"]' in script
    # Offline copies lose the study token; only GETs are ever answered from the cache.
    assert 'data-token=""' in script
    assert 'request.method !== "GET"' in script


def test_signed_in_pages_register_it_and_carry_the_offline_banner(client, world):
    client.force_login(world.trainee_a)
    html = client.get(reverse("portal:profile")).content.decode()
    assert 'id="offline-banner"' in html and 'data-sw="/sw.js"' in html
    assert "js/offline.js" in html
