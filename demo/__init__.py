"""Demo data: the org units, accounts, classes, courses, exams, attendance and certificates
that `python manage.py seed_demo` (and `make run`) load. Kept out of the apps: nothing in
them imports it, and a site can leave it out of INSTALLED_APPS.

One module per app it fills, each with `ORDER` and `seed(context)`; `MODULES` lists them.
"""

MODULES = [
    "people",
    "portal",
    "training",
    "courses",
    "videos",
    "assessments",
    "attendance",
    "certificates",
    "electives",
]
