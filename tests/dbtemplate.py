"""Migrate the SQLite test database once, then copy it.

pytest-django migrates an in-memory test database for each xdist worker: 240 migrations,
~36 s of CPU each. Instead, the first worker migrates as usual and saves its database to
`var/test-db/template-<key>.sqlite3`; the other workers (and later runs, while the key
holds) load that file into their in-memory database with SQLite's backup API. A file
lock makes the workers that start together wait for the one that migrates.

The key is a hash of every installed app's migration files and of the code the
post_migrate handlers run (role groups, the authoring workflow): change either and the
next run migrates again. Anything else (PostgreSQL, --reuse-db, --no-migrations, a
file-based SQLite test database) goes through Django's usual path.

On PostgreSQL, with LMS_TEST_PG_TEMPLATE set (scripts/test.sh sets it for its throwaway
server, where the locking tests and the journeys run in two pytest processes), the first
process keeps a copy of its migrated test database as `<test db>_tpl_<key>` and the
next one creates its test database from it (CREATE DATABASE … TEMPLATE). The copy stays
on the server: set the variable only for a server that is thrown away.
"""

import fcntl
import hashlib
import os
import sqlite3
from pathlib import Path

from django.conf import settings

DIR = Path(settings.BASE_DIR) / "var" / "test-db"
# Code that post_migrate handlers run: its rows are in the template too.
POST_MIGRATE_CODE = [
    "people/apps.py",
    "people/roles.py",
    "people/services.py",
    "courses/apps.py",
    "courses/authoring.py",
]


def key() -> str:
    import django
    import wagtail
    from django.apps import apps

    digest = hashlib.sha256(f"{django.__version__} {wagtail.__version__}".encode())
    files = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if folder.is_dir():
            files += sorted(folder.glob("*.py"))
    files += [Path(settings.BASE_DIR) / name for name in POST_MIGRATE_CODE]
    for path in files:
        digest.update(str(path).encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def install(connection) -> None:
    """Make `connection.creation.create_test_db` load the template when it can."""
    creation = connection.creation
    original = creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        test = connection.settings_dict.get("TEST", {})
        if (
            connection.vendor == "postgresql"
            and os.environ.get("LMS_TEST_PG_TEMPLATE")
            and not keepdb
            and test.get("MIGRATE") is not False
        ):
            return _postgresql(connection, original, verbosity, autoclobber, serialize)
        if (
            connection.vendor != "sqlite"
            or keepdb
            or test.get("MIGRATE") is False
            or not creation.is_in_memory_db(creation._get_test_db_name())
        ):
            return original(verbosity, autoclobber, serialize, keepdb)
        DIR.mkdir(parents=True, exist_ok=True)
        template = DIR / f"template-{key()}.sqlite3"
        with open(DIR / "template.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not template.exists():
                name = original(verbosity, autoclobber, serialize, keepdb)
                for old in DIR.glob("template-*.sqlite3"):
                    old.unlink()
                partial = DIR / f"template.{os.getpid()}.partial"
                target = sqlite3.connect(partial)
                connection.connection.backup(target)
                target.close()
                os.replace(partial, template)
                return name
        return _load(connection, template, verbosity, autoclobber, serialize)

    creation.create_test_db = create_test_db


def _load(connection, template: Path, verbosity, autoclobber, serialize) -> str:
    """What Django's create_test_db does, with the template's rows instead of `migrate`."""
    creation = connection.creation
    name = creation._get_test_db_name()
    if verbosity >= 1:
        creation.log(f"Loading test database for alias {connection.alias!r} from {template}")
    creation._create_test_db(verbosity, autoclobber, False)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    return name


def _postgresql(connection, original, verbosity, autoclobber, serialize) -> str:
    creation = connection.creation
    name = creation._get_test_db_name()
    template = f"{name}_tpl_{key()}"
    quote = connection.ops.quote_name
    with creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        found = cursor.fetchone() is not None
    if not found:
        result = original(verbosity, autoclobber, serialize, False)
        connection.close()  # a template must have no connections
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(name)}")
        return result
    if verbosity >= 1:
        creation.log(f"Creating test database {name!r} from {template!r}")
    with creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    return name
