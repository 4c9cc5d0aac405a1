"""Shared by the load benches that drive a running server over HTTP."""

import threading
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection


def logged_in_session_key(user) -> str:
    """A session for `user` stored here, in the database the server shares: the key its
    session cookie carries, without a login request (and its password hash) per user."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def threads_map(fn, items, workers: int) -> list:
    """pool.map(fn, items) on `workers` threads, each keeping one database connection for all
    its items and closing it when it runs out of work. The first exception of any item
    stops the others and is raised here.

    An app process keeps its connection between requests (CONN_MAX_AGE in production); a
    fresh connection per call would add its setup and the server's catalogue lookups to
    every timed call (a scan, an exam's start, save or submit).
    """
    items = list(items)
    results = [None] * len(items)
    queue = iter(enumerate(items))
    lock = threading.Lock()
    failures = []

    def worker():
        try:
            while not failures:
                with lock:
                    job = next(queue, None)
                if job is None:
                    return
                i, item = job
                results[i] = fn(item)
        except BaseException as exc:  # raised again in the caller, as pool.map does
            failures.append(exc)
        finally:
            connection.close()  # this thread's own

    threads = [threading.Thread(target=worker) for _ in range(max(1, min(workers, len(items))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results
