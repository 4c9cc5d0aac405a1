"""Issue 16: the page explorer lists a course's lessons in course order, not by last edit.

Trainees take lessons in tree order (`courses.selectors`); an author reading the course in
the explorer must see the same order, and may drag lessons to change it."""

from django.urls import reverse

from tests.courses.factories import lessons_of


def _listed_titles(client, page):
    response = client.get(reverse("wagtailadmin_explore", args=[page.pk]))
    assert response.status_code == 200
    return [p.title for p in response.context["pages"]]


def test_lessons_are_listed_in_course_order_whatever_was_edited_last(client, world, course):
    first, second, third = lessons_of(course)
    second.save_revision(user=world.instructor)  # the last edit: Wagtail's default lists it first
    client.force_login(world.organiser)
    assert _listed_titles(client, course) == [first.title, second.title, third.title]


def test_reordered_lessons_are_listed_in_their_new_order(client, world, course):
    first, second, third = lessons_of(course)
    third.move(first, pos="left")
    client.force_login(world.organiser)
    assert _listed_titles(client, course) == [third.title, first.title, second.title]
